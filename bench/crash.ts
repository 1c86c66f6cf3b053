/**
 * `npx tsx bench/crash.ts [--kills 8] [--conversations 200] [--seed 1]`
 *
 * The kill-and-rerun property at random moments rather than the test's chosen points: times an uninterrupted
 * run, then for each trial starts a run on a fresh database, SIGKILLs it after a (seeded) random delay within
 * the shortest run seen so far, runs again to completion and compares every table and output file with the
 * uninterrupted run.
 * Prints in which stage each kill landed and whether the outputs matched. Exits 1 on any mismatch.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csqa, snapshotDatabase, snapshotFiles, start } from '../tests/pipeline/child.js';
import { Rng } from '../src/fixtures/random.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** Seeded (the fixtures' generator) so a failing delay can be replayed. */
function random(seed: number): () => number {
  const generator = new Rng(seed);
  return () => generator.float();
}

async function main(): Promise<void> {
  const kills = arg('kills', 8);
  const next = random(arg('seed', 1));
  const root = mkdtempSync(join(tmpdir(), 'csqa-crash-bench-'));
  const generated = csqa(['fixtures', '--conversations', String(arg('conversations', 200)), '--days', '3', '--out', join(root, 'fixtures')]);
  if (generated.code !== 0) throw new Error(generated.stderr);
  const workspace = (name: string) => {
    const config = join(root, `${name}.json`);
    writeFileSync(config, JSON.stringify({ outDir: join(root, name, 'out'), inputs: [join(root, 'fixtures', '*', 'records.jsonl')] }));
    return { db: join(root, `${name}.duckdb`), out: join(root, name, 'out'), args: ['--db', join(root, `${name}.duckdb`), '-c', config, 'run'] };
  };

  const ref = workspace('reference');
  const t0 = performance.now();
  if (csqa(ref.args).code !== 0) throw new Error('reference run failed');
  const runMs = performance.now() - t0;
  const reference = JSON.stringify([await snapshotDatabase(ref.db), await snapshotFiles(ref.out)]);
  console.log(`uninterrupted run: ${(runMs / 1000).toFixed(1)} s`);

  let mismatches = 0;
  // On a shared machine a run's duration swings; the shortest seen keeps kills landing inside runs.
  let shortestMs = runMs;
  for (let trial = 0; trial < kills; trial++) {
    const ws = workspace(`trial-${trial}`);
    const delay = Math.round(next() * shortestMs);
    const run = start(ws.args);
    await new Promise((resolve) => setTimeout(resolve, delay));
    run.child.kill('SIGKILL');
    const { code, signal } = await run.exited;
    const stages = [...run.stderr().matchAll(/\[(\w+)\] (started|done)/g)].map((m) => `${m[1]} ${m[2]}`);
    const landed = signal ? `during/after "${stages.at(-1) ?? 'startup'}"` : `too late (exited ${code})`;
    const t1 = performance.now();
    const again = csqa(ws.args);
    shortestMs = Math.min(shortestMs, performance.now() - t1);
    const same = again.code === 0 && JSON.stringify([await snapshotDatabase(ws.db), await snapshotFiles(ws.out)]) === reference;
    if (!same) mismatches++;
    console.log(`kill ${trial + 1}/${kills} at ${delay} ms, ${landed}: rerun exit ${again.code}, outputs ${same ? 'identical' : 'DIFFER'}`);
  }
  console.log(`${kills - mismatches}/${kills} killed runs converged on the uninterrupted outputs`);
  // Kept for inspection only when something differed.
  if (mismatches) {
    console.log(`work dir kept: ${root}`);
    process.exitCode = 1;
  } else {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
