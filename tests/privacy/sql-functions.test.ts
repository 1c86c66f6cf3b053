import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/database.js';
import { findLeaks } from '../../src/privacy/scan.js';
import { registerPrivacyFunctions } from '../../src/privacy/sqlFunctions.js';
import { loadHostileCorpus } from './corpus.js';

const corpus = loadHostileCorpus();
let db: Db;

beforeEach(async () => {
  db = await openDatabase(':memory:');
  await db.run('create table corpus (id varchar, text varchar)');
  for (const entry of corpus) await db.run('insert into corpus values ($1, $2)', [entry.id, entry.text]);
  await db.run('insert into corpus values ($1, null)', ['purged']);
});
afterEach(() => db.close());

describe('privacy SQL functions', () => {
  it('csqa_redact gives the same text as redact(), NULL stays NULL', async () => {
    registerPrivacyFunctions(db, { privacy: { redact: true } });
    const rows = await db.all<{ id: string; r: string | null }>('select id, csqa_redact(text) as r from corpus order by id');
    const expected = new Map(corpus.map((e) => [e.id, e.redacted]));
    for (const row of rows) expect([row.id, row.r]).toEqual([row.id, row.id === 'purged' ? null : expected.get(row.id)]);
  });

  it('follows privacy.redact = false', async () => {
    registerPrivacyFunctions(db, { privacy: { redact: false } });
    expect(await db.value("select csqa_redact('手机13812345678')")).toBe('手机13812345678');
  });

  it('CSV and Parquet written by COPY leak nothing from the corpus', async () => {
    registerPrivacyFunctions(db, { privacy: { redact: true } });
    const dir = mkdtempSync(join(tmpdir(), 'csqa-copy-'));
    const csv = join(dir, 'evidence.csv');
    const parquet = join(dir, 'evidence.parquet');
    await db.run(`copy (select id, csqa_csv_text(csqa_redact(text)) as text from corpus order by id) to '${csv}' (header)`);
    await db.run(`copy (select id, csqa_redact(text) as text from corpus order by id) to '${parquet}' (format parquet)`);
    expect(findLeaks(readFileSync(csv, 'utf8'), corpus, { medium: 'csv' })).toEqual([]);
    const fromParquet = await db.all<{ text: string | null }>(`select text from read_parquet('${parquet}')`);
    expect(findLeaks(fromParquet.map((r) => r.text ?? '').join('\n'), corpus, { medium: 'text' })).toEqual([]);
    // and the unprotected export would have leaked (the check can fail)
    const raw = join(dir, 'raw.csv');
    await db.run(`copy (select id, text from corpus order by id) to '${raw}' (header)`);
    const leaks = findLeaks(readFileSync(raw, 'utf8'), corpus, { medium: 'csv' });
    expect(leaks.some((l) => l.kind === 'pii')).toBe(true);
    expect(leaks.some((l) => l.kind === 'payload' && l.value === '=HYPERLINK(')).toBe(true);
  });
});
