/**
 * DuckDB's file lock keeps two runs off one database, but two runs on different databases could still write
 * the same output folder and interleave their exports. `<outDir>/.csqa.lock` (created exclusively) holds the
 * owner's pid; a lock whose pid is no longer alive on this host is stale (its run was killed) and is taken over.
 */
import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { LockError } from '../errors.js';

export const LOCK_FILE = '.csqa.lock';

export interface LockOwner {
  pid: number;
  host: string;
  db: string;
  startedAt: string;
  /** The owner's process start time (Linux clock ticks since boot): tells a reused pid from the owner. */
  processStart?: string;
}

export interface OutDirLock {
  path: string;
  /** The owner of a stale lock that was taken over, for the run summary's warnings. */
  replacedStale?: LockOwner;
  release(): void;
}

/** Field 22 of /proc/<pid>/stat; undefined where there is no /proc (then only the pid is checked). */
export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Whether the lock's owner still runs: its pid is alive (EPERM: alive, someone else's) and was not reused. */
export function ownerAlive(owner: LockOwner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const now = processStart(owner.pid);
  return !(owner.processStart && now && now !== owner.processStart);
}

function readOwner(path: string): LockOwner | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
  } catch {
    // Unreadable or half-written (the owner was killed between create and write): no live owner to protect.
    return undefined;
  }
}

export function acquireOutDirLock(
  outDir: string,
  owner: Omit<LockOwner, 'pid' | 'host'>,
  isAlive: (owner: LockOwner) => boolean = ownerAlive,
): OutDirLock {
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, LOCK_FILE);
  const mine: LockOwner = { pid: process.pid, host: hostname(), ...owner, processStart: processStart(process.pid) };
  let replacedStale: LockOwner | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readOwner(path);
      const stale = !holder || (holder.host === mine.host && holder.pid !== mine.pid && !isAlive(holder));
      if (!stale) {
        throw new LockError(
          `output folder ${outDir} is in use by csqa pid ${holder.pid} on ${holder.host} (database ${holder.db}, started ${holder.startedAt}); ` +
            `wait for it, or remove ${path} if that process is gone`,
        );
      }
      replacedStale = holder ?? { pid: 0, host: '?', db: '?', startedAt: '?' };
      rmSync(path, { force: true });
      continue;
    }
    writeSync(fd, JSON.stringify(mine) + '\n');
    closeSync(fd);
    return {
      path,
      replacedStale,
      release() {
        // Only our own lock: a run that lost it (someone removed it by hand) must not delete another's.
        if (readOwner(path)?.pid === mine.pid) rmSync(path, { force: true });
      },
    };
  }
  throw new LockError(`output folder ${outDir}: could not take ${path} (another run keeps replacing it)`);
}
