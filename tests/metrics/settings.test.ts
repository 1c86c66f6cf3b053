import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';
import { metricsSettings } from '../../src/metrics/settings.js';

const config = (flags: Record<string, unknown> = {}) => loadConfig({ env: {}, cwd: '/nonexistent-csqa-test-dir', flags });

describe('metrics settings', () => {
  it('splits SLA keys into tier and channel, most specific first in the lookup table', () => {
    const settings = metricsSettings(
      config({ 'metrics.slaFirstResponseSeconds': { L1: 60, 'L1:email': 14400 }, 'metrics.slaFirstHumanResponseSeconds': { L2: 90 } }),
      { value: '2026-03-10T08:00:00+08:00', source: 'given' },
    );
    expect(settings.asOf).toBe('2026-03-10T00:00:00.000Z');
    expect(settings.slaTargets).toEqual([
      { measure: 'first_response', tier: 'L1', channel: null, targetSeconds: 60 },
      { measure: 'first_response', tier: 'L1', channel: 'email', targetSeconds: 14400 },
      { measure: 'first_human_response', tier: 'L2', channel: null, targetSeconds: 90 },
    ]);
  });

  it('reads a naive as-of time as UTC', () => {
    expect(metricsSettings(config(), { value: '2026-03-10T06:30:00', source: 'given' }).asOf).toBe('2026-03-10T06:30:00.000Z');
  });

  it('rejects FCR windows that are not three ascending hours, SLA keys with unknown tiers, and bad env values', () => {
    expect(() => config({ 'metrics.fcrWindowsHours': [72, 24, 168] })).toThrow(ConfigError);
    expect(() => config({ 'metrics.fcrWindowsHours': [24, 72] })).toThrow(/3 ascending numbers/);
    expect(() => config({ 'metrics.slaFirstResponseSeconds': { L9: 60 } })).toThrow(/tier among bot, L1, L2, L3/);
    expect(() => config({ 'metrics.asOf': 'yesterday' })).toThrow(/ISO 8601/);
    const fromEnv = loadConfig({ env: { CSQA_METRICS_FCR_WINDOWS_HOURS: '12,24,48' }, cwd: '/nonexistent-csqa-test-dir' });
    expect(fromEnv.metrics.fcrWindowsHours).toEqual([12, 24, 48]);
  });
});
