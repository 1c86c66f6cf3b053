/**
 * The only door to DuckDB. Everything else in csqa talks to a `Db`, so the driver can change in one
 * place and tests can open a fresh in-memory database each.
 */
import { DuckDBConnection, DuckDBInstance, listValue, type DuckDBValue } from '@duckdb/node-api';

import { ConfigError, LockError } from '../errors.js';

/** A value bound to a SQL parameter. */
export type SqlValue = DuckDBValue;
export type SqlParams = readonly SqlValue[] | Record<string, SqlValue>;
export type Row = Record<string, unknown>;

export interface Db {
  readonly path: string;
  /** Runs one statement (or several separated by semicolons when none takes parameters). */
  run(sql: string, params?: SqlParams): Promise<void>;
  /** Rows as plain objects; BIGINT becomes number when it fits, timestamps become Date (UTC). */
  all<T = Row>(sql: string, params?: SqlParams): Promise<T[]>;
  /** First column of the first row, or undefined. */
  value<T = unknown>(sql: string, params?: SqlParams): Promise<T | undefined>;
  /** Runs `work` inside BEGIN/COMMIT; rolls back when it throws. Not re-entrant. */
  transaction<T>(work: () => Promise<T>): Promise<T>;
  /** The driver connection, for the few modules in src/db that stream chunks or append. */
  readonly connection: DuckDBConnection;
  /**
   * A second connection to the same database, for work that overlaps with this one's (DuckDB runs the two
   * concurrently). It sees the tables and attached databases, not this connection's temp tables or settings;
   * its close() closes only itself.
   */
  fork(): Promise<Db>;
  close(): void;
}

function toPlain(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value;
  }
  if (Array.isArray(value)) return value.map(toPlain);
  if (value && typeof value === 'object' && !(value instanceof Date) && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toPlain(v)]));
  }
  return value;
}

export interface OpenOptions {
  /** DuckDB threads; defaults to DuckDB's own choice (all cores). */
  threads?: number;
  /** DuckDB memory_limit, e.g. "6GB". */
  memoryLimit?: string;
}

/**
 * The storage format of a database file csqa creates (one it opens keeps its own). DuckDB writes new files in
 * its v1.0 format unless told otherwise, without the dictionary-FSST compression of text added since: at 1.5M
 * messages, the v1.5 format stored raw.messages in 101 MB instead of 120 MB and the insert cost 3.1-3.6 CPU-s
 * instead of 3.8-4.2, and the KPI build at 1M conversations took 93-96 CPU-s instead of 104-107 (the whole database
 * file 1.61 GB instead of 1.77 GB). Such a file opens in DuckDB 1.5 or later only.
 */
export const STORAGE_VERSION = 'v1.5.0';

export async function openDatabase(path: string, options: OpenOptions = {}): Promise<Db> {
  const settings: Record<string, string> = { storage_compatibility_version: STORAGE_VERSION };
  if (options.threads) settings.threads = String(options.threads);
  if (options.memoryLimit) settings.memory_limit = options.memoryLimit;
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path, settings);
  } catch (error) {
    const message = (error as Error).message;
    // DuckDB allows one writing process per file; a second nightly run must not wait silently or corrupt it.
    if (/lock/i.test(message)) {
      throw new LockError(`database ${path} is in use by another process (another csqa run?): ${message.split('\n')[0]}`);
    }
    throw new ConfigError(`cannot open database ${path}: ${message.split('\n')[0]}`);
  }
  return connect(path, instance, () => instance.closeSync());
}

async function connect(path: string, instance: DuckDBInstance, closeOwner: () => void): Promise<Db> {
  const connection = await instance.connect();
  // Session time zone pinned so casts never depend on the machine's zone (ICU loads after creation).
  await connection.run("set TimeZone = 'UTC'");
  let inTransaction = false;

  const db: Db = {
    path,
    connection,
    async run(sql, params) {
      await connection.run(sql, params as DuckDBValue[] | undefined);
    },
    async all<T>(sql: string, params?: SqlParams) {
      const reader = await connection.runAndReadAll(sql, params as DuckDBValue[] | undefined);
      return reader.getRowObjectsJS().map((row) => toPlain(row)) as T[];
    },
    async value<T>(sql: string, params?: SqlParams) {
      const rows = await db.all<Row>(sql, params);
      const first = rows[0];
      return first ? (Object.values(first)[0] as T) : undefined;
    },
    async transaction<T>(work: () => Promise<T>) {
      if (inTransaction) throw new Error('nested transactions are not supported');
      inTransaction = true;
      await connection.run('BEGIN TRANSACTION');
      try {
        const result = await work();
        await connection.run('COMMIT');
        return result;
      } catch (error) {
        await connection.run('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        inTransaction = false;
      }
    },
    fork() {
      return connect(path, instance, () => undefined);
    },
    close() {
      connection.closeSync();
      closeOwner();
    },
  };
  return db;
}

/** Quotes an identifier (a column or table name read from a user's file header); values are always bound. */
export function quoteIdent(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

/** Quotes a file path for the statements that take it as SQL text, not a bound parameter (COPY ... TO, ATTACH). */
export function quoteLiteral(text: string): string {
  return "'" + text.replace(/'/g, "''") + "'";
}

/** A list bound as one SQL parameter (e.g. for `list_contains($1, x)`). */
export function listParam(items: readonly string[]): DuckDBValue {
  return listValue([...items]);
}
