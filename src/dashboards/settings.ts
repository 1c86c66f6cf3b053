/**
 * The choices in force that every chart prints (windows, targets, minimum samples, as-of time, time zone).
 * They come from `metrics_settings.json`, written by `csqa metrics` beside its exports, so the pictures
 * always state the definitions the numbers were computed with; the report never re-decides them.
 */
import { InputError } from '../errors.js';

export const FCR_WINDOWS = ['24h', '72h', '7d'] as const;
export type FcrWindow = (typeof FCR_WINDOWS)[number];

export interface ReportSettings {
  /** ISO-8601 UTC instant the marts were computed for; windows still open then are excluded. */
  asOf: string;
  /** ISO-8601 UTC: the marts cover the conversations begun since then (metrics.periodDays); null = all history. */
  periodStart?: string | null;
  /** Time zone of reporting days. */
  timezone: string;
  /** The FCR window the report headlines (the marts carry all three). */
  fcrWindow: FcrWindow;
  humanReachTargetSeconds: number;
  /** Minimum conversations before a unit is ranked. */
  minSampleConversations: number;
  /** Minimum surveys before an agent's CSAT is shown. */
  minSampleSurveys: number;
}

export const DEFAULT_SETTINGS: Omit<ReportSettings, 'asOf'> = {
  periodStart: null,
  timezone: 'UTC',
  fcrWindow: '72h',
  humanReachTargetSeconds: 240,
  minSampleConversations: 30,
  minSampleSurveys: 5,
};

function pick(source: Record<string, unknown>, paths: string[]): unknown {
  for (const path of paths) {
    let node: unknown = source;
    for (const part of path.split('.')) {
      node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
    }
    if (node !== undefined && node !== null) return node;
  }
  return undefined;
}

function asNumber(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InputError(`metrics settings: "${name}" must be a non-negative number, got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Reads the settings object `csqa metrics` writes. Both flat keys and the config's dotted layout are
 * accepted (e.g. `humanReachTargetSeconds` or `metrics.humanReachTargetSeconds`) because the file is
 * produced by another module; a value of the wrong type is an error, a missing one takes the default.
 */
export function reportSettingsFrom(source: unknown, fallbackAsOf: Date): ReportSettings {
  const obj = (source && typeof source === 'object' ? source : {}) as Record<string, unknown>;
  const asOfRaw = pick(obj, ['asOf', 'as_of', 'metrics.asOf']);
  const asOf = asOfRaw === undefined ? fallbackAsOf : new Date(String(asOfRaw));
  if (Number.isNaN(asOf.getTime())) throw new InputError(`metrics settings: "asOf" is not a date: ${JSON.stringify(asOfRaw)}`);

  const periodRaw = pick(obj, ['periodStart', 'period_start', 'metrics.periodStart']);
  const periodStart = periodRaw === undefined ? null : new Date(String(periodRaw));
  if (periodStart && Number.isNaN(periodStart.getTime())) {
    throw new InputError(`metrics settings: "periodStart" is not a date: ${JSON.stringify(periodRaw)}`);
  }

  const windowRaw = pick(obj, ['fcrWindow', 'report.fcrWindow', 'metrics.fcrWindow']) ?? DEFAULT_SETTINGS.fcrWindow;
  if (!FCR_WINDOWS.includes(windowRaw as FcrWindow)) {
    throw new InputError(`metrics settings: "fcrWindow" must be one of ${FCR_WINDOWS.join(', ')}, got ${JSON.stringify(windowRaw)}`);
  }
  const timezone = pick(obj, ['timezone', 'report.timezone', 'reportTimezone']) ?? DEFAULT_SETTINGS.timezone;
  return {
    asOf: asOf.toISOString().replace(/\.000Z$/, 'Z'),
    periodStart: periodStart ? periodStart.toISOString().replace(/\.000Z$/, 'Z') : null,
    timezone: String(timezone),
    fcrWindow: windowRaw as FcrWindow,
    humanReachTargetSeconds: asNumber(
      pick(obj, ['humanReachTargetSeconds', 'metrics.humanReachTargetSeconds']),
      'humanReachTargetSeconds',
      DEFAULT_SETTINGS.humanReachTargetSeconds,
    ),
    minSampleConversations: asNumber(
      pick(obj, ['minSampleConversations', 'minSample', 'metrics.minSample', 'metrics.minSampleConversations']),
      'minSampleConversations',
      DEFAULT_SETTINGS.minSampleConversations,
    ),
    minSampleSurveys: asNumber(
      pick(obj, ['minSampleSurveys', 'minSurveys', 'metrics.minSampleSurveys', 'metrics.minSurveys']),
      'minSampleSurveys',
      DEFAULT_SETTINGS.minSampleSurveys,
    ),
  };
}
