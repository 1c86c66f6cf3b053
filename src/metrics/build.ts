/**
 * The apply half of the runner: writes the settings in force, runs the SQL models in dependency order
 * beside the published ones (see placeModels), runs the audits on what it built, then publishes it in one
 * short transaction, so a failing model or audit, or a kill, leaves the previous marts in place.
 */
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { listParam, quoteIdent } from '../db/database.js';
import { withInsertionOrder } from '../db/insertionOrder.js';
import { ensureRawSchema } from '../db/schema.js';
import type { ProgressUpdate } from '../pipeline/progress.js';
import { assertAuditsPass, runAudits, type AuditResult } from './audits.js';
import {
  BUILD_SUFFIX, buildTableName, buildTargets, defaultSqlDir, loadAudits, loadMacros, loadModels, MODEL_LAYERS, orderModels, placeModels, pointAt,
  type Materialization, type PlacedModel,
} from './models.js';
import { resolveSettings, SETTINGS_TABLES, writeSettings, type MetricsSettings } from './settings.js';

export interface BuildLog {
  info(message: string): void;
}

export interface BuildOptions {
  /** ISO 8601; overrides metrics.asOf. */
  asOf?: string;
  log?: BuildLog;
  sqlDir?: string;
  /** Skip the audits (the benchmark times them separately); never used by the command. */
  skipAudits?: boolean;
  /** After each model, inside the transaction: models done of all, rows written so far. */
  onProgress?: (update: ProgressUpdate) => void;
  /** Something a user should act on that does not stop the build (code: a stable identifier). */
  onWarning?: (code: string, message: string) => void;
}

export interface ModelRun {
  name: string;
  materialized: Materialization;
  /** Rows stored: 0 for a view. */
  rows: number;
  ms: number;
  /** CPU time of this process while the model ran: on a shared machine a steadier figure than wall time. */
  cpuMs: number;
}

export interface BuildResult {
  settings: MetricsSettings;
  models: ModelRun[];
  audits: AuditResult[];
  ms: number;
}

export async function buildMetrics(db: Db, config: Config, options: BuildOptions = {}): Promise<BuildResult> {
  // No model reads a table's physical order (every tie is broken by a key), and the exports sort by the grain.
  return withInsertionOrder(db, false, () => buildInOrderFreeSession(db, config, options));
}

async function buildInOrderFreeSession(db: Db, config: Config, options: BuildOptions): Promise<BuildResult> {
  const sqlDir = options.sqlDir ?? defaultSqlDir();
  const log = options.log ?? { info: () => undefined };
  const inputs = new Map(SETTINGS_TABLES.map((id) => [id, buildTableName(id)]));
  const models = placeModels(orderModels(loadModels(sqlDir)), inputs);
  const macros = loadMacros(sqlDir);
  const started = performance.now();

  await ensureRawSchema(db);
  const settings = await resolveSettings(db, config, options.asOf);
  log.info(
    `metrics: as-of ${settings.asOf ?? '(no data)'} (${settings.asOfSource}), report time zone ${settings.reportTimezone}` +
      (settings.periodStart ? `, conversations begun since ${settings.periodStart} (${settings.periodDays} report days)` : ', whole history'),
  );

  const missing = await sentimentScorerMissing(db, settings.sentimentScorer);
  if (missing) options.onWarning?.('sentiment_scorer_missing', missing);

  for (const layer of MODEL_LAYERS) await db.run(`create schema if not exists ${quoteIdent(layer)}`);
  await dropBuildLeftovers(db);
  // Settings and models are built beside what the previous build published; a kill or a failing model or
  // audit leaves the published marts (and the settings they were built with) as they were.
  await writeSettings(db, settings, BUILD_SUFFIX);
  // The report time zone also as a session variable, which DuckDB folds into a query as a constant: ICU
  // converts with a zone read from a column once per row (1.4 s over 1M conversations in
  // int_conversations__attributed, against 0.2 s).
  await db.run(`set variable ${REPORT_TIMEZONE_VARIABLE} = $1`, [settings.reportTimezone]);
  for (const macro of macros) await db.run(macro);

  const runs: ModelRun[] = [];
  try {
    for (const model of models) {
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      const kind = model.materialized === 'view' ? 'view' : 'table';
      const create = model.temporary ? `create or replace temp ${kind}` : `create or replace ${kind}`;
      await db.run(`${create} ${model.target} as\n${model.sql}`).catch((error: Error) => {
        throw new Error(`SQL model ${model.id} failed: ${error.message}`);
      });
      // A view stores nothing, and counting it would run its whole query a second time.
      const rows = kind === 'table' ? Number(await db.value(`select count(*) from ${model.target}`)) : 0;
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      runs.push({ name: model.id, materialized: model.materialized, rows, ms, cpuMs: (cpu.user + cpu.system) / 1000 });
      const stored = kind === 'table' ? `${String(rows).padStart(10)} rows` : `${'view'.padStart(15)}`;
      log.info(`  ${model.id.padEnd(48)} ${stored} ${(ms / 1000).toFixed(2).padStart(7)} s${model.materialized === 'scratch' ? ' (scratch)' : ''}`);
      options.onProgress?.({ done: runs.length, total: models.length, unit: 'models', rows: runs.reduce((n, r) => n + r.rows, 0), detail: model.id });
    }

    const targets = buildTargets(models, inputs);
    const audits = loadAudits(sqlDir).map((audit) => ({ ...audit, sql: pointAt(audit.sql, targets) }));
    const auditResults = options.skipAudits ? [] : await runAudits(db, audits);
    assertAuditsPass(auditResults);
    if (!options.skipAudits) log.info(`metrics: ${auditResults.length} audits passed`);
    await publish(db, models);
    return { settings, models: runs, audits: auditResults, ms: performance.now() - started };
  } finally {
    // Temporary objects have served their readers; free their memory now rather than when the connection closes.
    for (const model of [...models].reverse().filter((m) => m.temporary)) {
      await db.run(`drop ${model.materialized === 'view' ? 'view' : 'table'} if exists ${model.target}`);
    }
    await dropBuildLeftovers(db);
  }
}

/** Drops the stored tables a build writes before publishing (also those a killed build left). */
async function dropBuildLeftovers(db: Db): Promise<void> {
  const rows = await db.all<{ schema_name: string; table_name: string }>(
    `select schema_name, table_name from duckdb_tables()
     where not temporary and schema_name in (select unnest($1::varchar[])) and ends_with(table_name, $2)
     order by all`,
    [listParam(MODEL_LAYERS), BUILD_SUFFIX],
  );
  for (const r of rows) await db.run(`drop table ${quoteIdent(r.schema_name)}.${quoteIdent(r.table_name)}`);
}

/** What a previous build left under a published name: a table, a view, or nothing. */
async function existingKind(db: Db, schema: string, name: string): Promise<string | undefined> {
  return db.value<string>(
    `select 'table' from duckdb_tables() where schema_name = $1 and table_name = $2 and not temporary
     union all
     select 'view' from duckdb_views() where schema_name = $1 and view_name = $2 and not temporary`,
    [schema, name],
  );
}

/** Read by the SQL models as getvariable('csqa_report_timezone'); equals staging.settings.report_timezone. */
const REPORT_TIMEZONE_VARIABLE = 'csqa_report_timezone';

/** Models earlier versions stored that no longer exist; a build drops what an older one left under these names. */
const RETIRED_MODELS: readonly string[] = ['intermediate.int_messages__segmented'];

/**
 * Swaps the build in, in one short transaction: built tables are renamed over the published ones (no rows
 * are copied), then the publishable views are created over them; stale stored copies of models that are
 * scratch now or retired are dropped.
 */
async function publish(db: Db, models: readonly PlacedModel[]): Promise<void> {
  const tables = [
    ...SETTINGS_TABLES.map((id) => id.split('.') as [string, string]),
    ...models.filter((m) => m.materialized === 'table').map((m): [string, string] => [m.layer, m.name]),
  ];
  const views = models.filter((m) => m.materialized === 'view' && m.published);
  // A model that became scratch, or was retired, must not leave the copy an older build stored behind.
  const unpublished = [
    ...models.filter((m) => !m.published).map((m): [string, string] => [m.layer, m.name]),
    ...RETIRED_MODELS.map((id) => id.split('.') as [string, string]),
  ];
  await db.transaction(async () => {
    for (const [layer, name] of [...tables, ...views.map((m): [string, string] => [m.layer, m.name]), ...unpublished]) {
      const existing = await existingKind(db, layer, name);
      if (existing) await db.run(`drop ${existing} ${quoteIdent(layer)}.${quoteIdent(name)}`);
    }
    for (const [layer, name] of tables) {
      await db.run(`alter table ${quoteIdent(layer)}.${quoteIdent(name + BUILD_SUFFIX)} rename to ${quoteIdent(name)}`);
    }
    for (const view of views) await db.run(`create view ${view.published} as\n${view.ownSql}`);
  });
}

/**
 * Why the KPIs will have no sentiment, when the scorer they read has stored none but another has (a model
 * scored while score.sentimentScorer names the lexicon, or the other way round); undefined otherwise.
 */
async function sentimentScorerMissing(db: Db, scorer: string): Promise<string | undefined> {
  const stored = await db.all<{ scorer: string; n: number }>(
    'select scorer, count(*)::double as n from scores.message_sentiment group by scorer order by scorer',
  );
  if (stored.length === 0 || stored.some((s) => s.scorer === scorer)) return undefined;
  const found = stored.map((s) => `${s.scorer} (${s.n} message${s.n === 1 ? '' : 's'})`).join(', ');
  return `metrics: no sentiment from scorer "${scorer}", so every sentiment KPI is empty; scores.message_sentiment holds ${found}. ` +
    'Set score.sentimentScorer to one of them, or leave it empty to read the scorer csqa score uses.';
}
