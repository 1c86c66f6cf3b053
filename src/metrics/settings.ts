/**
 * The choices the metric contract leaves open, as one row the SQL models cross join. Values are always bound,
 * never pasted into SQL, and the same object is written beside the exports so every chart can print it.
 */
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { ConfigError } from '../errors.js';
import { sentimentScorerFor } from '../score/scorers.js';

export interface SlaTarget {
  measure: 'first_response' | 'first_human_response';
  tier: string;
  /** NULL = every channel of the tier; a channel-specific target wins. */
  channel: string | null;
  targetSeconds: number;
}

export interface MetricsSettings {
  /** ISO 8601 UTC, or null when the database holds no data to derive it from. */
  asOf: string | null;
  asOfSource: 'given' | 'end of last report day in the data' | 'no data';
  /** metrics.periodDays: 0 = the whole history. */
  periodDays: number;
  /**
   * ISO 8601 UTC: the build covers the conversations whose earliest record is at or after this time (the start of
   * the first of the period's report days); null = the whole history.
   */
  periodStart: string | null;
  reportTimezone: string;
  inHouseVendor: string;
  sentimentScorer: string;
  fcrWindowsHours: { is_fcr_24h: number; is_fcr_72h: number; is_fcr_7d: number };
  botContainmentWindowHours: number;
  reopenWindowHours: number;
  humanReachTargetSeconds: number;
  promiseWindowHours: number;
  completionWindowHours: number;
  minSample: number;
  minSurveySampleAgent: number;
  slaTargets: SlaTarget[];
}

function slaTargets(measure: SlaTarget['measure'], map: Record<string, number>): SlaTarget[] {
  return Object.entries(map)
    .map(([key, seconds]) => {
      const [tier, channel] = key.split(':');
      return { measure, tier: tier!, channel: channel ?? null, targetSeconds: seconds };
    })
    .sort((a, b) => `${a.tier}:${a.channel ?? ''}`.localeCompare(`${b.tier}:${b.channel ?? ''}`));
}

function normaliseAsOf(value: string): string {
  const hasZone = /([zZ]|[+-]\d\d:?\d\d)$/.test(value);
  const ms = Date.parse(hasZone || !value.includes('T') ? value : value + 'Z');
  if (Number.isNaN(ms)) throw new ConfigError(`as-of time "${value}" is not an ISO 8601 time`);
  return new Date(ms).toISOString();
}

/**
 * Pure: the settings in force for a run, given the config, the as-of time (given or derived) and the period's
 * start (see periodStartFor; null when the build covers the whole history).
 */
export function metricsSettings(
  config: Config,
  asOf: { value: string | null; source: MetricsSettings['asOfSource'] },
  periodStart: string | null = null,
): MetricsSettings {
  const [short, medium, long] = config.metrics.fcrWindowsHours as [number, number, number];
  return {
    asOf: asOf.value === null ? null : normaliseAsOf(asOf.value),
    asOfSource: asOf.source,
    periodDays: config.metrics.periodDays,
    periodStart: periodStart === null ? null : normaliseAsOf(periodStart),
    reportTimezone: config.report.timezone,
    inHouseVendor: config.ingest.inHouseVendor,
    sentimentScorer: sentimentScorerFor(config.score),
    fcrWindowsHours: { is_fcr_24h: short, is_fcr_72h: medium, is_fcr_7d: long },
    botContainmentWindowHours: config.metrics.botContainmentWindowHours,
    reopenWindowHours: config.metrics.reopenWindowHours,
    humanReachTargetSeconds: config.metrics.humanReachTargetSeconds,
    promiseWindowHours: config.metrics.promiseWindowHours,
    completionWindowHours: config.metrics.completionWindowHours,
    minSample: config.metrics.minSample,
    minSurveySampleAgent: config.metrics.minSurveySampleAgent,
    slaTargets: [
      ...slaTargets('first_response', config.metrics.slaFirstResponseSeconds),
      ...slaTargets('first_human_response', config.metrics.slaFirstHumanResponseSeconds),
    ],
  };
}

/**
 * The as-of time when none is given: the end (next local midnight) of the last report day that has a message
 * or event, in the report time zone. Deterministic: re-running on the same data gives the same time.
 */
export async function deriveAsOf(db: Db, reportTimezone: string): Promise<string | null> {
  const value = await db.value<Date | null>(
    `with last_seen as (
       select max(t) as last_at from (
         select max(sent_at) as t from raw.messages
         union all select max(occurred_at) from raw.events
         union all select max(started_at) from raw.conversations
       )
     )
     select timezone('UTC', timezone($1, (timezone($1, last_at::timestamptz)::date + 1)::timestamp))
     from last_seen where last_at is not null`,
    [reportTimezone],
  );
  return value ? value.toISOString() : null;
}

/**
 * The start of a period of `days` report days ending at `asOf`: local midnight of the report day that holds the
 * last instant before the as-of time, less days - 1 days (so the default as-of, a local midnight, closes a period
 * of whole days; daylight-saving days are as long as the zone makes them).
 */
export async function periodStartFor(db: Db, asOf: string, days: number, reportTimezone: string): Promise<string> {
  const value = await db.value<Date>(
    `select timezone('UTC', timezone($2, (timezone($2, $1::timestamptz - interval 1 microsecond)::date - ($3::integer - 1))::timestamp))`,
    [asOf, reportTimezone, days],
  );
  return value!.toISOString();
}

export async function resolveSettings(db: Db, config: Config, asOf?: string): Promise<MetricsSettings> {
  const given = asOf ?? (config.metrics.asOf || undefined);
  const derived = given ? null : await deriveAsOf(db, config.report.timezone);
  const resolved: { value: string | null; source: MetricsSettings['asOfSource'] } = given
    ? { value: given, source: 'given' }
    : derived
      ? { value: derived, source: 'end of last report day in the data' }
      : { value: null, source: 'no data' };
  const days = config.metrics.periodDays;
  const asOfUtc = resolved.value === null ? null : normaliseAsOf(resolved.value);
  const periodStart = days > 0 && asOfUtc !== null ? await periodStartFor(db, asOfUtc, days, config.report.timezone) : null;
  return metricsSettings(config, resolved, periodStart);
}

/** The settings tables the models read; written by writeSettings, published with the models. */
export const SETTINGS_TABLES = ['staging.settings', 'staging.sla_targets'] as const;

/**
 * Writes staging.settings (one row) and staging.sla_targets with bound parameters, under their names plus
 * `suffix` (the build writes them beside the published ones and renames them with the marts).
 */
export async function writeSettings(db: Db, settings: MetricsSettings, suffix = ''): Promise<void> {
  const hours = (h: number) => Math.round(h * 3600);
  await db.run('create schema if not exists staging');
  await db.run(
    `create or replace table staging.settings${suffix} as select
       cast($1 as timestamp) as as_of_at,
       cast($2 as varchar) as report_timezone,
       cast($3 as varchar) as in_house_vendor,
       cast($4 as varchar) as sentiment_scorer,
       cast($5 as bigint) as fcr_short_seconds,
       cast($6 as bigint) as fcr_medium_seconds,
       cast($7 as bigint) as fcr_long_seconds,
       cast($8 as double) as fcr_short_hours,
       cast($9 as double) as fcr_medium_hours,
       cast($10 as double) as fcr_long_hours,
       cast($11 as bigint) as containment_window_seconds,
       cast($12 as double) as containment_window_hours,
       cast($13 as bigint) as reopen_window_seconds,
       cast($14 as double) as human_reach_target_seconds,
       cast($15 as bigint) as promise_window_seconds,
       cast($16 as double) as promise_window_hours,
       cast($17 as bigint) as completion_window_seconds,
       cast($18 as double) as completion_window_hours,
       cast($19 as bigint) as min_sample,
       cast($20 as bigint) as min_survey_sample_agent,
       cast($21 as timestamp) as period_start_at`,
    [
      settings.asOf === null ? null : settings.asOf.replace('T', ' ').replace('Z', ''),
      settings.reportTimezone,
      settings.inHouseVendor,
      settings.sentimentScorer,
      hours(settings.fcrWindowsHours.is_fcr_24h),
      hours(settings.fcrWindowsHours.is_fcr_72h),
      hours(settings.fcrWindowsHours.is_fcr_7d),
      settings.fcrWindowsHours.is_fcr_24h,
      settings.fcrWindowsHours.is_fcr_72h,
      settings.fcrWindowsHours.is_fcr_7d,
      hours(settings.botContainmentWindowHours),
      settings.botContainmentWindowHours,
      hours(settings.reopenWindowHours),
      settings.humanReachTargetSeconds,
      hours(settings.promiseWindowHours),
      settings.promiseWindowHours,
      hours(settings.completionWindowHours),
      settings.completionWindowHours,
      settings.minSample,
      settings.minSurveySampleAgent,
      settings.periodStart === null ? null : settings.periodStart.replace('T', ' ').replace('Z', ''),
    ],
  );
  await db.run(
    `create or replace table staging.sla_targets${suffix} (measure varchar not null, tier varchar not null, channel varchar,
       target_seconds double not null)`,
  );
  for (const t of settings.slaTargets) {
    await db.run(`insert into staging.sla_targets${suffix} values ($1, $2, $3, $4)`, [t.measure, t.tier, t.channel, t.targetSeconds]);
  }
}
