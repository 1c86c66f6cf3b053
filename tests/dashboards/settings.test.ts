import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { planReport } from '../../src/dashboards/build.js';
import { defaultSettingsPath, reportFromConfig } from '../../src/dashboards/from-config.js';
import { reportSettingsFrom } from '../../src/dashboards/settings.js';
import { InputError } from '../../src/errors.js';
import { martsFixture } from './marts-fixture.js';

const now = new Date('2026-11-10T06:00:00Z');

describe('metrics settings', () => {
  it('reads flat and nested keys and fills the rest with documented defaults', () => {
    expect(reportSettingsFrom({ asOf: '2026-11-09T16:00:00+08:00', metrics: { humanReachTargetSeconds: 180 }, fcrWindow: '7d' }, now)).toEqual({
      asOf: '2026-11-09T08:00:00Z',
      periodStart: null,
      timezone: 'UTC',
      fcrWindow: '7d',
      humanReachTargetSeconds: 180,
      minSampleConversations: 30,
      minSampleSurveys: 5,
    });
    expect(reportSettingsFrom(undefined, now).asOf).toBe('2026-11-10T06:00:00Z');
    // csqa metrics writes periodStart (null for a whole-history build) beside asOf.
    expect(reportSettingsFrom({ asOf: '2026-11-09T00:00:00Z', periodStart: '2026-11-06T00:00:00.000Z' }, now).periodStart).toBe('2026-11-06T00:00:00Z');
    expect(reportSettingsFrom({ periodStart: null }, now).periodStart).toBeNull();
  });

  it('rejects values of the wrong kind instead of printing them on every chart', () => {
    expect(() => reportSettingsFrom({ fcrWindow: '48h' }, now)).toThrow(InputError);
    expect(() => reportSettingsFrom({ humanReachTargetSeconds: 'soon' }, now)).toThrow(/humanReachTargetSeconds/);
    expect(() => reportSettingsFrom({ asOf: 'yesterday' }, now)).toThrow(/asOf/);
    expect(() => reportSettingsFrom({ periodStart: 'last week' }, now)).toThrow(/periodStart/);
  });

  it('the report config keys are validated', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'csqa-cfg-'));
    expect(loadConfig({ env: {}, cwd }).report.charts).toContain('vendor_scorecard');
    expect(() => loadConfig({ env: { CSQA_REPORT_OUTLIER_Z: '-1' }, cwd })).toThrow(/greater than 0/);
  });

  it('an unknown chart name is a configuration error naming the available ones', async () => {
    const db = await martsFixture();
    try {
      await expect(planReport(db, { settings: reportSettingsFrom({}, now), charts: ['vendor_scorcard'] })).rejects.toThrow(
        /unknown chart "vendor_scorcard" \(available: agent_scatter, canned_templates/,
      );
    } finally {
      db.close();
    }
  });
});

describe('report from the config', () => {
  it('prints the choices from metrics_settings.json and writes under <outDir>/report', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'csqa-out-'));
    const config = loadConfig({ env: {}, cwd: outDir, flags: { outDir, 'report.charts': ['time_to_human'] } });
    mkdirSync(join(outDir, 'exports'));
    writeFileSync(defaultSettingsPath(config), JSON.stringify({ asOf: '2026-11-09T00:00:00Z', humanReachTargetSeconds: 60, timezone: 'Asia/Shanghai' }));
    const db = await martsFixture({ league: false, templates: false });
    try {
      const warnings: string[] = [];
      const result = await reportFromConfig(db, config, { now, warn: (m) => warnings.push(m) });
      expect(result.outDir).toBe(join(outDir, 'report'));
      expect(result.charts.map((c) => c.title)).toEqual(['Time to human (target 60 s)']);
      expect(result.files).toEqual(['index.html', 'time_to_human.csv', 'time_to_human.png', 'time_to_human.svg']);
      expect(warnings.filter((w) => w.includes('metrics_settings'))).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('warns and uses the defaults when the metrics settings are missing; fails when a given file is missing', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'csqa-out-'));
    const config = loadConfig({ env: {}, cwd: outDir, flags: { outDir, 'report.charts': ['deflection_by_vendor'] } });
    const db = await martsFixture({ league: false, templates: false });
    try {
      const warnings: string[] = [];
      await reportFromConfig(db, config, { now, warn: (m) => warnings.push(m), reportDir: join(outDir, 'r') });
      expect(warnings.some((w) => w.includes('metrics_settings.json not found'))).toBe(true);
      await expect(reportFromConfig(db, config, { now, settingsPath: join(outDir, 'nope.json') })).rejects.toThrow(InputError);
    } finally {
      db.close();
    }
  });
});
