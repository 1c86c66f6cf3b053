/**
 * How long `csqa report` takes on a realistic mart: 1M conversations, 8 vendors, 400 agents, 30 days,
 * 2,000 canned templates. Run: npx tsx bench/report.ts [conversations]
 * Prints the time per chart query, the rows each chart binds (must stay small: aggregate, never ship
 * raw rows) and the total build including SVG, PNG and index.html.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db/database.js';
import { buildReport, choicesInForce } from '../src/dashboards/build.js';
import { DEFAULT_CHARTS, defaultDashboardsDir, loadChart } from '../src/dashboards/catalog.js';
import { runChartQuery } from '../src/dashboards/query.js';
import type { ReportSettings } from '../src/dashboards/settings.js';
import { CONVERSATIONS_DDL, LEAGUE_DDL, TEMPLATES_DDL } from '../tests/dashboards/marts-fixture.js';

const conversations = Number(process.argv[2] ?? 1_000_000);
const db = await openDatabase(':memory:');
const settings: ReportSettings = {
  asOf: '2026-12-01T00:00:00Z',
  timezone: 'Asia/Shanghai',
  fcrWindow: '72h',
  humanReachTargetSeconds: 240,
  minSampleConversations: 30,
  minSampleSurveys: 5,
};

// h(i, k): a deterministic pseudo-random number in [0, 1) per row and purpose.
const h = (k: number) => `((hash(i * 7919 + ${k}) % 1000000) / 1000000.0)`;
let t = performance.now();
await db.run('create schema marts');
await db.run(CONVERSATIONS_DDL.replace('create schema if not exists marts;', ''));
await db.run(`
insert into marts.conversations
select
  'c' || i, 'u' || (i % 300000), 'chat', null, null,
  timestamp '2026-11-01 00:00:00' + to_seconds(cast(${h(1)} * 30 * 86400 as bigint)),
  null,
  date '2026-11-01' + cast(${h(1)} * 30 as integer),
  'vendor-' || (i % 8),
  case when ${h(2)} < 0.35 then 'bot' when ${h(2)} < 0.8 then 'L1' when ${h(2)} < 0.95 then 'L2' else 'L3' end,
  case when ${h(2)} < 0.35 then null else 'agent-' || ((i % 8) * 50 + cast(${h(3)} * 50 as integer)) end,
  ${h(2)} >= 0.35,
  case when ${h(2)} < 0.35 then 'bot' when ${h(2)} < 0.8 then 'bot>L1' when ${h(2)} < 0.95 then 'bot>L1>L2' else 'bot>L1>L2>L3' end,
  0, false,
  5 + 30 * ${h(4)},
  case when ${h(2)} >= 0.35 then 10 + 200 * ${h(5)} end,
  case when ${h(6)} < 0.5 and ${h(2)} >= 0.35 then 600 * ${h(7)} * ${h(7)} end,
  ${h(2)} >= 0.35, case when ${h(6)} < 0.5 then ${h(2)} >= 0.35 and 600 * ${h(7)} * ${h(7)} <= 240 end,
  case when ${h(6)} < 0.5 then 1 else 0 end, 0,
  case when ${h(2)} < 0.35 then ${h(8)} < 0.7 end,
  ${h(9)} < 0.7, ${h(9)} < 0.65, ${h(9)} < 0.6, false,
  case when ${h(10)} < 0.3 then 1 + cast(${h(11)} * 5 as integer) end,
  case when ${h(10)} < 0.3 then 1 + cast(${h(11)} * 5 as integer) >= 4 end, null, ${h(10)} < 0.3,
  0.1, 0.0, -0.1, -0.3, ${h(12)} < 0.2,
  ${Array.from({ length: 7 }, (_, k) => `case when ${h(20 + k)} < 0.05 then 1 else 0 end`).join(', ')},
  ${Array.from({ length: 7 }, (_, k) => `${h(20 + k)} < 0.05`).join(' or ')},
  case when ${Array.from({ length: 7 }, (_, k) => `${h(20 + k)} < 0.05`).join(' or ')} then ${h(13)} - 0.6 end,
  10, null
from range(${conversations}) t(i)`);
await db.run(LEAGUE_DDL);
await db.run(`
insert into marts.vendor_league
select k.kpi, k.label, 'vendor-' || v, 0.5 + v / 20.0, 0.45 + v / 20.0, 0.55 + v / 20.0, 1000 + v, null, null, true, v + 1, 'higher_is_better'
from (values ('fcr_72h', 'FCR (72 h window)'), ('csat_top2', 'CSAT top-2 box')) k(kpi, label), range(8) r(v)`);
await db.run(TEMPLATES_DDL);
await db.run(`
insert into marts.canned_templates
select 't' || i, '模板示例 ' || i || ' 非常抱歉给您带来不便', 5000 - i, 4000 - i, 10 + i % 50, 'agent-' || (i % 400), 100, i + 1
from range(2000) t(i)`);
const loadMs = performance.now() - t;

const dir = defaultDashboardsDir();
const { params } = choicesInForce({ settings });
console.log(`marts fixture: ${conversations} conversations built in ${(loadMs / 1000).toFixed(1)} s`);
console.log('chart                        query ms   rows bound');
for (const name of DEFAULT_CHARTS) {
  const chart = loadChart(dir, name);
  t = performance.now();
  const { rows } = await runChartQuery(db, chart.sql, params);
  console.log(`${name.padEnd(28)} ${String(Math.round(performance.now() - t)).padStart(8)}   ${String(rows.length).padStart(10)}`);
}

const outDir = mkdtempSync(join(tmpdir(), 'csqa-bench-report-'));
t = performance.now();
const result = await buildReport(db, { settings, outDir });
const buildMs = performance.now() - t;
const htmlBytes = statSync(join(outDir, 'index.html')).size;
console.log(`full report (queries + SVG + PNG + CSV + index.html): ${(buildMs / 1000).toFixed(1)} s, index.html ${(htmlBytes / 1024).toFixed(0)} kB, ${result.files.length} files`);
rmSync(outDir, { recursive: true, force: true });
db.close();
