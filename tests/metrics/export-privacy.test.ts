import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/database.js';
import { exportMarts } from '../../src/metrics/export.js';
import type { MetricsSettings } from '../../src/metrics/settings.js';

let db: Db;
beforeEach(async () => {
  db = await openDatabase(':memory:');
  await db.run(`create schema marts; create table marts.canned_templates (template_id varchar, example_text varchar, top_agent_id varchar, count_messages integer)`);
  await db.run(`insert into marts.canned_templates values
    ('t1', '您好，请拨打 13812345678 或发邮件 li.wei@example.com', '=HYPERLINK("http://evil")', 12),
    ('t2', '-1+1 cmd|'' /C calc''!A0', 'A001', 3)`);
});
afterEach(() => db.close());

const settings = { asOf: '2026-11-08T00:00:00Z' } as unknown as MetricsSettings;

describe('mart exports carry no raw personal data and no spreadsheet formulas', () => {
  it('redacts log text in Parquet and CSV, and neutralises formula cells in CSV', async () => {
    const out = mkdtempSync(join(tmpdir(), 'csqa-export-'));
    await exportMarts(db, out, settings);
    const parquet = await db.all<{ example_text: string; top_agent_id: string }>(
      `select example_text, top_agent_id from read_parquet($1) order by template_id`,
      [join(out, 'exports', 'canned_templates.parquet')],
    );
    expect(parquet[0]!.example_text).toBe('您好，请拨打 [PHONE] 或发邮件 [EMAIL]');
    const csv = readFileSync(join(out, 'exports', 'canned_templates.csv'), 'utf8');
    expect(csv).not.toContain('13812345678');
    expect(csv).not.toContain('li.wei@example.com');
    expect(csv).not.toMatch(/(^|,)"?=HYPERLINK/m);
    expect(csv).not.toMatch(/(^|,)"?-1\+1/m);
    expect(csv).toContain("'=HYPERLINK");
  });

  it('keeps raw text when redaction is switched off', async () => {
    const out = mkdtempSync(join(tmpdir(), 'csqa-export-'));
    await exportMarts(db, out, settings, { privacy: { redact: false } });
    const csv = readFileSync(join(out, 'exports', 'canned_templates.csv'), 'utf8');
    expect(csv).toContain('13812345678');
  });
});
