/**
 * Turns the paths a user gives (files, folders, globs) into a sorted list of input files and their formats.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { InputError } from '../errors.js';

export type FileFormat = 'jsonl' | 'json' | 'csv' | 'parquet';

export interface InputFile {
  /** The file as the user named it: what messages, the manifest and quarantine rows refer to. */
  path: string;
  format: FileFormat;
  gzip: boolean;
  /** Where the bytes are read from when not `path`: a UTF-8 copy of a file in another encoding (transcode.ts). */
  readPath?: string;
}

const SUFFIXES: ReadonlyArray<[RegExp, FileFormat]> = [
  [/\.(jsonl|ndjson)$/i, 'jsonl'],
  [/\.json$/i, 'json'],
  [/\.(csv|tsv)$/i, 'csv'],
  [/\.parquet$/i, 'parquet'],
];

export function formatOf(path: string): { format: FileFormat; gzip: boolean } | undefined {
  const gzip = /\.gz$/i.test(path);
  const name = gzip ? path.slice(0, -3) : path;
  const hit = SUFFIXES.find(([pattern]) => pattern.test(name));
  return hit ? { format: hit[1], gzip } : undefined;
}

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (entry.isFile()) out.push(full);
  }
}

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '{') {
      const end = glob.indexOf('}', i);
      if (end < 0) re += '\\{';
      else {
        re += '(' + glob.slice(i + 1, end).split(',').map(escapeRe).join('|') + ')';
        i = end;
      }
    } else re += escapeRe(ch);
  }
  return new RegExp('^' + re + '$');
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function expandGlob(pattern: string): string[] {
  const normalized = pattern.split(sep).join('/');
  const parts = normalized.split('/');
  const firstWild = parts.findIndex((p) => /[*?{]/.test(p));
  const base = parts.slice(0, firstWild).join('/') || '.';
  let all: string[] = [];
  try {
    walk(base, all);
  } catch {
    return [];
  }
  const matcher = globToRegExp(normalized.startsWith('./') ? normalized.slice(2) : normalized);
  all = all.map((p) => p.split(sep).join('/'));
  return all.filter((p) => matcher.test(p.startsWith('./') ? p.slice(2) : p));
}

/**
 * Files are returned sorted by path so load order, and with it which copy of a duplicate wins, is
 * deterministic. Folders contribute only files with a known format; a named file with an unknown
 * format is an error rather than something silently skipped.
 */
export function discoverInputs(paths: readonly string[]): InputFile[] {
  const found = new Map<string, InputFile>();
  for (const given of paths) {
    const isGlob = /[*?{]/.test(given);
    let candidates: string[];
    let explicit = false;
    if (isGlob) {
      candidates = expandGlob(given);
      if (candidates.length === 0) throw new InputError(`${given}: no file matches this pattern`);
    } else {
      let stats;
      try {
        stats = statSync(given);
      } catch {
        throw new InputError(`${given}: no such file or folder`);
      }
      if (stats.isDirectory()) {
        candidates = [];
        walk(given, candidates);
      } else {
        candidates = [given];
        explicit = true;
      }
    }
    for (const path of candidates) {
      const kind = formatOf(path);
      if (!kind) {
        if (explicit) {
          throw new InputError(`${path}: unknown file format (expected .jsonl, .ndjson, .json, .csv, .tsv or .parquet, optionally .gz)`);
        }
        continue;
      }
      found.set(path, { path, ...kind });
    }
  }
  return [...found.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
