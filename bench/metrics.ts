/**
 * Benchmark of the KPI layer: synthesises conversations with SQL (range(), hash()) straight into raw.* and
 * scores.* of an in-memory DuckDB, then times every model and the audits.
 *   npm run bench:metrics -- [conversations=1000000]   (BENCH_DB=<file> keeps the database, BENCH_MEMORY=8GB)
 * Shape per conversation: 6-18 messages (mean 12), customer and responder alternating; two thirds reach a
 * human after three bot turns, a seventh of those escalate to L2; 5 % of messages carry a signal; sentiment on
 * every customer message; 10 % of agent messages templated; transfer/escalation/close events for part of the
 * human conversations; surveys for a fifth. 400k customers, so repeats exist for FCR.
 * Then a floor on the same data (`floor`): the least any layer that reads messages with their scores must do,
 * nothing stored: attach the three score tables to every message (sentiment and templates joined as they are,
 * signals folded to one row per message first, the least their shape allows). No model sorts every message,
 * so the slowest model is set beside that floor. `npm run bench` prints this as one JSON line (`kpi_models`).
 */
import { loadavg } from 'node:os';
import { loadConfig } from '../src/config.js';
import { openDatabase, type Db } from '../src/db/database.js';
import { ensureRawSchema } from '../src/db/schema.js';
import { buildMetrics } from '../src/metrics/build.js';
import { defaultSqlDir, loadAudits } from '../src/metrics/models.js';
import { runAudits } from '../src/metrics/audits.js';

export interface KpiModelTiming {
  model: string;
  rows: number;
  seconds: number;
  cpuSeconds: number;
}

export interface KpiBenchResult {
  conversations: number;
  messages: number;
  models: KpiModelTiming[];
  models_s: number;
  models_cpu_s: number;
  audits_s: number;
  audits_failed: string[];
  /** The floor (see the header), each step alone on the same data. */
  floor: { step: string; seconds: number; cpuSeconds: number }[];
  floor_s: number;
  slowest_model: string;
  slowest_s: number;
  load_average: number;
}

async function synthesise(db: Db, conversations: number): Promise<void> {
  await ensureRawSchema(db);
  await db.run(
    `create temp table bench_conversations as
     select
       c,
       'c' || c as conversation_id,
       'u' || (hash(c, 'customer') % 400000) as customer_id,
       timestamp '2026-03-01 00:00:00' + to_seconds(cast(hash(c, 'start') % (28 * 86400) as bigint)) as started_at,
       6 + cast(hash(c, 'length') % 13 as integer) as n_messages,
       hash(c, 'human') % 3 <> 0 as is_human,
       hash(c, 'l2') % 7 = 0 as is_l2,
       'a' || (hash(c, 'agent') % 2000) as agent_id,
       ['chat', 'app', 'email'][1 + cast(hash(c, 'channel') % 3 as integer)] as channel
     from range($1) t(c)`,
    [conversations],
  );
  await db.run(
    `insert into raw.messages (message_key, message_id, conversation_id, sent_at, role, text, customer_id, agent_id,
       agent_name, vendor, tier, channel, record_hash, source_file, source_line)
     with m as (
       select b.*, unnest(range(b.n_messages)) as i from bench_conversations b
     )
     select
       conversation_id || ':' || i, cast(i as varchar), conversation_id,
       started_at + to_seconds(cast(i * 30 + hash(c, i) % 20 as bigint)),
       case when i % 2 = 0 then 'customer' when is_human and i >= 5 then 'agent' else 'bot' end,
       'message text',
       case when i % 2 = 0 then customer_id end,
       case when i % 2 = 1 and is_human and i >= 5 then (case when is_l2 and i >= 11 then 'b' || agent_id else agent_id end) end,
       null,
       case when i % 2 = 1 then (case when is_human and i >= 5 then 'v' || (hash(agent_id) % 5) else 'in-house' end) end,
       case when i % 2 = 1 then (case when not (is_human and i >= 5) then 'bot' when is_l2 and i >= 11 then 'L2' else 'L1' end) end,
       channel, 'h', 'bench', c * 20 + i
     from m`,
  );
  await db.run(
    `insert into scores.message_sentiment
     select message_key, conversation_id, 'lexicon', '1',
       (hash(message_key, 's') % 201) / 100.0 - 1.0 as score,
       case when (hash(message_key, 's') % 201) < 70 then 'negative' when (hash(message_key, 's') % 201) > 130 then 'positive' else 'neutral' end
     from raw.messages where role = 'customer'`,
  );
  await db.run(
    `insert into scores.message_signals (message_key, conversation_id, signal, rule_id, confidence, scorer, scorer_version)
     select message_key, conversation_id,
       case when role = 'customer'
         then ['human_request', 'complaint_threat', 'anger', 'repeat_explanation', 'thanks_resolved'][1 + cast(hash(message_key, 'k') % 5 as integer)]
         else ['coupon_appeasement', 'callback_promise', 'agents_busy', 'bot_transfer_block', 'self_service_redirect', 'canned_repetition', 'apology_loop'][1 + cast(hash(message_key, 'k') % 7 as integer)]
       end,
       'bench', 1.0, 'rules', '1'
     from raw.messages where hash(message_key, 'signal') % 20 = 0`,
  );
  await db.run(
    `insert into scores.message_templates
     select message_key, conversation_id, 't' || (hash(message_key, 't') % 500)
     from raw.messages where role = 'agent' and hash(message_key, 'template') % 10 = 0`,
  );
  await db.run(
    `insert into raw.events (event_key, conversation_id, occurred_at, event, from_tier, to_tier, ticket_id, record_hash, source_file, source_line)
     select conversation_id || ':transfer', conversation_id, started_at + interval 140 second, 'transferred', 'bot', 'L1', null, 'h', 'bench', c
     from bench_conversations where is_human and c % 2 = 0
     union all
     select conversation_id || ':escalated', conversation_id, started_at + interval 320 second, 'escalated', 'L1', 'L2', 'T' || c, 'h', 'bench', c
     from bench_conversations where is_human and is_l2
     union all
     select conversation_id || ':closed', conversation_id, started_at + to_seconds(cast(3600 + hash(c, 'close') % 100000 as bigint)),
       'ticket_closed', null, null, 'T' || c, 'h', 'bench', c
     from bench_conversations where is_human and is_l2 and c % 3 <> 0`,
  );
  await db.run(
    `insert into raw.surveys (survey_key, conversation_id, answered_at, csat, record_hash, source_file, source_line)
     select conversation_id || ':survey', conversation_id, started_at + interval 1 hour, 1 + cast(hash(c, 'csat') % 5 as integer), 'h', 'bench', c
     from bench_conversations where c % 5 = 0`,
  );
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number; cpuSeconds: number }> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const value = await work();
  const used = process.cpuUsage(cpu);
  return { value, seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
}

/** Each step's result is reduced to one row, so nothing is stored or sent: only the work itself is timed. */
const FLOOR_STEPS: readonly { step: string; sql: string }[] = [
  {
    step: 'attach the three score tables to every message (no sort)',
    sql: `select count(se.score), count(sg.signal_bits), count(t.template_id)
          from raw.messages as m
          left join scores.message_sentiment as se on se.message_key = m.message_key
          left join (select message_key, count(*) as signal_bits from scores.message_signals group by message_key) as sg
              on sg.message_key = m.message_key
          left join scores.message_templates as t on t.message_key = m.message_key`,
  },
];

export async function benchMetrics(conversations: number): Promise<KpiBenchResult> {
  const db = await openDatabase(process.env.BENCH_DB ?? ':memory:', { memoryLimit: process.env.BENCH_MEMORY ?? '8GB' });
  try {
    await synthesise(db, conversations);
    const messages = Number(await db.value('select count(*) from raw.messages'));
    const config = loadConfig({ env: {}, cwd: '/nonexistent-csqa-bench' });
    const result = await buildMetrics(db, config, { asOf: '2026-03-29T00:00:00Z', skipAudits: true });
    const models = result.models.map((m) => ({ model: m.name, rows: m.rows, seconds: m.ms / 1000, cpuSeconds: m.cpuMs / 1000 }));
    const audits = await timed(() => runAudits(db, loadAudits(defaultSqlDir())));
    const floor: KpiBenchResult['floor'] = [];
    for (const { step, sql } of FLOOR_STEPS) {
      const { seconds, cpuSeconds } = await timed(() => db.all(sql));
      floor.push({ step, seconds, cpuSeconds });
    }
    const slowest = models.reduce((a, b) => (b.seconds > a.seconds ? b : a));
    return {
      conversations,
      messages,
      models,
      models_s: models.reduce((sum, m) => sum + m.seconds, 0),
      models_cpu_s: models.reduce((sum, m) => sum + m.cpuSeconds, 0),
      audits_s: audits.seconds,
      audits_failed: audits.value.filter((a) => a.violations > 0).map((a) => a.name),
      floor,
      floor_s: floor.reduce((sum, s) => sum + s.seconds, 0),
      slowest_model: slowest.model,
      slowest_s: slowest.seconds,
      load_average: loadavg()[0]!,
    };
  } finally {
    db.close();
  }
}

export function formatKpiBench(r: KpiBenchResult): string {
  const row = (name: string, rows: string, seconds: number, cpuSeconds: number) =>
    `${name.padEnd(56)} ${rows.padStart(10)} ${seconds.toFixed(2).padStart(7)} s wall ${cpuSeconds.toFixed(2).padStart(7)} s cpu`;
  return [
    `${r.conversations} conversations, ${r.messages} messages (in memory)`,
    ...r.models.map((m) => row(m.model, `${m.rows} rows`, m.seconds, m.cpuSeconds)),
    row('models total', '', r.models_s, r.models_cpu_s),
    `audits ${r.audits_s.toFixed(2)} s wall (failed: ${r.audits_failed.join(', ') || 'none'})`,
    'floor (nothing stored):',
    ...r.floor.map((s) => row(`  ${s.step}`, '', s.seconds, s.cpuSeconds)),
    `slowest model ${r.slowest_model}: ${r.slowest_s.toFixed(2)} s, ${(r.slowest_s / r.floor_s).toFixed(1)}x the floor (${r.floor_s.toFixed(2)} s); load average ${r.load_average.toFixed(1)}`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await benchMetrics(Number(process.argv[2] ?? 1_000_000));
  console.log(process.argv.includes('--json') ? JSON.stringify(result) : formatKpiBench(result));
}
