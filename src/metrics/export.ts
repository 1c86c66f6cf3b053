/**
 * Publishes the marts: `<outDir>/exports/<mart>.parquet` and `.csv` for every table in schema marts, plus
 * `metrics_settings.json` with the choices in force. File names never change between runs so a nightly job
 * can publish them, and each file is written under a temporary name and renamed, so a reader never sees
 * half a file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../db/database.js';
import { copyQueryToFile, type CopyFormat } from '../db/copy.js';
import { quoteIdent } from '../db/database.js';
import { registerPrivacyFunctions, sqlNeutraliseFormula, SQL_REDACT } from '../privacy/sqlFunctions.js';
import { publishFile } from '../pipeline/atomicFile.js';
import type { ProgressUpdate } from '../pipeline/progress.js';
import { defaultSqlDir, loadModels } from './models.js';
import type { MetricsSettings } from './settings.js';

export const SETTINGS_FILE = 'metrics_settings.json';
const FORMATS: readonly CopyFormat[] = ['parquet', 'csv'];

export async function martNames(db: Db): Promise<string[]> {
  const rows = await db.all<{ name: string }>(
    `select table_name as name from information_schema.tables
     where table_schema = 'marts' order by table_name`,
  );
  return rows.map((r) => r.name);
}

export function settingsDocument(settings: MetricsSettings, marts: readonly string[]): Record<string, unknown> {
  return { ...settings, marts: [...marts] };
}

/** Columns that carry text written by customers or agents (as opposed to ids, labels and numbers). */
export const isLogTextColumn = (column: string) => /(^|_)(text|comment|utterance|excerpt)$/.test(column) || column.startsWith('example_');

/** Each mart's grain key as its SQL model declares it (the grain audits hold it unique and non-null). */
export function martKeys(sqlDir: string): Map<string, string[]> {
  return new Map(loadModels(sqlDir).filter((m) => m.layer === 'marts' && m.key.length > 0).map((m) => [m.name, m.key]));
}

/**
 * The select that exports a mart: log text redacted (privacy.redact), and in CSV every text cell
 * neutralised against spreadsheet formulas, since vendor and agent names come from the logs too.
 */
async function exportQuery(db: Db, mart: string, format: CopyFormat, key: readonly string[] = []): Promise<string> {
  const columns = await db.all<{ name: string; type: string }>(
    `select column_name as name, data_type as type from information_schema.columns
     where table_schema = 'marts' and table_name = $1 order by ordinal_position`,
    [mart],
  );
  const select = columns.map(({ name, type }) => {
    if (type !== 'VARCHAR') return quoteIdent(name);
    let expr = quoteIdent(name);
    if (isLogTextColumn(name)) expr = `${SQL_REDACT}(${expr})`;
    if (format === 'csv') expr = sqlNeutraliseFormula(expr);
    return `${expr} as ${quoteIdent(name)}`;
  });
  // COPY writes rows in scan order, which parallel plans vary; a nightly file must not change when nothing did.
  // The grain key is unique, so ordering by it alone is as deterministic as `order by all` and far cheaper on
  // wide marts (the sort compares a few columns, not every one); without a usable key, order by all.
  const names = new Set(columns.map((c) => c.name));
  const order = key.length > 0 && key.every((k) => names.has(k)) ? key.map(quoteIdent).join(', ') : 'all';
  return `select ${select.join(', ')} from marts.${quoteIdent(mart)} order by ${order}`;
}

export interface ExportOptions {
  /** privacy.redact of the config; redaction is on unless switched off. */
  privacy?: { redact: boolean };
  /** Called when a file is written in full under its temp name, just before the rename publishes it. */
  onProgress?: (update: ProgressUpdate) => void;
  /** Where the mart models (and their grain keys) live; defaults to the sql/ folder of the package. */
  sqlDir?: string;
}

/** Returns the written paths: every mart in both formats, then the settings file. */
export async function exportMarts(db: Db, outDir: string, settings: MetricsSettings, options: ExportOptions = {}): Promise<string[]> {
  const { privacy = { redact: true }, onProgress, sqlDir = defaultSqlDir() } = options;
  const keys = martKeys(sqlDir);
  const dir = join(outDir, 'exports');
  mkdirSync(dir, { recursive: true });
  registerPrivacyFunctions(db, { privacy });
  const marts = await martNames(db);
  const total = marts.length * FORMATS.length + 1;
  const files: string[] = [];
  const written = (path: string) => onProgress?.({ done: files.length + 1, total, unit: 'files', detail: path });
  for (const mart of marts) {
    for (const format of FORMATS) {
      const path = join(dir, `${mart}.${format}`);
      files.push(
        await publishFile(path, async (temp) => {
          await copyQueryToFile(db, await exportQuery(db, mart, format, keys.get(mart)), temp, format);
          written(path);
        }),
      );
    }
  }
  const document = JSON.stringify(settingsDocument(settings, marts), null, 2) + '\n';
  const settingsPath = join(dir, SETTINGS_FILE);
  files.push(
    await publishFile(settingsPath, (temp) => {
      writeFileSync(temp, document);
      written(settingsPath);
    }),
  );
  return files;
}
