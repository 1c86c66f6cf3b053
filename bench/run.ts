/**
 * `npm run bench [-- --conversations 1000000] [--reps 3] [--out bench/results/latest.json] [--stages-only]`
 *
 * Generates (or reuses, cached by size and seed) a fixtures data set, then times each stage of the nightly
 * run as its own process on a fresh database, several repetitions, and prints median wall time,
 * messages per second and peak memory (RSS) per stage and for the whole run. Stages are the csqa commands
 * that exist in this build, in pipeline order; then the component benchmarks (scorer, bulk writes, redaction).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { runMicroBenchmarks } from './micro.js';

interface Args {
  conversations: number;
  reps: number;
  seed: number;
  out: string;
  cache: string;
  stagesOnly: boolean;
}

function parseArgs(argv: string[]): Args {
  const get = (name: string, fallback: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] ? argv[i + 1]! : fallback;
  };
  return {
    conversations: Number(get('conversations', '100000')),
    reps: Number(get('reps', '3')),
    seed: Number(get('seed', '7')),
    out: get('out', 'bench/results/latest.json'),
    cache: get('cache', '.bench-cache'),
    stagesOnly: argv.includes('--stages-only'),
  };
}

const CLI = ['--import', 'tsx', 'src/cli.ts'];

function csqa(args: string[], env: NodeJS.ProcessEnv = {}) {
  // GNU time reports the child's peak RSS; the node process it wraps is the whole stage.
  const result = spawnSync('/usr/bin/time', ['-f', 'CSQA_BENCH %e %M', process.execPath, ...CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 256 * 1024 * 1024,
  });
  const match = /CSQA_BENCH ([\d.]+) (\d+)/.exec(result.stderr ?? '');
  if (result.status !== 0 && result.status !== 4) {
    throw new Error(`csqa ${args.join(' ')} failed (${result.status}):\n${result.stderr}`);
  }
  return { seconds: Number(match?.[1] ?? NaN), rssMb: Number(match?.[2] ?? NaN) / 1024, stdout: result.stdout };
}

function availableCommands(): Set<string> {
  const help = spawnSync(process.execPath, [...CLI, '--help'], { encoding: 'utf8' }).stdout;
  return new Set([...help.matchAll(/^\s{2}(\w+)/gm)].map((m) => m[1]!));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function dataset(args: Args): string {
  const dir = join(args.cache, `fixtures-${args.conversations}-seed${args.seed}`);
  if (existsSync(join(dir, '.complete'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  console.error(`generating ${args.conversations} conversations into ${dir} ...`);
  const gen = csqa(['fixtures', '--conversations', String(args.conversations), '--seed', String(args.seed), '--out', dir, '--messy-rate', '0.001']);
  console.error(`  generated in ${gen.seconds.toFixed(1)} s`);
  writeFileSync(join(dir, '.complete'), new Date().toISOString());
  return dir;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const commands = availableCommands();
  if (!commands.has('fixtures')) throw new Error('this build has no `csqa fixtures` command to generate bench data');
  const data = dataset(args);
  const work = join(args.cache, 'run');
  mkdirSync(work, { recursive: true });

  const stageArgs: Array<[string, string[]]> = [
    // Only the day files: truth.jsonl, messy.jsonl and agents.jsonl beside them are the generator's answer key.
    ['ingest', ['ingest', '--quarantine-threshold', '1', join(data, '*', 'records.jsonl')]],
    ['score', ['score']],
    ['metrics', ['metrics']],
    ['report', ['report']],
    ['coach', ['coach']],
  ];
  const stages = stageArgs.filter(([name]) => commands.has(name));
  const timings = new Map<string, Array<{ seconds: number; rssMb: number }>>();
  let messages = 0;

  for (let rep = 0; rep < args.reps; rep++) {
    const db = join(work, 'bench.duckdb');
    rmSync(db, { force: true });
    rmSync(db + '.wal', { force: true });
    const env = { CSQA_DB: db, CSQA_OUT_DIR: join(work, 'out'), CSQA_INPUTS: join(data, '*', 'records.jsonl') };
    for (const [name, stageCommand] of stages) {
      const t = csqa(['-q', ...stageCommand], env);
      timings.set(name, [...(timings.get(name) ?? []), t]);
      console.error(`rep ${rep + 1} ${name}: ${t.seconds.toFixed(2)} s, ${t.rssMb.toFixed(0)} MB`);
    }
    const count = spawnSync(process.execPath, ['--import', 'tsx', '-e',
      `import('./src/db/database.ts').then(async (m) => { const db = await m.openDatabase(${JSON.stringify(db)}); console.log(await db.value('select count(*) from raw.messages')); db.close(); })`],
      { encoding: 'utf8' });
    messages = Number(count.stdout.trim());
  }

  const rows = stages.map(([name]) => {
    const runs = timings.get(name)!;
    const seconds = median(runs.map((r) => r.seconds));
    return { stage: name, medianSeconds: seconds, messagesPerSecond: messages / seconds, peakRssMb: Math.max(...runs.map((r) => r.rssMb)) };
  });
  const total = {
    stage: 'total',
    medianSeconds: rows.reduce((s, r) => s + r.medianSeconds, 0),
    messagesPerSecond: messages / rows.reduce((s, r) => s + r.medianSeconds, 0),
    peakRssMb: Math.max(...rows.map((r) => r.peakRssMb)),
  };
  const table = [
    `csqa bench: ${args.conversations} conversations, ${messages} messages, ${args.reps} reps, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
    'stage      median s   messages/s   peak RSS MB',
    ...[...rows, total].map((r) =>
      `${r.stage.padEnd(9)} ${r.medianSeconds.toFixed(2).padStart(9)} ${Math.round(r.messagesPerSecond).toLocaleString('en-US').padStart(12)} ${r.peakRssMb.toFixed(0).padStart(13)}`,
    ),
  ].join('\n');
  console.log(table);
  mkdirSync(dirname(args.out), { recursive: true });
  const previous = existsSync(args.out) ? JSON.parse(readFileSync(args.out, 'utf8')) : undefined;
  writeFileSync(args.out, JSON.stringify({ at: new Date().toISOString(), args, cores: cpus().length, messages, stages: rows, total, previous: previous?.total ?? null }, null, 2) + '\n');
  if (!args.stagesOnly) {
    console.log('component benchmarks (JSON lines):');
    await runMicroBenchmarks(1_000_000);
  }
}

await main();
