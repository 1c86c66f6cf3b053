import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { insertMessages } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'csqa-score-cli-'));

function csqa(args: string[], input?: string) {
  const env: Record<string, string | undefined> = { ...process.env, CSQA_DB: join(dir, 'cli.duckdb'), CSQA_OUT_DIR: dir };
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { encoding: 'utf8', env, input });
}

describe('csqa score / signals / eval', () => {
  it('signals: one JSON line per input line with sentiment and every fired signal', () => {
    const result = csqa(['signals'], ['{"text":"人工！！！","role":"customer"}', '{"text":"我不要优惠券","role":"customer"}'].join('\n'));
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0].sentiment.label).toBe('negative');
    expect(lines[0].signals.map((s: { signal: string }) => s.signal).sort()).toEqual(['anger', 'human_request']);
    expect(lines[1].signals).toEqual([]);
  });

  it('signals --redact: personal data masked in the text and matched spans, offsets dropped', () => {
    const line = '{"text":"加我微信 13812345678，给您申请一张5元优惠券 li.lei@example.com","role":"agent"}';
    const plain = JSON.parse(csqa(['signals'], line).stdout);
    expect(plain.text).toContain('13812345678');
    const result = csqa(['signals', '--redact'], line);
    expect(result.status).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out.text).toBe('加我微信 [PHONE]，给您申请一张5元优惠券 [EMAIL]');
    expect(out.signals.map((s: { signal: string }) => s.signal)).toContain('coupon_appeasement');
    expect(out.signals.every((s: { span: unknown }) => s.span === null)).toBe(true);
  });

  it('signals: a bad line is an input error (exit 3) naming the line', () => {
    const result = csqa(['signals'], '{"text":"ok"}\n{"txt":"oops"}');
    expect(result.status).toBe(3);
    expect(result.stderr).toMatch(/stdin:2: "text" must be a string/);
  });

  it('score: scores new conversations, then does nothing on a re-run', async () => {
    const db = await openDatabase(join(dir, 'cli.duckdb'));
    await insertMessages(db, [
      { conversation: 'c1', role: 'customer', text: '转人工' },
      { conversation: 'c1', role: 'bot', text: '当前排队人数较多，请您耐心等待' },
    ]);
    db.close();
    const first = csqa(['score']);
    expect(first.status).toBe(0);
    expect(first.stderr).toMatch(/score: 1 conversations, 2 messages/);
    const second = csqa(['score']);
    expect(second.stderr).toMatch(/nothing new to score/);
  });

  it('eval: prints metrics and writes the mistakes file', () => {
    const labels = join(dir, 'labels.jsonl');
    writeFileSync(
      labels,
      [
        '{"text":"转人工","role":"customer","sentiment":"negative","signals":["human_request"]}',
        '{"text":"人工智能好厉害","role":"customer","sentiment":"positive","signals":["human_request"]}',
      ].join('\n'),
    );
    const details = join(dir, 'details.jsonl');
    const result = csqa(['eval', '--labels', labels, '--details', details]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/human_request\s+100\.0\s+50\.0/);
    const mistakes = readFileSync(details, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(mistakes).toContainEqual(expect.objectContaining({ kind: 'false_negative', text: '人工智能好厉害', expected: 'human_request' }));
  });
});
