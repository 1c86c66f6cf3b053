/**
 * Outputs a downstream job picks up (exports, the report, the run summary) appear whole or not at all: each
 * is written under `<name>.tmp-<pid>` in the same folder and renamed over the final name (atomic on one file
 * system). A run killed mid-write leaves only such a temp file, which the next run sweeps.
 */
import { readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const TEMP_MARK = '.tmp-';

export function tempPathFor(finalPath: string): string {
  return `${finalPath}${TEMP_MARK}${process.pid}`;
}

export async function publishFile(finalPath: string, write: (tempPath: string) => void | Promise<void>): Promise<string> {
  const tempPath = tempPathFor(finalPath);
  try {
    await write(tempPath);
    renameSync(tempPath, finalPath);
    return finalPath;
  } catch (error) {
    rmSync(tempPath, { force: true });
    throw error;
  }
}

export function writeFileAtomic(finalPath: string, text: string): Promise<string> {
  return publishFile(finalPath, (temp) => writeFileSync(temp, text));
}

/**
 * Removes temp files that killed runs left under `dir` (recursively). Only safe while holding the output
 * folder's lock, when no live run can be writing one. Returns the removed paths.
 */
export function sweepTempFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true, recursive: true });
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || !/\.tmp-\d+$/.test(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    rmSync(path, { force: true });
    removed.push(path);
  }
  return removed.sort();
}
