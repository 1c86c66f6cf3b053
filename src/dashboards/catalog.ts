/**
 * Charts live as data in `dashboards/`: `<name>.vl.json` (a complete Vega-Lite spec reading the named
 * data source) and `<name>.sql` (the aggregate query that feeds it). Adding a chart is adding two files.
 * Files starting with `_` are helpers (e.g. the "no data" stand-in), not charts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OPTIONS } from '../config.js';
import { ConfigError } from '../errors.js';

export type VlSpec = Record<string, unknown>;

export interface ChartDefinition {
  name: string;
  spec: VlSpec;
  sql: string;
}

export const NO_DATA_SPEC = '_no_data';

/** The charts shipped, in page order: the default of `report.charts`. */
export const DEFAULT_CHARTS: readonly string[] = OPTIONS['report.charts'].default;

/** The folder beside package.json, found from this module so it works from src/ (tsx) and dist/src/. */
export function defaultDashboardsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'dashboards');
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    dir = resolve(dir, '..');
  }
  throw new Error('dashboards/ folder not found above ' + fileURLToPath(import.meta.url));
}

export function availableCharts(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.vl.json') && !f.startsWith('_'))
    .map((f) => f.slice(0, -'.vl.json'.length))
    .sort();
}

export function readSpec(dir: string, name: string): VlSpec {
  return JSON.parse(readFileSync(join(dir, `${name}.vl.json`), 'utf8')) as VlSpec;
}

export function loadChart(dir: string, name: string): ChartDefinition {
  const available = availableCharts(dir);
  if (!available.includes(name)) {
    throw new ConfigError(`report.charts: unknown chart "${name}" (available: ${available.join(', ')})`);
  }
  const sqlPath = join(dir, `${name}.sql`);
  if (!existsSync(sqlPath)) throw new Error(`chart "${name}" has a spec but no query (${sqlPath})`);
  return { name, spec: readSpec(dir, name), sql: readFileSync(sqlPath, 'utf8') };
}

/** Field names a spec declares as free log text (usermeta.csqa.freeTextFields): these get redacted. */
export function freeTextFields(spec: VlSpec): string[] {
  const meta = (spec.usermeta as { csqa?: { freeTextFields?: unknown } } | undefined)?.csqa?.freeTextFields;
  return Array.isArray(meta) ? meta.filter((f): f is string => typeof f === 'string') : [];
}

/** The named data source a chart reads; binding fills it through top-level `datasets`. */
export function dataSourceName(spec: VlSpec): string {
  const data = spec.data as { name?: unknown } | undefined;
  if (!data || typeof data.name !== 'string') throw new Error('a chart spec must read a named data source, e.g. "data": {"name": "table"}');
  return data.name;
}
