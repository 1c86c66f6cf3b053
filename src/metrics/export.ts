/**
 * Publishes the marts: `<outDir>/exports/<mart>.parquet` and `.csv` for every table in schema marts, plus
 * `metrics_settings.json` with the choices in force. File names never change between runs so a nightly job
 * can publish them, and each file is written under a temporary name and renamed, so a reader never sees
 * half a file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../db/database.js';
import { copyTableToFile, type CopyFormat } from '../db/copy.js';
import { publishFile } from '../pipeline/atomicFile.js';
import type { ProgressUpdate } from '../pipeline/progress.js';
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

/**
 * Returns the written paths: every mart in both formats, then the settings file. `onProgress` is called when a
 * file is written in full under its temp name, just before the rename publishes it.
 */
export async function exportMarts(
  db: Db,
  outDir: string,
  settings: MetricsSettings,
  onProgress?: (update: ProgressUpdate) => void,
): Promise<string[]> {
  const dir = join(outDir, 'exports');
  mkdirSync(dir, { recursive: true });
  const marts = await martNames(db);
  const total = marts.length * FORMATS.length + 1;
  const files: string[] = [];
  const written = (path: string) => onProgress?.({ done: files.length + 1, total, unit: 'files', detail: path });
  for (const mart of marts) {
    for (const format of FORMATS) {
      const path = join(dir, `${mart}.${format}`);
      files.push(
        await publishFile(path, async (temp) => {
          await copyTableToFile(db, 'marts', mart, temp, format);
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
