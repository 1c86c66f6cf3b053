import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/database.js';
import { scanOutputDir, type TextReader } from '../../src/privacy/scanDir.js';
import { registerPrivacyFunctions } from '../../src/privacy/sqlFunctions.js';
import { loadHostileCorpus } from './corpus.js';
import { writeOutputs } from './writers.js';

const corpus = loadHostileCorpus();
let db: Db;

beforeEach(async () => {
  db = await openDatabase(':memory:');
  registerPrivacyFunctions(db, { privacy: { redact: true } });
  await db.run('create table corpus (id varchar, text varchar)');
  for (const entry of corpus) await db.run('insert into corpus values ($1, $2)', [entry.id, entry.text]);
});
afterEach(() => db.close());

const parquetReader = (): TextReader => async (path) => {
  const rows = await db.all<{ text: string | null }>('select text from read_parquet($1) order by id', [path]);
  return rows.map((r) => r.text ?? '').join('\n');
};

async function outputDir(safe: boolean): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'csqa-out-'));
  mkdirSync(join(dir, 'coaching'));
  const outputs = writeOutputs(corpus, safe);
  writeFileSync(join(dir, 'report.html'), outputs['report.html']);
  writeFileSync(join(dir, 'coaching', 'a1.md'), outputs['coaching.md']);
  writeFileSync(join(dir, 'templates.csv'), outputs['templates.csv']);
  writeFileSync(join(dir, 'evidence.json'), outputs['evidence.json']);
  writeFileSync(join(dir, 'chart.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  const parquet = join(dir, 'evidence.parquet').replace(/'/g, "''");
  const text = safe ? 'csqa_redact(text)' : 'text';
  await db.run(`copy (select id, ${text} as text from corpus order by id) to '${parquet}' (format parquet)`);
  return dir;
}

describe('scanOutputDir', () => {
  it('finds nothing in a folder of redacted, escaped outputs and names what it could not read', async () => {
    const scan = await scanOutputDir(await outputDir(true), corpus, { '.parquet': parquetReader() });
    expect(scan.leaks).toEqual([]);
    expect(scan.scanned).toEqual(['coaching/a1.md', 'evidence.json', 'evidence.parquet', 'report.html', 'templates.csv']);
    expect(scan.unscanned).toEqual(['chart.png']);
  });

  it('finds the leaks of raw outputs in every file, Parquet included', async () => {
    const scan = await scanOutputDir(await outputDir(false), corpus, { '.parquet': parquetReader() });
    expect([...new Set(scan.leaks.map((l) => l.file))].sort()).toEqual([
      'coaching/a1.md',
      'evidence.json',
      'evidence.parquet',
      'report.html',
      'templates.csv',
    ]);
  });
});
