import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.js';
import { AuditError } from '../../src/errors.js';
import { assertAuditsPass, runAudits } from '../../src/metrics/audits.js';
import { buildMetrics } from '../../src/metrics/build.js';
import { exportMarts, SETTINGS_FILE } from '../../src/metrics/export.js';
import { defaultSqlDir, loadAudits, loadModels, orderModels, parseDependencies, parseGrainKey, parseModel, placeModels } from '../../src/metrics/models.js';
import type { Scenario } from './fixtures.js';
import { buildScenario, rows, testConfig } from './harness.js';

const AS_OF = '2026-03-10T00:00:00Z';
const scenario: Scenario = {
  messages: [
    { conversation: 'k1', at: '2026-03-01 10:00:00', role: 'customer', customer: 'u1', sentiment: -0.5, signals: ['human_request'] },
    { conversation: 'k1', at: '2026-03-01 10:00:05', role: 'bot', signals: ['agents_busy'] },
    { conversation: 'k1', at: '2026-03-01 10:02:00', role: 'agent', agent: 'a1', vendor: 'v1', tier: 'L1', template: 't1' },
    { conversation: 'k1', at: '2026-03-01 10:03:00', role: 'customer', sentiment: 0.4 },
    { conversation: 'k2', at: '2026-03-02 11:00:00', role: 'customer', customer: 'u1' },
    { conversation: 'k2', at: '2026-03-02 11:00:30', role: 'agent', agent: 'a2', vendor: 'v2', tier: 'L1', template: 't1' },
  ],
  events: [{ conversation: 'k2', at: '2026-03-02 11:01:00', event: 'escalated', fromTier: 'L1', toTier: 'L2' }],
  surveys: [{ conversation: 'k2', at: '2026-03-02 12:00:00', csat: 2 }],
};

let db: Db | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
});

describe('model plan', () => {
  it('reads dependencies from schema.name references and depends_on lines, not from comments', () => {
    const sql = `-- reads marts.not_this one\n-- depends_on: staging.extra\nselect * from staging.a join intermediate.b using (id) join raw.messages using (id)`;
    expect(parseDependencies(sql, 'marts.x')).toEqual(['intermediate.b', 'staging.a', 'staging.extra']);
  });

  it('reads the grain key from the header: one column, a tuple, or none', () => {
    expect(parseGrainKey('-- Grain: one row per ticket. Key: ticket_id (the conversation_id without a ticket).\nselect 1')).toEqual(['ticket_id']);
    expect(parseGrainKey('-- Purpose: x\n-- Grain: day x agent. Key: (report_date, Agent_ID).\nselect 1')).toEqual(['report_date', 'agent_id']);
    expect(parseGrainKey('-- Purpose: x\n-- Key: loose_line\nselect 1')).toEqual([]);
  });

  it('builds stored tables beside the published ones, scratch and views as temporaries, and points readers at them', () => {
    const wide = parseModel('intermediate', 'wide', '-- materialized: scratch\nselect * from staging.c join staging.settings using (x)');
    const narrow = parseModel('intermediate', 'narrow', '-- materialized: view\nselect id from intermediate.wide');
    const stored = parseModel('marts', 'stored', 'select * from intermediate.narrow join intermediate.Wide using (id)');
    const plain = parseModel('marts', 'plain', '-- materialized: view\nselect * from marts.stored');
    const inputs = new Map([['staging.settings', '"staging"."settings__build"']]);
    const placed = new Map(placeModels([wide, narrow, stored, plain], inputs).map((m) => [m.id, m]));
    expect(wide.materialized).toBe('scratch');
    expect(placed.get('intermediate.wide')).toMatchObject({ temporary: true, target: 'temp.main."intermediate__wide"', published: null });
    expect(placed.get('intermediate.wide')!.sql).toContain('join "staging"."settings__build" using');
    expect(placed.get('intermediate.narrow')).toMatchObject({
      temporary: true, published: null, sql: '-- materialized: view\nselect id from temp.main."intermediate__wide"',
    });
    expect(placed.get('marts.stored')).toMatchObject({ temporary: false, target: '"marts"."stored__build"', published: '"marts"."stored"' });
    expect(placed.get('marts.stored')!.sql).toBe('select * from temp.main."intermediate__narrow" join temp.main."intermediate__wide" using (id)');
    // A view over stored tables reads the build while building, and is published with its own SQL.
    expect(placed.get('marts.plain')).toMatchObject({
      temporary: true, target: 'temp.main."marts__plain"', published: '"marts"."plain"',
      sql: '-- materialized: view\nselect * from "marts"."stored__build"', ownSql: '-- materialized: view\nselect * from marts.stored',
    });
  });

  it('orders models after what they read and rejects cycles', () => {
    const a = parseModel('marts', 'a', 'select * from intermediate.b');
    const b = parseModel('intermediate', 'b', 'select * from staging.c join staging.settings using (x)');
    const c = parseModel('staging', 'c', '-- materialized: view\nselect * from raw.messages');
    expect(orderModels([a, b, c]).map((m) => m.id)).toEqual(['staging.c', 'intermediate.b', 'marts.a']);
    expect(c.materialized).toBe('view');
    const loop = parseModel('staging', 'c', 'select * from marts.a');
    expect(() => orderModels([a, b, loop])).toThrow(/cycle: intermediate.b, marts.a, staging.c/);
  });

  it('every model file states purpose, grain and key in its header, and every mart has a grain audit', () => {
    const models = loadModels(defaultSqlDir());
    for (const model of models) {
      const header = model.sql.split('\nwith')[0]!;
      expect(header, model.id).toMatch(/-- Purpose: /);
      expect(header, model.id).toMatch(/Grain: /);
      expect(header, model.id).toMatch(/Key: /);
    }
    const audits = loadAudits(defaultSqlDir()).map((a) => a.name);
    for (const mart of models.filter((m) => m.layer === 'marts')) expect(audits).toContain(`${mart.name}__grain`);
  });
});

describe('buildMetrics', () => {
  it('re-running on the same data gives identical marts', async () => {
    let first;
    ({ db, result: first } = await buildScenario(scenario, { asOf: AS_OF }));
    const marts = first.models.filter((m) => m.name.startsWith('marts.')).map((m) => m.name);
    const snapshot = async () =>
      Promise.all(marts.map((name) => rows(db!, `select * from ${name} order by all`)));
    const before = await snapshot();
    const second = await buildMetrics(db, testConfig(), { asOf: AS_OF });
    expect(await snapshot()).toEqual(before);
    expect(second.models.map((m) => [m.name, m.rows])).toEqual(first.models.map((m) => [m.name, m.rows]));
    expect(before.flat().length).toBeGreaterThan(0);
  });

  it('publishes only marts, settings and stored models, and drops what an older or killed build left', async () => {
    ({ db } = await buildScenario(scenario, { asOf: AS_OF }));
    // Copies older builds stored for a model that is scratch now and for a retired one, and a killed build's
    // leftover.
    await db.run('create table intermediate.int_conversations__attributed as select 1 as stale');
    await db.run('create table intermediate.int_messages__segmented as select 1 as retired');
    await db.run('create table marts.conversations__build as select 1 as half_built');
    await buildMetrics(db, testConfig(), { asOf: AS_OF });
    const stored = await rows(db, `select schema_name || '.' || table_name as name from duckdb_tables()
      where not temporary and schema_name in ('staging', 'intermediate', 'marts') order by 1`);
    expect(stored.map((r) => r.name)).toEqual([
      'intermediate.int_kpis__aggregated', 'marts.canned_templates', 'marts.conversations', 'marts.escalated_tickets',
      'marts.kpis_by_agent', 'marts.kpis_by_agent_day', 'marts.kpis_by_channel_day', 'marts.kpis_by_vendor_tier_day',
      'marts.vendor_league',
      'staging.settings', 'staging.sla_targets',
    ]);
  });

  it('an audit that finds rows throws AuditError naming it, and leaves the previous marts in place', async () => {
    ({ db } = await buildScenario(scenario, { asOf: AS_OF }));
    const sqlDir = mkdtempSync(join(tmpdir(), 'csqa-sql-'));
    cpSync(defaultSqlDir(), sqlDir, { recursive: true });
    writeFileSync(join(sqlDir, 'audits', 'always_fails.sql'), "select 'bad' as problem");
    await db.run(
      `insert into raw.messages (message_key, conversation_id, sent_at, role, text, record_hash, source_file, source_line)
       values ('k3:1', 'k3', timestamp '2026-03-03 10:00:00', 'customer', 'hi', 'h', 'late.jsonl', 1)`,
    );
    const attempt = buildMetrics(db, testConfig(), { asOf: AS_OF, sqlDir });
    await expect(attempt).rejects.toBeInstanceOf(AuditError);
    await expect(attempt).rejects.toThrow(/audit always_fails failed: 1 violating row\(s\)[\s\S]*"problem":"bad"/);
    expect(await rows(db, 'select conversation_id from marts.conversations order by 1')).toEqual([
      { conversation_id: 'k1' },
      { conversation_id: 'k2' },
    ]);
  });

  it('grain and interval audits catch corrupted marts', async () => {
    ({ db } = await buildScenario(scenario, { asOf: AS_OF }));
    const audits = loadAudits(defaultSqlDir());
    assertAuditsPass(await runAudits(db, audits));
    await db.run(`insert into marts.conversations by name select * from marts.conversations where conversation_id = 'k1'`);
    await db.run(`update marts.kpis_by_agent set csat_top2_rate_low = 0.9 where agent_id = 'a2'`);
    const failed = (await runAudits(db, audits)).filter((a) => a.violations > 0).map((a) => a.name);
    expect(failed).toEqual(['conversations__grain', 'intervals_contain_value', 'kpis_conversations_reconcile']);
  });
});

describe('exportMarts', () => {
  it('writes every mart as Parquet and CSV under stable names, plus the settings in force', async () => {
    let result;
    ({ db, result } = await buildScenario(scenario, { asOf: AS_OF, flags: { 'metrics.fcrWindowsHours': [12, 48, 96] } }));
    const outDir = mkdtempSync(join(tmpdir(), 'csqa-out-'));
    const files = await exportMarts(db, outDir, result.settings);
    const marts = ['canned_templates', 'conversations', 'escalated_tickets', 'kpis_by_agent', 'kpis_by_agent_day',
      'kpis_by_channel_day', 'kpis_by_vendor_tier_day', 'vendor_league'];
    expect(files).toEqual([
      ...marts.flatMap((m) => [join(outDir, 'exports', `${m}.parquet`), join(outDir, 'exports', `${m}.csv`)]),
      join(outDir, 'exports', SETTINGS_FILE),
    ]);
    const parquet = join(outDir, 'exports', 'conversations.parquet');
    expect(await db.value(`select count(*) from read_parquet($1)`, [parquet])).toBe(2);
    expect(readFileSync(join(outDir, 'exports', 'canned_templates.csv'), 'utf8').split('\n')[1]).toMatch(/^t1,/);
    const settings = JSON.parse(readFileSync(join(outDir, 'exports', SETTINGS_FILE), 'utf8'));
    expect(settings).toMatchObject({
      asOf: '2026-03-10T00:00:00.000Z', reportTimezone: 'UTC', humanReachTargetSeconds: 240, promiseWindowHours: 48,
      minSample: 30, fcrWindowsHours: { is_fcr_24h: 12, is_fcr_72h: 48, is_fcr_7d: 96 },
    });
    expect(existsSync(join(outDir, 'exports', 'conversations.parquet.tmp-' + process.pid))).toBe(false);
    const [league] = await rows(db, `select kpi_label from marts.vendor_league where kpi = 'fcr_24h' limit 1`);
    expect(league!.kpi_label).toBe('FCR, no repeat within 12 h');
  });
});
