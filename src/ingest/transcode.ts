/**
 * Text DuckDB's readers cannot take as it is, read through a temporary copy they can: input in an encoding other
 * than UTF-8 (Excel saves CSV as GB18030 on Chinese Windows, Big5 on Traditional Chinese; some exports are UTF-16;
 * DuckDB's encodings extension cannot be installed offline), and CSV whose lines end both in CRLF and in LF. A copy
 * keeps every line where it was, so line numbers in quarantine still point into the original, and the manifest
 * still hashes the original's bytes.
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { TextDecoder } from 'node:util';
import { createGunzip } from 'node:zlib';
import { ConfigError, InputError } from '../errors.js';
import type { InputFile } from './discover.js';

/** The WHATWG name of an encoding label ("GBK" -> "gbk"); a ConfigError names an unknown label. */
export function encodingName(label: string): string {
  try {
    return new TextDecoder(label).encoding;
  } catch {
    throw new ConfigError(`ingest.encoding: unknown encoding "${label}" (e.g. utf-8, gb18030, big5, utf-16le)`);
  }
}

/** Runs `use` on the file, or on a UTF-8 copy of it (deleted afterwards) when its encoding is another. */
export async function withUtf8Text<T>(file: InputFile, encoding: string, use: (file: InputFile) => Promise<T>): Promise<T> {
  const name = encodingName(encoding);
  if (name === 'utf-8' || file.format === 'parquet') return use(file);
  return withCopy(file, { path: file.path, gzip: file.gzip, encoding: name }, (text) => text, use);
}

/**
 * Runs `use` on a copy of the (UTF-8) file whose CRLF line ends are LF, deleted afterwards. DuckDB's CSV reader
 * refuses a whole file whose lines end both ways (a header saved on Unix, rows appended on Windows); the copy
 * keeps every line where it was. A CR at the end of a chunk waits for the next one, which may start with LF.
 */
export async function withLfLineEnds<T>(file: InputFile, use: (file: InputFile) => Promise<T>): Promise<T> {
  let pendingCr = false;
  const toLf = (text: string, last: boolean): string => {
    let out = (pendingCr ? '\r' : '') + text;
    pendingCr = !last && out.endsWith('\r');
    if (pendingCr) out = out.slice(0, -1);
    return out.replace(/\r\n/g, '\n');
  };
  // An earlier copy (another encoding) is already plain UTF-8 text; only the original may be gzipped.
  const source = file.readPath ? { path: file.readPath, gzip: false } : { path: file.path, gzip: file.gzip };
  return withCopy(file, { ...source, encoding: 'utf-8' }, toLf, use);
}

/** The bytes a copy is made from. */
interface CopySource {
  path: string;
  gzip: boolean;
  encoding: string;
}

/** Writes `source` decoded and passed through `edit` to a temporary file, runs `use` on it, deletes it. */
async function withCopy<T>(
  file: InputFile, source: CopySource, edit: (text: string, last: boolean) => string,
  use: (file: InputFile) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'csqa-utf8-'));
  try {
    const copy = join(dir, basename(file.path).replace(/\.gz$/i, ''));
    await writeCopy(file, source, edit, copy);
    return await use({ ...file, gzip: false, readPath: copy });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function writeCopy(
  file: InputFile, { path, gzip, encoding }: CopySource, edit: (text: string, last: boolean) => string, copy: string,
): Promise<void> {
  const decoder = new TextDecoder(encoding, { fatal: true });
  const source = createReadStream(path);
  const bytes = gzip ? source.pipe(createGunzip()) : source;
  const out = createWriteStream(copy);
  try {
    for await (const chunk of bytes) {
      if (!out.write(edit(decodeOrFail(decoder, file, encoding, chunk as Buffer), false))) await once(out, 'drain');
    }
    out.write(edit(decodeOrFail(decoder, file, encoding), true));
  } finally {
    source.destroy();
    await new Promise<void>((done, fail) => out.end((error?: Error | null) => (error ? fail(error) : done())));
  }
}

function decodeOrFail(decoder: TextDecoder, file: InputFile, encoding: string, chunk?: Buffer): string {
  try {
    return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
  } catch {
    throw new InputError(`${file.path}: not valid ${encoding} text (ingest.encoding); give the encoding the file was saved in`);
  }
}
