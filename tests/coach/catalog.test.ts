import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGES, loadCatalog } from '../../src/coach/catalog.js';
import { COACH_METRICS } from '../../src/coach/metrics.js';
import { ConfigError } from '../../src/errors.js';

function file(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'csqa-catalog-')), 'catalog.json');
  writeFileSync(path, JSON.stringify(content));
  return path;
}

const module = (title: string) => ({ title, goal: 'g', practice: ['p1', 'p2'] });

describe('training catalog', () => {
  it('ships a module with a practice script for every weak-spot type in Chinese and English', () => {
    const catalog = loadCatalog();
    for (const metric of COACH_METRICS) {
      for (const language of LANGUAGES) {
        const m = catalog[metric.id]![language];
        expect(m.title.length).toBeGreaterThan(3);
        expect(m.practice.length).toBeGreaterThanOrEqual(2);
      }
      expect(catalog[metric.id]!.zh.title).toMatch(/[\u4e00-\u9fff]/);
      expect(catalog[metric.id]!.en.title).toMatch(/^[\x20-\x7e]+$/);
    }
  });

  it('lets a user file override single entries', () => {
    const catalog = loadCatalog(file({ modules: { csat: { zh: module('满意度提升'), en: module('Happier customers') } } }));
    expect(catalog.csat!.en.title).toBe('Happier customers');
    expect(catalog.handle_seconds!.en.title).toBe(loadCatalog().handle_seconds!.en.title);
  });

  it('rejects unknown weak spots and incomplete modules', () => {
    expect(() => loadCatalog(file({ modules: { cast: { zh: module('x'), en: module('y') } } }))).toThrow(/unknown weak spot "cast"/);
    expect(() => loadCatalog(file({ modules: { csat: { zh: module('x') } } }))).toThrow(ConfigError);
    expect(() => loadCatalog(file({ modules: { csat: { zh: module('x'), en: { title: 'y', goal: 'g', practice: [] } } } }))).toThrow(/csat\.en/);
  });
});
