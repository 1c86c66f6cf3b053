import { createHash } from 'node:crypto';
/** Starting `csqa` as a child process the way cron does (no TTY), and freezing it at a test pause point. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { openDatabase } from '../../src/db/database.js';

export const childEnv = { ...process.env, CSQA_CONFIG: undefined, FORCE_COLOR: '0', CSQA_TEST_PAUSE_AT: undefined };
const CLI = ['--import', 'tsx', 'src/cli.ts'];

export function csqa(args: string[], env: Record<string, string | undefined> = {}) {
  const result = spawnSync(process.execPath, [...CLI, ...args], { encoding: 'utf8', env: { ...childEnv, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface Started {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function start(args: string[], env: Record<string, string | undefined> = {}): Started {
  const child = spawn(process.execPath, [...CLI, ...args], { env: { ...childEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout!.resume();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stderr: () => err, exited };
}

/** Resolves when the child's stderr contains `text`; rejects if it exits first. */
export function waitForStderr(started: Started, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (started.stderr().includes(text)) {
        started.child.stderr!.off('data', check);
        resolve();
      }
    };
    started.child.stderr!.on('data', check);
    void started.exited.then(({ code }) => reject(new Error(`child exited (${code}) before "${text}":\n${started.stderr()}`)));
    check();
  });
}

/** Rows as a short fingerprint, so a failing comparison names the table or file instead of printing it. */
function stringify(value: unknown[]): string {
  const json = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Date ? v.toISOString() : v));
  return `${value.length} rows, sha256 ${createHash('sha256').update(json).digest('hex')}`;
}

/**
 * Every base table of the database as sorted rows. raw.load_manifest is a log (one row per file per run,
 * with a load id and time): its state is the set of files loaded, compared without those two columns.
 */
export async function snapshotDatabase(path: string): Promise<Record<string, string>> {
  const db = await openDatabase(path);
  try {
    const tables = await db.all<{ s: string; t: string }>(
      `select table_schema as s, table_name as t from information_schema.tables
       where table_type = 'BASE TABLE' and table_schema not in ('main', 'temp') order by 1, 2`,
    );
    const out: Record<string, string> = {};
    for (const { s, t } of tables) {
      const name = `"${s}"."${t}"`;
      // Logs carry the wall-clock time of the run that wrote them; their content is compared without it.
      const logColumns: Record<string, string> = {
        'scores.scored_conversations': 'scored_at',
        'scores.template_catalog': 'first_seen',
      };
      const sql =
        s === 'raw' && t === 'load_manifest'
          ? `select * exclude (load_id, loaded_at) from ${name} where status = 'loaded' order by all`
          : logColumns[`${s}.${t}`]
            ? `select * exclude (${logColumns[`${s}.${t}`]}) from ${name} order by all`
            : `select * from ${name} order by all`;
      out[`${s}.${t}`] = stringify(await db.all(sql));
    }
    return out;
  } finally {
    db.close();
  }
}

/**
 * Every file under the output folder by relative path. Parquet is compared by its rows (sorted) and CSV by its
 * header and sorted lines, since a table's scan order is not part of its content; anything else byte for byte.
 */
export async function snapshotFiles(dir: string): Promise<Record<string, string>> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
  const db = await openDatabase(':memory:');
  try {
    const out: Record<string, string> = {};
    for (const file of files) {
      const key = relative(dir, file);
      if (file.endsWith('.parquet')) {
        out[key] = stringify(await db.all(`select * from read_parquet($1) order by all`, [file]));
      } else if (file.endsWith('.csv')) {
        const [header, ...lines] = readFileSync(file, 'utf8').split('\n');
        out[key] = [header, ...lines.sort()].join('\n');
      } else {
        out[key] = readFileSync(file).toString('base64');
      }
    }
    return out;
  } finally {
    db.close();
  }
}
