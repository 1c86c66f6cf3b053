import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import {
  createRedactor,
  findPii,
  luhnValid,
  redact,
  redactionNotice,
  residentIdValid,
  textForClustering,
} from '../../src/privacy/redact.js';
import { loadHostileCorpus } from './corpus.js';

const corpus = loadHostileCorpus();

describe('redact: the hostile/personal corpus', () => {
  it.each(corpus.map((entry) => [entry.id, entry] as const))('%s', (_id, entry) => {
    expect(redact(entry.text)).toBe(entry.redacted);
  });

  it('covers every placeholder type in Chinese and English contexts', () => {
    const types = new Map<string, Set<'zh' | 'en'>>();
    for (const entry of corpus) {
      const language = /\p{Script=Han}/u.test(entry.text) ? 'zh' : 'en';
      for (const span of findPii(entry.text)) {
        if (!types.has(span.type)) types.set(span.type, new Set());
        types.get(span.type)!.add(language);
      }
    }
    for (const type of ['PHONE', 'ID', 'CARD', 'EMAIL', 'IP', 'URL', 'ADDRESS', 'ORDER', 'NAME', 'ACCOUNT']) {
      expect([type, [...(types.get(type) ?? [])].sort()]).toEqual([type, ['en', 'zh']]);
    }
  });

  it('is idempotent: redacting redacted text changes nothing', () => {
    for (const entry of corpus) expect(redact(entry.redacted!)).toBe(entry.redacted);
  });
});

describe('validators', () => {
  it('accepts resident IDs only with a correct GB 11643 check digit and a real birth date', () => {
    expect(residentIdValid('11010519491231002X')).toBe(true);
    expect(residentIdValid('510104197609230010')).toBe(true);
    expect(residentIdValid('510104197609230011')).toBe(false); // check digit
    expect(residentIdValid('110105194902310026')).toBe(false); // 31 February... of 1949 is not a day
    expect(redact('id 510104197609230011 x')).toBe('id [NUMBER] x'); // long digit run still never leaks
  });

  it('accepts card numbers only when they pass Luhn', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(redact('卡 4111 1111 1111 1111')).toBe('卡 [CARD]');
    // Luhn-failing 16 digits in groups of four: not a card, and too short per group to be a long run.
    expect(redact('券码 4111 1111 1111 1112')).toBe('券码 4111 1111 1111 1112');
  });

  it('tells mobiles from other 11-digit numbers', () => {
    expect(redact('手机13012345678')).toBe('手机[PHONE]');
    expect(redact('编号12012345678')).toBe('编号12012345678');
    expect(redact('订单13812345678')).toBe('订单[ORDER]');
  });

  it('does not join a phone with a neighbouring date into one number', () => {
    expect(redact('2026-11-21 13812345678 联系')).toBe('2026-11-21 [PHONE] 联系');
    expect(redact('手机13812345678 2 次没接')).toBe('手机[PHONE] 2 次没接');
  });
});

describe('hostile shapes', () => {
  it('handles long adversarial inputs (up to ingest.maxTextChars) with the same rules', () => {
    expect(redact('1 '.repeat(5000))).toBe('1 '.repeat(5000));
    expect(redact('9'.repeat(20000))).toBe('[NUMBER]');
    expect(redact('x@' + 'a.'.repeat(5000))).toBe('x@' + 'a.'.repeat(5000));
    const phones = '13812345678 '.repeat(1000);
    expect(redact(phones)).toBe('[PHONE] '.repeat(1000));
  });
});

describe('offsets and switches', () => {
  it('reports spans that point at the value, not at its label', () => {
    const text = '订单号：2026112100018837，邮箱a@b.cn';
    expect(findPii(text).map((s) => [s.type, text.slice(s.start, s.end)])).toEqual([
      ['ORDER', '2026112100018837'],
      ['EMAIL', 'a@b.cn'],
    ]);
  });

  it('privacy.redact = false leaves text raw and the notice says so', () => {
    const off = createRedactor(loadConfig({ env: {}, flags: { 'privacy.redact': false } }));
    const on = createRedactor(loadConfig({ env: {}, flags: {} }));
    expect(off.enabled).toBe(false);
    expect(off('手机13812345678')).toBe('手机13812345678');
    expect(on('手机13812345678')).toBe('手机[PHONE]');
    expect(on(null)).toBeNull();
    expect(redactionNotice(false)).toMatch(/OFF/);
    expect(redactionNotice(true)).toMatch(/\[PHONE\]/);
  });

  it('puts two copies of a template that differ only by personal data into one clustering text', () => {
    const a = textForClustering('您好，您的订单号：2026112100018837 已登记，稍后致电13812345678');
    const b = textForClustering('您好，您的订单号：2026112100099912 已登记，稍后致电15900001111');
    expect(a).toBe(b);
    expect(a).toBe('您好，您的订单号：[ORDER] 已登记，稍后致电[PHONE]');
  });
});
