import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { choicesInForce, planReport } from '../../src/dashboards/build.js';
import { DEFAULT_CHARTS, NO_DATA_SPEC, availableCharts, dataSourceName, defaultDashboardsDir, readSpec } from '../../src/dashboards/catalog.js';
import { placeholdersIn, stringsIn } from '../../src/dashboards/placeholders.js';
import { martsIn, parametersIn } from '../../src/dashboards/query.js';
import { martsFixture } from './marts-fixture.js';

const dir = defaultDashboardsDir();
const require = createRequire(import.meta.url);
const schema = JSON.parse(readFileSync(require.resolve('vega-lite/vega-lite-schema.json'), 'utf8'));
const ajv = new Ajv({ strict: false, allErrors: true, allowUnionTypes: true, validateFormats: false });
const validateVegaLite = ajv.compile(schema);

const settings = { asOf: '2026-11-10T00:00:00Z', timezone: 'UTC', fcrWindow: '72h' as const, humanReachTargetSeconds: 240, minSampleConversations: 30, minSampleSurveys: 5 };
const { text, params } = choicesInForce({ settings });
const CONTRACT_MARTS = ['conversations', 'kpis_by_vendor_tier_day', 'kpis_by_agent_day', 'kpis_by_agent', 'kpis_by_channel_day', 'escalated_tickets', 'canned_templates', 'vendor_league'];

describe('dashboard spec files', () => {
  const names = [...availableCharts(dir), NO_DATA_SPEC];

  it('ships every default chart and nothing unlisted', () => {
    expect(availableCharts(dir)).toEqual([...DEFAULT_CHARTS].sort());
  });

  it.each(names)('%s is valid Vega-Lite', (name) => {
    const ok = validateVegaLite(readSpec(dir, name));
    expect(ok ? [] : validateVegaLite.errors?.slice(0, 5)).toEqual([]);
  });

  it('stay valid once bound (datasets and filled text), including the no-data stand-in', async () => {
    const db = await martsFixture();
    try {
      await db.run('delete from marts.canned_templates');
      const charts = await planReport(db, { settings });
      expect(charts.filter((c) => c.emptyReason).map((c) => c.name)).toEqual(['canned_templates']);
      for (const chart of charts) {
        const ok = validateVegaLite(chart.spec);
        expect({ chart: chart.name, errors: ok ? [] : validateVegaLite.errors?.slice(0, 3) }).toEqual({ chart: chart.name, errors: [] });
      }
    } finally {
      db.close();
    }
  });

  it('rejects a broken spec (the validator is live)', () => {
    expect(validateVegaLite({ data: { name: 'table' }, mark: 'pie-chart-please', encoding: {} })).toBe(false);
  });

  it.each(availableCharts(dir))('%s reads a named source, uses only known placeholders and states its choices', (name) => {
    const spec = readSpec(dir, name);
    expect(dataSourceName(spec)).toBe('table');
    const used = stringsIn(spec).flatMap(placeholdersIn);
    expect(used.filter((p) => !(p in text))).toEqual([]);
    expect(typeof spec.description).toBe('string');
    expect(used).toContain('asOf');
  });

  it.each(availableCharts(dir))('%s has a query over contract marts with known parameters', (name) => {
    const sql = readFileSync(join(dir, `${name}.sql`), 'utf8');
    expect(martsIn(sql).length).toBeGreaterThan(0);
    expect(martsIn(sql).filter((m) => !CONTRACT_MARTS.includes(m))).toEqual([]);
    expect(parametersIn(sql).filter((p) => !(p in params))).toEqual([]);
  });
});
