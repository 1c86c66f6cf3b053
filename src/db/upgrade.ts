/**
 * Rewrites a database file made in an older DuckDB storage format into csqa's (STORAGE_VERSION): DuckDB keeps
 * a file's format for life, so a database created before csqa chose v1.5 would never get its smaller, cheaper
 * text compression. The copy is written beside the file and swapped in by one rename only after every table's
 * row count matched, so a kill or a failure at any point leaves the original as it was.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { openDatabase, quoteIdent, quoteLiteral, STORAGE_VERSION, type Db, type OpenOptions } from './database.js';
import { ConfigError } from '../errors.js';

const UPGRADED = 'csqa_upgraded';

export interface UpgradeResult {
  path: string;
  /** The format the file had (`v1.0.0+`, ...). */
  from: string;
  /** STORAGE_VERSION, or `from` when the file already had it. */
  to: string;
  upgraded: boolean;
  tables: number;
  rows: number;
  bytesBefore: number;
  bytesAfter: number;
}

/** The storage format DuckDB reports for the database the connection opened, e.g. `v1.5.0+`. */
export async function storageVersionOf(db: Db): Promise<string> {
  const version = await db.value<string>(
    `select map_extract(tags, 'storage_version')[1] from duckdb_databases() where database_name = current_database()`,
  );
  return version ?? 'unknown';
}

/** Row count of every table of a catalog, by schema.table. */
async function rowCounts(db: Db, catalog: string): Promise<Map<string, number>> {
  const tables = await db.all<{ schema_name: string; table_name: string }>(
    `select schema_name, table_name from duckdb_tables() where database_name = $1 and not temporary order by all`,
    [catalog],
  );
  const counts = new Map<string, number>();
  for (const t of tables) {
    const name = `${quoteIdent(catalog)}.${quoteIdent(t.schema_name)}.${quoteIdent(t.table_name)}`;
    counts.set(`${t.schema_name}.${t.table_name}`, Number(await db.value(`select count(*) from ${name}`)));
  }
  return counts;
}

async function fileBytes(db: Db, catalog: string): Promise<number> {
  return Number(
    await db.value(`select total_blocks * block_size from pragma_database_size() where database_name = $1`, [catalog]),
  );
}

/** True when DuckDB's `v1.0.0+` names an older format than `v1.5.0` (a newer file is never rewritten into an older one). */
export function isOlder(version: string, than: string): boolean {
  const parts = (v: string) => (/^v(\d+)\.(\d+)\.(\d+)/.exec(v) ?? []).slice(1).map(Number);
  const [a, b] = [parts(version), parts(than)];
  if (a.length !== 3 || b.length !== 3) throw new ConfigError(`upgrade-db: cannot read the storage format "${version}"`);
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

export async function upgradeStorage(path: string, options: OpenOptions = {}): Promise<UpgradeResult> {
  if (path === ':memory:' || !existsSync(path)) throw new ConfigError(`upgrade-db: database ${path} does not exist (set --db or db in the config)`);
  const copy = `${path}.upgrade-tmp`;
  // A killed earlier upgrade may have left its copy; the original is what counts.
  rmSync(copy, { force: true });
  rmSync(`${copy}.wal`, { force: true });
  const db = await openDatabase(path, options);
  let result: UpgradeResult;
  try {
    const from = await storageVersionOf(db);
    const catalog = String(await db.value('select current_database()'));
    const before = await rowCounts(db, catalog);
    const rows = [...before.values()].reduce((a, b) => a + b, 0);
    const bytesBefore = await fileBytes(db, catalog);
    if (!isOlder(from, STORAGE_VERSION)) {
      db.close();
      return { path, from, to: from, upgraded: false, tables: before.size, rows, bytesBefore, bytesAfter: bytesBefore };
    }
    await db.run(`attach ${quoteLiteral(copy)} as ${UPGRADED} (storage_version ${quoteLiteral(STORAGE_VERSION)})`);
    await db.run(`copy from database ${quoteIdent(catalog)} to ${UPGRADED}`);
    const after = await rowCounts(db, UPGRADED);
    for (const [table, count] of before) {
      if (after.get(table) !== count) {
        throw new Error(`upgrade-db: the copy of ${table} has ${after.get(table) ?? 'no'} rows, the original ${count}; ${path} left as it was`);
      }
    }
    const bytesAfter = await fileBytes(db, UPGRADED);
    await db.run(`detach ${UPGRADED}`);
    result = { path, from, to: STORAGE_VERSION + '+', upgraded: true, tables: before.size, rows, bytesBefore, bytesAfter };
  } catch (error) {
    await db.run(`detach database if exists ${UPGRADED}`).catch(() => undefined);
    db.close();
    rmSync(copy, { force: true });
    throw error;
  }
  // Closed first: DuckDB folds its write-ahead log into the file on close. A log left anyway holds only changes
  // the copy already has (it was read through the open database), and replayed onto the copy it would corrupt it.
  // A csqa job that opened the file between this close and the rename would write into the replaced file: the
  // command says to run it while no other job uses the database (DuckDB's lock goes with the closed file).
  db.close();
  rmSync(`${path}.wal`, { force: true });
  renameSync(copy, path);
  return result;
}

export function formatUpgrade(result: UpgradeResult): string {
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
  if (!result.upgraded) return `${result.path}: already in storage format ${result.from} (${result.tables} tables, ${result.rows} rows); nothing to do`;
  return `${result.path}: storage format ${result.from} -> ${result.to}, ${result.tables} tables and ${result.rows} rows copied and counted, ${mb(result.bytesBefore)} -> ${mb(result.bytesAfter)}`;
}
