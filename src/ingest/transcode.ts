/**
 * Bytes DuckDB's readers cannot take as they are, read through a temporary copy they can: text in an encoding other
 * than UTF-8 (Excel saves CSV as GB18030 on Chinese Windows, Big5 on Traditional Chinese; some exports are UTF-16;
 * DuckDB's encodings extension cannot be installed offline), CSV whose lines end both in CRLF and in LF, and
 * gzipped Parquet (DuckDB reads Parquet only uncompressed, its compression being inside the file). A copy
 * keeps every line where it was, so line numbers in quarantine still point into the original, and the manifest
 * still hashes the original's bytes.
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync, type ReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
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

/**
 * Runs `use` on the file, or on a readable copy of it (deleted afterwards): a UTF-8 copy when its text encoding is
 * another (the configured one, or UTF-16 told by its byte-order mark), an uncompressed copy of gzipped Parquet.
 */
export async function withUtf8Text<T>(file: InputFile, encoding: string, use: (file: InputFile) => Promise<T>): Promise<T> {
  if (file.format === 'parquet') return file.gzip ? withGunzipped(file, use) : use(file);
  let name = encodingName(encoding);
  if (name === 'utf-8') name = utf16Of(file, await headBytes(file, 4096)) ?? name;
  if (name === 'utf-8') return use(file);
  return withCopy(file, (copy) => writeCopy(file, { path: file.path, gzip: file.gzip, encoding: name }, (text) => text, copy), use);
}

/**
 * UTF-16 text in a file read as UTF-8: by its byte-order mark, the encoding to read it in; without one but with
 * NUL bytes in every other place (UTF-16 of Latin text), an InputError saying what to set, since the byte order
 * is then a guess. Read as UTF-8 it would fail on the first NUL with a message about something else.
 */
export function utf16Of(file: InputFile, head: Buffer): string | undefined {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  const nuls = head.filter((b) => b === 0).length;
  if (head.length >= 8 && nuls >= head.length / 4) {
    throw new InputError(`${file.path}: looks like UTF-16 text (NUL bytes between characters, no byte-order mark); set ingest.encoding to utf-16le or utf-16be`);
  }
  return undefined;
}

/** The first bytes of the file the reader sees (`readPath` if any), uncompressed. */
export async function headBytes(file: InputFile, bytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  const { source, stream } = openBytes(file, bytes);
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= bytes) break;
    }
  } catch (error) {
    if (size === 0) throw new InputError(`${file.path}: cannot be read (${(error as Error).message})`);
  } finally {
    source.destroy();
  }
  return Buffer.concat(chunks).subarray(0, bytes);
}

/**
 * A stream of the bytes the reader sees (`readPath` if any), uncompressed, and its file stream to destroy when
 * stopping early; `limit` bounds the bytes read from an uncompressed file.
 */
export function openBytes(file: InputFile, limit?: number): { source: ReadStream; stream: Readable } {
  const gzip = file.gzip && !file.readPath;
  const source = createReadStream(file.readPath ?? file.path, { end: gzip || limit === undefined ? undefined : limit - 1, highWaterMark: 1 << 20 });
  return { source, stream: gzip ? source.pipe(createGunzip()) : source };
}

/** Runs `use` on an uncompressed copy of a gzipped file, deleted afterwards. */
async function withGunzipped<T>(file: InputFile, use: (file: InputFile) => Promise<T>): Promise<T> {
  return withCopy(file, async (copy) => {
    try {
      await pipeline(createReadStream(file.path), createGunzip(), createWriteStream(copy));
    } catch (error) {
      throw new InputError(`${file.path}: cannot be decompressed as gzip (${(error as Error).message})`);
    }
  }, use);
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
  return withCopy(file, (copy) => writeCopy(file, { ...source, encoding: 'utf-8' }, toLf, copy), use);
}

/** The bytes a copy is made from. */
interface CopySource {
  path: string;
  gzip: boolean;
  encoding: string;
}

/** Runs `write` to make a temporary copy of the file, then `use` on the copy; deletes it. */
async function withCopy<T>(file: InputFile, write: (copy: string) => Promise<void>, use: (file: InputFile) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'csqa-utf8-'));
  try {
    const copy = join(dir, basename(file.path).replace(/\.gz$/i, ''));
    await write(copy);
    return await use({ ...file, gzip: false, readPath: copy });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes `source` decoded and passed through `edit` to `copy`. */
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
