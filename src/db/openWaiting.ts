/**
 * A second nightly run on a busy database either stops at once (exit 6, naming the database and DuckDB's
 * note of the holding pid) or, with a wait budget, retries until the first run finishes.
 */
import { LockError } from '../errors.js';
import { openDatabase, type Db, type OpenOptions } from './database.js';

export interface WaitOptions {
  /** 0: fail at once. */
  waitSeconds: number;
  /** Told once when the run starts waiting. */
  onWait?: (message: string) => void;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  open?: (path: string, options: OpenOptions) => Promise<Db>;
}

const RETRY_MS = 500;

export async function openDatabaseWaiting(path: string, wait: WaitOptions, options: OpenOptions = {}): Promise<Db> {
  const open = wait.open ?? openDatabase;
  const sleep = wait.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = wait.now ?? Date.now;
  const deadline = now() + wait.waitSeconds * 1000;
  let told = false;
  for (;;) {
    try {
      return await open(path, options);
    } catch (error) {
      if (!(error instanceof LockError)) throw error;
      if (now() >= deadline) {
        if (wait.waitSeconds > 0) throw new LockError(`${error.message} (gave up after waiting ${wait.waitSeconds} s, run.lockWaitSeconds)`);
        throw error;
      }
      if (!told) wait.onWait?.(`database ${path} is in use by another process; waiting up to ${wait.waitSeconds} s (run.lockWaitSeconds)`);
      told = true;
      await sleep(RETRY_MS);
    }
  }
}
