/**
 * Component benchmarks, one JSON line each: the KPI models with the floor of the largest (bench/metrics.ts), the
 * lexicon + rules scorer, bulk writes, and redaction (plain, the canned-template clustering path, pathological
 * inputs). `npm run bench` runs them after the stage table;
 * `npm run bench:micro` alone.
 */
import { benchBulkWrite } from './bulkWrite.js';
import { benchMetrics } from './metrics.js';
import { benchPathological, benchRedact, benchSqlRedact } from './redact.js';
import { benchScore } from './score.js';

export async function runMicroBenchmarks(messages: number, kpiConversations: number): Promise<void> {
  console.log(JSON.stringify({ bench: 'kpi_models', ...(await benchMetrics(kpiConversations)) }));
  console.log(JSON.stringify({ bench: 'score', ...(await benchScore(messages, 0.2)) }));
  console.log(JSON.stringify({ bench: 'bulk_write', ...(await benchBulkWrite(200_000)) }));
  console.log(JSON.stringify({ bench: 'redact', ...benchRedact(1_000_000) }));
  console.log(JSON.stringify({ bench: 'redact_sql', ...(await benchSqlRedact(100_000)) }));
  console.log(JSON.stringify({ bench: 'redact_pathological', cases: benchPathological() }));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runMicroBenchmarks(Number(process.env.CSQA_BENCH_MESSAGES ?? 1_000_000), Number(process.env.CSQA_BENCH_CONVERSATIONS ?? 100_000));
}
