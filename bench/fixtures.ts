/**
 * Fixture generator throughput: `npx tsx bench/fixtures.ts [conversations=100000] [outDir] [--gzip]`.
 * Prints conversations/s and messages/s; the nightly benchmark set is 1,000,000 conversations.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateFixtures } from '../src/fixtures/generate.js';

const args = process.argv.slice(2);
const gzip = args.includes('--gzip');
const positional = args.filter((a) => !a.startsWith('--'));
const conversations = Number(positional[0] ?? 100_000);
const keep = positional[1] !== undefined;
const outDir = positional[1] ?? mkdtempSync(join(tmpdir(), 'csqa-fixtures-bench-'));

const started = process.hrtime.bigint();
const cpuBefore = process.cpuUsage();
const summary = await generateFixtures({
  conversations,
  seed: 42,
  outDir,
  start: '2026-11-01',
  days: 7,
  messyRate: 0.01,
  gzip,
});
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
// The machine is shared: CPU seconds say what the generator costs even when wall time is inflated.
const cpu = process.cpuUsage(cpuBefore);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const rss = process.memoryUsage().rss / 2 ** 20;
console.log(
  JSON.stringify({
    conversations: summary.conversations,
    messages: summary.messages,
    records: summary.records,
    messy_rows: summary.messyRows,
    gzip,
    seconds: Math.round(seconds * 100) / 100,
    cpu_seconds: Math.round(cpuSeconds * 100) / 100,
    conversations_per_second: Math.round(summary.conversations / seconds),
    messages_per_second: Math.round(summary.messages / seconds),
    peak_rss_mb: Math.round(rss),
    out_dir: keep ? outDir : '(removed)',
  }),
);
if (!keep) rmSync(outDir, { recursive: true, force: true });
