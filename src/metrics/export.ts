/**
 * Publishes the marts: `<outDir>/exports/<mart>.parquet` and `.csv` for every table in schema marts, plus
 * `metrics_settings.json` with the choices in force. File names never change between runs so a nightly job
 * can publish them, and each file is written under a temporary name and renamed, so a reader never sees
 * half a file.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../db/database.js';
import { copyQueryToFile, type CopyFormat } from '../db/copy.js';
import { quoteIdent } from '../db/database.js';
import { registerPrivacyFunctions, SQL_CSV_TEXT, SQL_REDACT } from '../privacy/sqlFunctions.js';
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

function publish(finalPath: string, write: (tempPath: string) => void | Promise<void>): Promise<string> {
  const tempPath = `${finalPath}.tmp-${process.pid}`;
  return Promise.resolve(write(tempPath))
    .then(() => {
      renameSync(tempPath, finalPath);
      return finalPath;
    })
    .catch((error: unknown) => {
      rmSync(tempPath, { force: true });
      throw error;
    });
}

export function settingsDocument(settings: MetricsSettings, marts: readonly string[]): Record<string, unknown> {
  return { ...settings, marts: [...marts] };
}

/** Columns that carry text written by customers or agents (as opposed to ids, labels and numbers). */
export const isLogTextColumn = (column: string) => /(^|_)(text|comment|utterance|excerpt)$/.test(column) || column.startsWith('example_');

/**
 * The select that exports a mart: log text redacted (privacy.redact), and in CSV every text cell
 * neutralised against spreadsheet formulas, since vendor and agent names come from the logs too.
 */
async function exportQuery(db: Db, mart: string, format: CopyFormat): Promise<string> {
  const columns = await db.all<{ name: string; type: string }>(
    `select column_name as name, data_type as type from information_schema.columns
     where table_schema = 'marts' and table_name = $1 order by ordinal_position`,
    [mart],
  );
  const select = columns.map(({ name, type }) => {
    if (type !== 'VARCHAR') return quoteIdent(name);
    let expr = quoteIdent(name);
    if (isLogTextColumn(name)) expr = `${SQL_REDACT}(${expr})`;
    if (format === 'csv') expr = `${SQL_CSV_TEXT}(${expr})`;
    return `${expr} as ${quoteIdent(name)}`;
  });
  // COPY writes rows in scan order, which parallel plans vary; a nightly file must not change when nothing did.
  return `select ${select.join(', ')} from marts.${quoteIdent(mart)} order by all`;
}

/** Returns the written paths: every mart in both formats, then the settings file. */
export async function exportMarts(
  db: Db,
  outDir: string,
  settings: MetricsSettings,
  privacy: { redact: boolean } = { redact: true },
): Promise<string[]> {
  const dir = join(outDir, 'exports');
  mkdirSync(dir, { recursive: true });
  registerPrivacyFunctions(db, { privacy });
  const marts = await martNames(db);
  const files: string[] = [];
  for (const mart of marts) {
    for (const format of FORMATS) {
      const query = await exportQuery(db, mart, format);
      files.push(await publish(join(dir, `${mart}.${format}`), (temp) => copyQueryToFile(db, query, temp, format)));
    }
  }
  const document = JSON.stringify(settingsDocument(settings, marts), null, 2) + '\n';
  files.push(await publish(join(dir, SETTINGS_FILE), (temp) => writeFileSync(temp, document)));
  return files;
}
