/**
 * The training catalog: weak-spot type (a coaching metric id) -> module title, goal and practice script, per
 * language. Data, not code, so trainers can replace it (`coach.catalog`); a user catalog overrides the shipped
 * one entry by entry, and a missing or misspelt entry is an error rather than a silent gap in a plan.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import shipped from './catalog/modules.json' with { type: 'json' };
import { COACH_METRICS } from './metrics.js';

export type Language = 'zh' | 'en';
export const LANGUAGES: readonly Language[] = ['zh', 'en'];

export interface TrainingModule {
  title: string;
  goal: string;
  practice: string[];
}

export type Catalog = Record<string, Record<Language, TrainingModule>>;

function checkModule(value: unknown, where: string): TrainingModule {
  const m = value as Partial<TrainingModule> | null;
  const ok =
    m !== null &&
    typeof m === 'object' &&
    typeof m.title === 'string' &&
    m.title.trim() !== '' &&
    typeof m.goal === 'string' &&
    Array.isArray(m.practice) &&
    m.practice.length > 0 &&
    m.practice.every((p) => typeof p === 'string');
  if (!ok) throw new ConfigError(`${where}: expected {"title": text, "goal": text, "practice": [text, ...]}`);
  return { title: m.title!, goal: m.goal!, practice: [...m.practice!] };
}

/** Validates a parsed catalog file; `partial` allows entries to be missing (a user override). */
export function parseCatalog(data: unknown, source: string, partial: boolean): Catalog {
  const modules = (data as { modules?: unknown } | null)?.modules;
  if (!modules || typeof modules !== 'object' || Array.isArray(modules)) {
    throw new ConfigError(`${source}: expected {"modules": {"<weak spot>": {"zh": {...}, "en": {...}}}}`);
  }
  const known = new Set(COACH_METRICS.map((m) => m.id));
  const catalog: Catalog = {};
  for (const [id, byLanguage] of Object.entries(modules)) {
    if (!known.has(id)) throw new ConfigError(`${source}: unknown weak spot "${id}" (known: ${[...known].join(', ')})`);
    const entry = {} as Record<Language, TrainingModule>;
    for (const language of LANGUAGES) {
      entry[language] = checkModule((byLanguage as Record<string, unknown>)?.[language], `${source}: ${id}.${language}`);
    }
    catalog[id] = entry;
  }
  if (!partial) {
    const missing = [...known].filter((id) => !catalog[id]);
    if (missing.length) throw new ConfigError(`${source}: no training module for ${missing.join(', ')}`);
  }
  return catalog;
}

export function loadCatalog(path?: string): Catalog {
  const base = parseCatalog(shipped, 'shipped training catalog', false);
  if (!path) return base;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`training catalog ${path}: cannot be read as JSON (${(error as Error).message})`);
  }
  return { ...base, ...parseCatalog(data, `training catalog ${path}`, true) };
}
