import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type Db } from '../../src/db/database.js';
import { ConfigError } from '../../src/errors.js';
import { ingest } from '../../src/ingest/load.js';

const pinned = () => new Date('2026-11-21T03:00:00Z');
/** 转人工 / 您好，请问有什么可以帮您 in GB18030 (GBK range): what Excel saves on Chinese Windows. */
const GB = {
  zhuanRenGong: Buffer.from('d7aac8cbb9a4', 'hex'),
  greeting: Buffer.from('c4fabac3a3acc7ebcecad3d0cab2c3b4bfc9d2d4b0efc4fa', 'hex'),
};

let db: Db;
let dir: string;
beforeEach(async () => {
  db = await openDatabase(':memory:');
  dir = mkdtempSync(join(tmpdir(), 'csqa-encoding-'));
});
afterEach(() => db.close());

const config = (encoding?: string) => loadConfig({ env: {}, cwd: dir, flags: encoding ? { 'ingest.encoding': encoding } : {} });
const stored = () => db.all<{ file: string; line: number; role: string; text: string }>(
  'select source_file as file, source_line::integer as line, role, text from raw.messages order by source_file, source_line',
);
const utf8CopiesLeft = () => readdirSync(tmpdir()).filter((name) => name.startsWith('csqa-utf8-'));

function gbkCsv(): string {
  const path = join(dir, 'excel.csv');
  writeFileSync(path, Buffer.concat([
    Buffer.from('type,conversation_id,sent_at,role,text\r\nmessage,c1,2026-11-01T09:00:00Z,customer,'), GB.zhuanRenGong,
    Buffer.from('\r\nmessage,c1,2026-11-01T09:00:05Z,bot,'), GB.greeting, Buffer.from('\r\n'),
  ]));
  return path;
}

describe('ingest: files not in UTF-8', () => {
  it('reads GB18030 CSV and gzipped JSON Lines through a UTF-8 copy, naming the original file and its lines', async () => {
    const csv = gbkCsv();
    const jsonl = join(dir, 'export.jsonl.gz');
    writeFileSync(jsonl, gzipSync(Buffer.concat([
      Buffer.from('\n{"type":"message","conversation_id":"c2","sent_at":"2026-11-01T10:00:00Z","role":"customer","text":"'),
      GB.zhuanRenGong, Buffer.from('"}\n'),
    ])));
    const result = await ingest(db, [csv, jsonl], config('GB18030'), { now: pinned });
    expect(result.files.map((f) => [f.status, f.rowsLoaded, f.rowsQuarantined])).toEqual([['loaded', 2, 0], ['loaded', 1, 0]]);
    expect(await stored()).toEqual([
      { file: csv, line: 2, role: 'customer', text: '转人工' },
      { file: csv, line: 3, role: 'bot', text: '您好，请问有什么可以帮您' },
      { file: jsonl, line: 2, role: 'customer', text: '转人工' },
    ]);
    expect(utf8CopiesLeft()).toEqual([]);
  });

  it('reads UTF-16 with its byte-order mark', async () => {
    const path = join(dir, 'utf16.jsonl');
    const record = '{"type":"message","conversation_id":"c3","sent_at":"2026-11-01T11:00:00Z","role":"customer","text":"人工 please"}\n';
    writeFileSync(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(record, 'utf16le')]));
    await ingest(db, [path], config('utf-16le'), { now: pinned });
    expect((await stored()).map((r) => r.text)).toEqual(['人工 please']);
  });

  it('without the setting, says the file is not UTF-8 and what to set: rows of a CSV, the whole of a JSON Lines file', async () => {
    const csv = gbkCsv();
    const jsonl = join(dir, 'export.jsonl');
    writeFileSync(jsonl, Buffer.concat([
      Buffer.from('{"type":"message","conversation_id":"c2","sent_at":"2026-11-01T10:00:00Z","role":"customer","text":"'),
      GB.zhuanRenGong, Buffer.from('"}\n'),
    ]));
    const result = await ingest(db, [csv, jsonl], loadConfig({ env: {}, cwd: dir, flags: { 'ingest.quarantineThreshold': 1 } }), { now: pinned }).catch((e) => e);
    const files = 'files' in result ? result.files : result.result.files;
    expect(files.map((f: { status: string }) => f.status)).toEqual(['loaded', 'unreadable']);
    const reasons = await db.all<{ reason: string }>('select distinct reason from raw.quarantine');
    expect(reasons).toHaveLength(1);
    expect(reasons[0]!.reason).toMatch(/not UTF-8; set ingest\.encoding .*gb18030/);
    expect(files[1].error).toMatch(/export\.jsonl: cannot be read as JSON Lines \(.*set ingest\.encoding/);
  });

  it('refuses bytes that are not the declared encoding, and an encoding it does not know', async () => {
    const path = join(dir, 'odd.jsonl');
    writeFileSync(path, Buffer.from([0x7b, 0x7d, 0x0a])); // three bytes cannot be UTF-16
    const result = await ingest(db, [path], config('utf-16le'), { now: pinned }).catch((e) => e);
    const files = 'files' in result ? result.files : result.result.files;
    expect(files[0]).toMatchObject({ status: 'unreadable', error: `${path}: not valid utf-16le text (ingest.encoding); give the encoding the file was saved in` });
    expect(utf8CopiesLeft()).toEqual([]);
    expect(() => config('klingon')).toThrow(ConfigError);
  });
});
