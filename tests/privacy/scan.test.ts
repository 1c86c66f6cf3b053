import { describe, expect, it } from 'vitest';
import { decodeOutput, findLeaks, mediumOf, type CorpusEntry } from '../../src/privacy/scan.js';
import { loadHostileCorpus } from './corpus.js';
import { writeOutputs, type WrittenOutputs } from './writers.js';

const corpus = loadHostileCorpus();

describe('findLeaks', () => {
  const entry: CorpusEntry = { id: 'p', text: '', pii: ['13812345678', 'zhang@qq.com'], payloads: ['<script>', '# 标题', '=SUM('] };

  it('finds personal values however an output encoded or spaced them', () => {
    for (const output of [
      'x 13812345678 y',
      'x 138 1234 5678',
      'x 138-1234-5678',
      'x １３８１２３４５６７８',
      '{"t":"\\u0031\\u0033812345678"}',
      '&#49;3812345678',
      'mail ZHANG@QQ.COM',
      'mail zhang&#64;qq.com',
      'mail zhang\\@qq.com',
    ]) {
      expect([output, findLeaks(output, [entry]).length]).toEqual([output, 1]);
    }
    expect(findLeaks('x [PHONE] 1381234567 2138123456', [entry])).toEqual([]);
  });

  it('judges payloads by the medium they would run in', () => {
    expect(findLeaks('<script>', [entry], { medium: 'html' })).toHaveLength(1);
    expect(findLeaks('&lt;script&gt;', [entry], { medium: 'html' })).toHaveLength(0);
    expect(findLeaks('> # 标题', [entry], { medium: 'markdown' })).toHaveLength(1);
    expect(findLeaks('> \\# 标题', [entry], { medium: 'markdown' })).toHaveLength(0);
    expect(findLeaks('a,=SUM(1)', [entry], { medium: 'csv' })).toHaveLength(1);
    expect(findLeaks(`a,"'=SUM(1)"`, [entry], { medium: 'csv' })).toHaveLength(0);
    expect(findLeaks('<script>', [entry], { medium: 'csv' })).toHaveLength(0);
  });

  it('optionally reports anything that looks personal even outside the corpus', () => {
    expect(findLeaks('call 13912345678', [], { patterns: true }).map((l) => [l.source, l.value])).toEqual([
      ['PHONE', '13912345678'],
    ]);
  });

  it('undoes entity, \\u and Markdown escapes', () => {
    expect(decodeOutput('&lt;a&gt; \\u003cb\\u003e \\[c\\] &#x41;')).toBe('<a> <b> [c] A');
  });

  it('picks the medium from the file name', () => {
    expect(['a.html', 'b.md', 'c.csv', 'd.json', 'e.txt'].map(mediumOf)).toEqual(['html', 'markdown', 'csv', 'json', 'text']);
  });
});

describe('hostile corpus through every output medium', () => {
  const scanAll = (outputs: WrittenOutputs) =>
    Object.entries(outputs).flatMap(([file, content]) =>
      findLeaks(content, corpus, { medium: mediumOf(file) }).map((leak) => ({ file, ...leak })),
    );

  it('redacted and escaped outputs leak no personal value and no live payload', () => {
    expect(scanAll(writeOutputs(corpus, true))).toEqual([]);
  });

  it('raw outputs leak every personal value and every payload (the scan can fail)', () => {
    const leaks = scanAll(writeOutputs(corpus, false));
    const leakedPii = new Set(leaks.filter((l) => l.kind === 'pii').map((l) => l.value));
    const leakedPayloads = new Set(leaks.filter((l) => l.kind === 'payload').map((l) => l.value));
    expect(corpus.flatMap((e) => e.pii ?? []).filter((v) => !leakedPii.has(v))).toEqual([]);
    expect(corpus.flatMap((e) => e.payloads ?? []).filter((v) => !leakedPayloads.has(v))).toEqual([]);
  });

  it('keeps near-misses and masks visible in the outputs', () => {
    const csv = writeOutputs(corpus, true)['templates.csv'];
    for (const kept of ['¥199.00', '2026-11-21 14:30', '买了12件', '[订单x]', '09:45', '1,299.00']) {
      expect([kept, csv.includes(kept)]).toEqual([kept, true]);
    }
  });
});
