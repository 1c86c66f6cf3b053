/**
 * Runs the leak scan over every file under an output folder (report, dashboards, coaching, exports), the
 * check end-to-end tests make after a pipeline run. Binary formats are read through `readers` (e.g. Parquet
 * through DuckDB); files nobody can read as text are listed as unscanned rather than passed silently.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { findLeaks, mediumOf, type CorpusEntry, type Leak, type ScanOptions } from './scan.js';

/** Turns a binary file into the text it carries (all string cells, one per line). */
export type TextReader = (path: string) => Promise<string>;

export interface DirScan {
  leaks: Array<Leak & { file: string }>;
  scanned: string[];
  unscanned: string[];
}

const TEXT_EXTENSIONS = new Set(['.html', '.htm', '.svg', '.md', '.csv', '.tsv', '.json', '.jsonl', '.vl', '.txt', '.log', '.js']);

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

export async function scanOutputDir(
  dir: string,
  corpus: readonly CorpusEntry[],
  readers: Record<string, TextReader> = {},
  options: Omit<ScanOptions, 'medium'> = {},
): Promise<DirScan> {
  const result: DirScan = { leaks: [], scanned: [], unscanned: [] };
  for (const path of filesUnder(dir)) {
    const file = relative(dir, path);
    const extension = extname(path).toLowerCase();
    const reader = readers[extension];
    let text: string;
    if (reader) text = await reader(path);
    else if (TEXT_EXTENSIONS.has(extension)) text = readFileSync(path, 'utf8');
    else {
      result.unscanned.push(file);
      continue;
    }
    result.scanned.push(file);
    const medium = reader ? 'text' : mediumOf(path);
    for (const leak of findLeaks(text, corpus, { ...options, medium })) result.leaks.push({ file, ...leak });
  }
  return result;
}
