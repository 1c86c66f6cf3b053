/**
 * Writing coaching files safely: names derived from agent and vendor ids can never leave the output folder,
 * and every file appears whole or not at all (temp file, then rename), so a nightly reader never sees half a plan.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A file name for an id: letters, digits, "-", "_" and "." survive (any script, so 张三 stays readable);
 * anything else becomes "_". When the name had to change, a short hash of the id keeps two ids that clean
 * up to the same text apart.
 */
export function safeFileName(id: string): string {
  const cleaned = id
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}_.-]/gu, '_')
    .replace(/^\.+/, '_')
    .slice(0, 80);
  if (cleaned === id && cleaned !== '') return cleaned;
  const hash = createHash('sha256').update(id).digest('hex').slice(0, 8);
  return `${cleaned || 'id'}-${hash}`;
}

let counter = 0;

export function writeFileAtomic(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.tmp-${process.pid}-${counter++}`;
  try {
    writeFileSync(temp, content, 'utf8');
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
