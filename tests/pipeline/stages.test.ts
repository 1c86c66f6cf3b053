import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import { AuditError, QuarantineThresholdError } from '../../src/errors.js';
import { runNightly } from '../../src/pipeline/nightly.js';
import { silentProgress, type ProgressReporter } from '../../src/pipeline/progress.js';
import type { Stage } from '../../src/pipeline/stage.js';
import { ingestStage } from '../../src/pipeline/stages.js';

const edgeConfig = JSON.parse(readFileSync('fixtures/configs/edge.json', 'utf8')).ingest as Record<string, unknown>;

function config(threshold: number, inputs = ['fixtures/edge/messages.jsonl']) {
  const flags: Record<string, unknown> = { db: ':memory:', outDir: mkdtempSync(join(tmpdir(), 'csqa-stages-')), inputs, 'ingest.quarantineThreshold': threshold };
  for (const [k, v] of Object.entries(edgeConfig)) flags[`ingest.${k}`] = v;
  return loadConfig({ env: {}, flags, cwd: tmpdir() });
}

function recorder(): ProgressReporter & { warnings: string[]; updates: string[] } {
  const warnings: string[] = [];
  const updates: string[] = [];
  return {
    warnings,
    updates,
    info: () => undefined,
    warn: (m) => warnings.push(m),
    stage: (name) => ({ update: (u) => updates.push(`${name} ${u.done}/${u.total} ${u.unit} ${u.rows ?? ''}`.trim()), end: () => undefined }),
  };
}

const clock = () => {
  let t = Date.UTC(2026, 10, 21, 2, 30);
  return () => new Date((t += 1000));
};

describe('run stages and summary', () => {
  it('warns about a file over half the quarantine threshold, reports ingest progress per file, and counts', async () => {
    const progress = recorder();
    const { summary, error } = await runNightly({ config: config(0.5), progress, now: clock(), stages: [ingestStage] });
    expect(error).toBeUndefined();
    expect(summary).toMatchObject({ status: 'ok', exitCode: 0, error: null });
    expect(summary.seconds).toBe((Date.parse(summary.finishedAt) - Date.parse(summary.startedAt)) / 1000);
    expect(summary.seconds).toBeGreaterThan(0);
    expect(summary.stages).toEqual([
      {
        stage: 'ingest',
        status: 'ok',
        seconds: expect.any(Number),
        counts: { files: 1, filesAlreadyLoaded: 0, rowsRead: 18, rowsLoaded: 9, rowsDuplicate: 2, rowsQuarantined: 7 },
      },
    ]);
    expect(summary.warnings).toEqual([
      {
        stage: 'ingest',
        code: 'quarantine_near_threshold',
        message: 'fixtures/edge/messages.jsonl: 7 of 18 rows quarantined (38.9 %), over half the threshold of 50.0 %',
      },
    ]);
    expect(progress.warnings).toEqual([summary.warnings[0]!.message]);
    expect(progress.updates).toEqual(['ingest 1/1 files 18']);
  });

  it('warns when every input was loaded before (no new rows), on the same database', async () => {
    const db = await openDatabase(':memory:');
    const keep = { ...db, close: () => undefined };
    const cfg = config(0.5, ['fixtures/edge/nested.json']);
    const first = await runNightly({ config: cfg, progress: silentProgress, now: clock(), stages: [ingestStage], openDb: async () => keep });
    const second = await runNightly({ config: cfg, progress: silentProgress, now: clock(), stages: [ingestStage], openDb: async () => keep });
    db.close();
    expect(first.summary.warnings.map((w) => w.code)).toEqual([]);
    expect(second.summary.warnings).toEqual([{ stage: 'ingest', code: 'no_new_rows', message: 'all 1 input file(s) were loaded before: no new rows' }]);
    expect(second.summary.stages[0]!.counts).toMatchObject({ filesAlreadyLoaded: 1, rowsLoaded: 0 });
  });

  it('a stage failure is the run\'s exit code, later stages are skipped and named, the summary still comes', async () => {
    const ran: string[] = [];
    const later: Stage = { name: 'later', run: async () => (ran.push('later'), { counts: {} }) };
    const { summary, error } = await runNightly({ config: config(0.1), progress: silentProgress, now: clock(), stages: [ingestStage, later] });
    expect(error).toBeInstanceOf(QuarantineThresholdError);
    expect(ran).toEqual([]);
    expect(summary).toMatchObject({ status: 'failed', exitCode: 4 });
    expect(summary.error).toContain('fixtures/edge/messages.jsonl: 7 of 18 rows');
    expect(summary.stages.map((s) => [s.stage, s.status])).toEqual([
      ['ingest', 'failed'],
      ['later', 'skipped'],
    ]);
    // The ingest counts of a failed-but-committed stage stay in the summary.
    expect(summary.ingest?.totals.rowsLoaded).toBe(9);
    expect(summary.warnings.map((w) => w.code)).toEqual(['stage_skipped']);
  });

  it('a thrown error ends the run with its exit code; a stage sees the ones before it', async () => {
    const seen: string[] = [];
    const first: Stage = { name: 'first', run: async () => ({ counts: { n: 1 }, detail: 'from first' }) };
    const second: Stage = {
      name: 'second',
      run: async (context) => {
        seen.push(String(context.earlier.get('first')?.detail));
        throw new AuditError('audit x failed');
      },
    };
    const db = await openDatabase(':memory:');
    let closed = false;
    const { summary, error } = await runNightly({
      config: config(0.5),
      progress: silentProgress,
      now: clock(),
      stages: [first, second],
      openDb: async () => Object.assign(db, { close: () => ((closed = true), undefined) }),
    });
    expect(seen).toEqual(['from first']);
    expect(error).toBeInstanceOf(AuditError);
    expect(closed).toBe(true);
    expect(summary).toMatchObject({ status: 'failed', exitCode: 5, error: 'audit x failed', ingest: null });
    expect(summary.stages.map((s) => [s.stage, s.status, s.counts])).toEqual([
      ['first', 'ok', { n: 1 }],
      ['second', 'failed', {}],
    ]);
  });
});
