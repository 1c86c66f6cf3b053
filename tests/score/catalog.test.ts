import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileAnalyzer } from '../../src/score/analyzer.js';
import { loadCatalog } from '../../src/score/catalog.js';
import { ConfigError } from '../../src/errors.js';
import { maskVariableParts } from '../../src/score/normalize.js';
import { TemplateIndex, jaccard, shingles } from '../../src/score/templates.js';
import { buildAutomaton } from '../../src/score/automaton.js';

function catalogFile(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'csqa-catalog-')), 'extra.json');
  writeFileSync(path, JSON.stringify(content));
  return path;
}

describe('catalog', () => {
  it('ships a real lexicon and rules for every signal', () => {
    const catalog = loadCatalog();
    expect(Object.keys(catalog.sentiment.terms).length).toBeGreaterThan(250);
    const signals = new Set(catalog.rules.map((r) => r.signal));
    for (const s of ['human_request', 'complaint_threat', 'anger', 'repeat_explanation', 'thanks_resolved',
      'coupon_appeasement', 'callback_promise', 'agents_busy', 'self_service_redirect', 'bot_transfer_block']) {
      expect(signals.has(s), s).toBe(true);
    }
  });

  it('lets users add rules and override shipped ones by id, and changes the version', () => {
    const extra = catalogFile({
      language: 'zh',
      sentiment: { terms: { 绝绝子: 2 } },
      rules: [
        { id: 'user.busy', signal: 'agents_busy', roles: ['bot'], confidence: 0.8, phrases: ['小二都在忙'] },
        { id: 'zh.human.bare', signal: 'human_request', roles: ['customer'], confidence: 0.5, phrases: ['真人真人'] },
      ],
    });
    const base = loadCatalog();
    const extended = loadCatalog([extra]);
    expect(extended.version).not.toBe(base.version);
    const analyzer = compileAnalyzer(extended);
    expect(analyzer.analyze('小二都在忙，请稍候').hits.map((h) => h.ruleId)).toContain('user.busy');
    expect(analyzer.analyze('绝绝子').sentiment.label).toBe('positive');
    // The shipped bare 人工 rule was replaced, so "人工" alone no longer matches it.
    expect(analyzer.analyze('人工').hits.map((h) => h.ruleId)).not.toContain('zh.human.bare');
  });

  it('rejects broken user files with the file and the rule named', () => {
    const unknown = catalogFile({ language: 'en', rules: [{ id: 'x', signal: 'rage', roles: ['customer'], confidence: 0.9, phrases: ['a'] }] });
    expect(() => loadCatalog([unknown])).toThrow(ConfigError);
    expect(() => loadCatalog([unknown])).toThrow(/rules\[0\] \(x\): unknown signal "rage"/);
    const badRegex = catalogFile({ language: 'en', rules: [{ id: 'y', signal: 'anger', roles: ['customer'], confidence: 0.5, pattern: '(' }] });
    expect(() => loadCatalog([badRegex])).toThrow(/bad pattern/);
    expect(() => loadCatalog(['/nonexistent/catalog.json'])).toThrow(/cannot be read/);
  });
});

describe('automaton', () => {
  it('finds overlapping phrases in one pass, case-insensitively for ASCII, with original offsets', () => {
    const automaton = buildAutomaton(['人工', '转人工', 'agent', 'he', 'she', 'hers']);
    const found = automaton.matches('转人工 AGENT ushers').map((m) => [m.phrase, m.start, m.end]);
    expect(found).toEqual([
      [1, 0, 3],
      [0, 1, 3],
      [2, 4, 9],
      [4, 11, 14],
      [3, 12, 14],
      [5, 12, 16],
    ]);
  });
});

describe('template clustering', () => {
  it('masks what changes between pastes of the same reply', () => {
    expect(maskVariableParts('亲，您的订单SF1234567890已发货，张先生请查收')).toBe(maskVariableParts('亲，您的订单YT99887766已发货，李先生请查收'));
    expect(maskVariableParts('Hi John, your refund of $25.50 is on its way')).toBe(maskVariableParts('Hi Maria, your refund of $7 is on its way'));
    expect(maskVariableParts('您好')).not.toBe(maskVariableParts('再见'));
  });

  it('puts near-duplicates in one template and different replies in different ones', () => {
    const a = maskVariableParts('非常抱歉给您带来不便，我们会尽快为您处理，请您耐心等待');
    const b = maskVariableParts('非常抱歉给您带来不便，我们会尽快为您处理，请耐心等待');
    const short1 = maskVariableParts('亲，您的订单已经发货，请耐心等待哦');
    const short2 = maskVariableParts('亲，您的订单已经发货了，请耐心等待哦');
    const other = maskVariableParts('您的包裹已经签收了，请问还有其他问题吗');
    expect(jaccard(shingles(short1), shingles(short2))).toBeGreaterThanOrEqual(0.7);
    expect(jaccard(shingles(a), shingles(other))).toBeLessThan(0.3);
    const index = new TemplateIndex(0.7);
    const idA = index.assign(a);
    expect(index.assign(b)).toBe(idA);
    const idShort = index.assign(short1);
    expect(index.assign(short2)).toBe(idShort);
    expect(idShort).not.toBe(idA);
    expect(index.assign(other)).not.toBe(idA);
    // A new index seeded with the known templates gives the same ids (stable across runs).
    const reloaded = new TemplateIndex(0.7, index.added);
    expect(reloaded.assign(b)).toBe(idA);
    expect(reloaded.assign(short2)).toBe(idShort);
    expect(reloaded.added).toEqual([]);
  });
});
