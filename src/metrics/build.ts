/**
 * The apply half of the runner: writes the settings in force, runs the SQL models in dependency order
 * (`create or replace table|view <schema>.<name> as <select>`), runs the audits and reports row counts.
 * Everything happens in one transaction, so a failing model or audit leaves the previous marts in place.
 */
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { quoteIdent } from '../db/database.js';
import { ensureRawSchema } from '../db/schema.js';
import type { ProgressUpdate } from '../pipeline/progress.js';
import { assertAuditsPass, runAudits, type AuditResult } from './audits.js';
import { defaultSqlDir, loadAudits, loadMacros, loadModels, MODEL_LAYERS, orderModels, placeModels, type Materialization } from './models.js';
import { resolveSettings, writeSettings, type MetricsSettings } from './settings.js';

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
  const sqlDir = options.sqlDir ?? defaultSqlDir();
  const log = options.log ?? { info: () => undefined };
  const models = placeModels(orderModels(loadModels(sqlDir)));
  const audits = loadAudits(sqlDir);
  const macros = loadMacros(sqlDir);
  const started = performance.now();

  await ensureRawSchema(db);
  const settings = await resolveSettings(db, config, options.asOf);
  log.info(`metrics: as-of ${settings.asOf ?? '(no data)'} (${settings.asOfSource}), report time zone ${settings.reportTimezone}`);

  return db.transaction(async () => {
    for (const layer of MODEL_LAYERS) await db.run(`create schema if not exists ${quoteIdent(layer)}`);
    await writeSettings(db, settings);
    for (const macro of macros) await db.run(macro);

    const runs: ModelRun[] = [];
    for (const model of models) {
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      // A view and a table cannot replace each other, and a model that became temporary must not leave a stale
      // stored copy behind: drop whatever a previous run left under the model's stored name.
      const existing = await db.value<string>(
        `select 'table' from duckdb_tables() where schema_name = $1 and table_name = $2 and not temporary
         union all
         select 'view' from duckdb_views() where schema_name = $1 and view_name = $2 and not temporary`,
        [model.layer, model.name],
      );
      if (existing) await db.run(`drop ${existing} ${quoteIdent(model.layer)}.${quoteIdent(model.name)}`);
      const kind = model.materialized === 'view' ? 'view' : 'table';
      const create = model.temporary ? `create or replace temp ${kind}` : `create ${kind}`;
      await db.run(`${create} ${model.target} as\n${model.sql}`).catch((error: Error) => {
        throw new Error(`SQL model ${model.id} failed: ${error.message}`);
      });
      // A view stores nothing, and counting it would run its whole query a second time.
      const rows = kind === 'table' ? Number(await db.value(`select count(*) from ${model.target}`)) : 0;
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      runs.push({ name: model.id, materialized: model.materialized, rows, ms, cpuMs: (cpu.user + cpu.system) / 1000 });
      const stored = kind === 'table' ? `${String(rows).padStart(10)} rows` : `${'view'.padStart(15)}`;
      log.info(`  ${model.id.padEnd(48)} ${stored} ${(ms / 1000).toFixed(2).padStart(7)} s${model.temporary ? ' (scratch)' : ''}`);
      options.onProgress?.({ done: runs.length, total: models.length, unit: 'models', rows: runs.reduce((n, r) => n + r.rows, 0), detail: model.id });
    }
    // Scratch objects have served their readers; free their memory now rather than when the connection closes.
    for (const model of [...models].reverse().filter((m) => m.temporary)) {
      await db.run(`drop ${model.materialized === 'view' ? 'view' : 'table'} if exists ${model.target}`);
    }

    const auditResults = options.skipAudits ? [] : await runAudits(db, audits);
    assertAuditsPass(auditResults);
    if (!options.skipAudits) log.info(`metrics: ${auditResults.length} audits passed`);
    return { settings, models: runs, audits: auditResults, ms: performance.now() - started };
  });
}
