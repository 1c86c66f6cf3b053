/**
 * `npm run bench [-- --conversations 1000000] [--reps 3] [--out bench/results/latest.json] [--stages-only]
 *   [--nights N [--period-days P]]`
 *
 * Generates (or reuses, cached by size and seed) a fixtures data set, then times each stage of the nightly
 * run as its own process on a fresh database, several repetitions, and prints median wall time,
 * messages per second and peak memory (RSS) per stage and for the whole run. Stages are the csqa commands
 * that exist in this build, in pipeline order; then the floor of the same data (bench/floor.ts: the least work
 * any night over it must do) and the night as a ratio to it; then the component benchmarks (scorer, bulk
 * writes, redaction).
 *
 * With --nights N the database grows night by night as a nightly job's does: night k loads its own data set
 * (the given number of conversations over one day, the day after night k-1's) into the same database, and
 * every night is timed and printed, its KPIs built as of the end of its day (as `csqa run --date` does);
 * --period-days sets metrics.periodDays for the KPI build.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { formatFloor, type FloorStep } from './floor.js';
import { runMicroBenchmarks } from './micro.js';

interface Args {
  conversations: number;
  reps: number;
  seed: number;
  out: string;
  cache: string;
  stagesOnly: boolean;
  nights: number;
  periodDays: number;
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
    nights: Number(get('nights', '1')),
    periodDays: Number(get('period-days', '0')),
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

/** The data set of one bench run, or of night `night` (1-based) of a --nights run: one day, after the previous night's. */
function dataset(args: Args, night?: number): string {
  const dir = join(args.cache, `fixtures-${args.conversations}-seed${args.seed}${night ? `-night${night}` : ''}`);
  if (existsSync(join(dir, '.complete'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  console.error(`generating ${args.conversations} conversations into ${dir} ...`);
  const nightly = night ? ['--seed', String(args.seed + night), '--start', nightStart(night), '--days', '1'] : ['--seed', String(args.seed)];
  const gen = csqa(['fixtures', '--conversations', String(args.conversations), ...nightly, '--out', dir, '--messy-rate', '0.001']);
  console.error(`  generated in ${gen.seconds.toFixed(1)} s`);
  writeFileSync(join(dir, '.complete'), new Date().toISOString());
  return dir;
}

const FIRST_NIGHT = Date.UTC(2026, 10, 1);

function nightStart(night: number): string {
  return new Date(FIRST_NIGHT + (night - 1) * 86_400_000).toISOString().slice(0, 10);
}

function countMessages(db: string): number {
  const count = spawnSync(process.execPath, ['--import', 'tsx', '-e',
    `import('./src/db/database.ts').then(async (m) => { const db = await m.openDatabase(${JSON.stringify(db)}); console.log(await db.value('select count(*) from raw.messages')); db.close(); })`],
    { encoding: 'utf8' });
  return Number(count.stdout.trim());
}

/** The floor in a process of its own, like the stages (its in-memory tables would otherwise stay in this one). */
function measureFloor(dir: string): FloorStep[] {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'bench/floor.ts', dir, '--json'], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`bench/floor.ts ${dir} failed (${result.status}):\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as FloorStep[];
}

interface StageRow {
  stage: string;
  medianSeconds: number;
  messagesPerSecond: number;
  peakRssMb: number;
}

/** One night's table: per stage the median over repetitions, messages/s over the messages that night loaded. */
function nightRows(stages: readonly string[], timings: Map<string, Array<{ seconds: number; rssMb: number }>>, messages: number) {
  const rows: StageRow[] = stages.map((name) => {
    const runs = timings.get(name)!;
    const seconds = median(runs.map((r) => r.seconds));
    return { stage: name, medianSeconds: seconds, messagesPerSecond: messages / seconds, peakRssMb: Math.max(...runs.map((r) => r.rssMb)) };
  });
  const seconds = rows.reduce((s, r) => s + r.medianSeconds, 0);
  const total: StageRow = { stage: 'total', medianSeconds: seconds, messagesPerSecond: messages / seconds, peakRssMb: Math.max(...rows.map((r) => r.peakRssMb)) };
  return { rows, total };
}

function formatTable(title: string, rows: readonly StageRow[]): string {
  return [
    title,
    'stage      median s   messages/s   peak RSS MB',
    ...rows.map((r) =>
      `${r.stage.padEnd(9)} ${r.medianSeconds.toFixed(2).padStart(9)} ${Math.round(r.messagesPerSecond).toLocaleString('en-US').padStart(12)} ${r.peakRssMb.toFixed(0).padStart(13)}`,
    ),
  ].join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const commands = availableCommands();
  if (!commands.has('fixtures')) throw new Error('this build has no `csqa fixtures` command to generate bench data');
  const nights = Math.max(1, args.nights);
  const data = nights === 1 ? [dataset(args)] : Array.from({ length: nights }, (_, k) => dataset(args, k + 1));
  const work = join(args.cache, 'run');
  mkdirSync(work, { recursive: true });

  // Only the day files: truth.jsonl, messy.jsonl and agents.jsonl beside them are the generator's answer key.
  const inputsOf = (dir: string) => join(dir, '*', 'records.jsonl');
  // A night is computed as `csqa run --date <its day>` would: as of the end of that day (the data spills past
  // midnight, so the default as-of, the end of the last day with data, would be the next day).
  const stageArgs: Array<[string, (dir: string, night: number) => string[]]> = [
    ['ingest', (dir) => ['ingest', '--quarantine-threshold', '1', inputsOf(dir)]],
    ['score', () => ['score']],
    ['metrics', (_, night) => (nights > 1 ? ['metrics', '--as-of', `${nightStart(night + 1)}T00:00:00Z`] : ['metrics'])],
    ['report', () => ['report']],
    ['coach', () => ['coach']],
  ];
  const stages = stageArgs.filter(([name]) => commands.has(name));
  const timings = data.map(() => new Map<string, Array<{ seconds: number; rssMb: number }>>());
  const messagesAfter: number[] = [];

  for (let rep = 0; rep < args.reps; rep++) {
    const db = join(work, 'bench.duckdb');
    rmSync(db, { force: true });
    rmSync(db + '.wal', { force: true });
    for (const [night, dir] of data.entries()) {
      const env: NodeJS.ProcessEnv = { CSQA_DB: db, CSQA_OUT_DIR: join(work, 'out'), CSQA_INPUTS: inputsOf(dir) };
      if (args.periodDays > 0) env.CSQA_METRICS_PERIOD_DAYS = String(args.periodDays);
      for (const [name, stageCommand] of stages) {
        const t = csqa(['-q', ...stageCommand(dir, night + 1)], env);
        timings[night]!.set(name, [...(timings[night]!.get(name) ?? []), t]);
        console.error(`rep ${rep + 1}${nights > 1 ? ` night ${night + 1}` : ''} ${name}: ${t.seconds.toFixed(2)} s, ${t.rssMb.toFixed(0)} MB`);
      }
      messagesAfter[night] = countMessages(db);
    }
  }

  const perNight = data.map((_, night) => {
    const messages = messagesAfter[night]! - (night > 0 ? messagesAfter[night - 1]! : 0);
    return { night: night + 1, messages, messagesInDatabase: messagesAfter[night]!, ...nightRows(stages.map(([n]) => n), timings[night]!, messages) };
  });
  for (const n of perNight) {
    const title = `csqa bench: ${args.conversations} conversations, ${n.messages} messages` +
      (nights > 1 ? ` (night ${n.night} of ${nights}, ${n.messagesInDatabase} in the database${args.periodDays > 0 ? `, metrics.periodDays ${args.periodDays}` : ''})` : '') +
      `, ${args.reps} reps, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`;
    console.log(formatTable(title, [...n.rows, n.total]));
  }
  const last = perNight[perNight.length - 1]!;
  // The floor of the same data in the same run, so the night can be read as a ratio to it (one night only:
  // the floor reads a data set whole).
  const floor = nights === 1 ? measureFloor(data[0]!) : undefined;
  if (floor) {
    const floorSeconds = floor.reduce((sum, s) => sum + s.seconds, 0);
    console.log(`floor (bench/floor.ts: the least work any night over this data must do):\n${formatFloor(floor)}`);
    console.log(`this night took ${(last.total.medianSeconds / floorSeconds).toFixed(1)}x the floor`);
  }
  mkdirSync(dirname(args.out), { recursive: true });
  const previous = existsSync(args.out) ? JSON.parse(readFileSync(args.out, 'utf8')) : undefined;
  writeFileSync(args.out, JSON.stringify({
    at: new Date().toISOString(), args, cores: cpus().length, messages: last.messages, stages: last.rows, total: last.total,
    ...(floor ? { floor } : {}), ...(nights > 1 ? { nights: perNight } : {}), previous: previous?.total ?? null,
  }, null, 2) + '\n');
  if (!args.stagesOnly) {
    console.log('component benchmarks (JSON lines):');
    // The scorer at 12M messages and the KPI models at 1M conversations: the sizes their targets are stated for.
    await runMicroBenchmarks(12_000_000, 1_000_000);
  }
}

await main();
