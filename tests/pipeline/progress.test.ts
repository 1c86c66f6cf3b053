import { describe, expect, it } from 'vitest';
import { createProgress, formatDuration, formatProgressLine, type ProgressSink } from '../../src/pipeline/progress.js';

function sink(isTTY: boolean, quiet = false) {
  let text = '';
  let clock = Date.UTC(2026, 10, 21, 2, 30, 0);
  const s: ProgressSink = { stream: { write: (t: string) => (text += t) }, isTTY, quiet, now: () => clock, intervalMs: 10_000 };
  return { s, text: () => text, advance: (ms: number) => (clock += ms) };
}

describe('progress line', () => {
  it('shows units, rows, rate, ETA from the share done, elapsed and the item', () => {
    expect(formatProgressLine('ingest', { done: 2, total: 8, unit: 'files', rows: 30_000, detail: 'a.jsonl' }, 10_000)).toBe(
      '[ingest]  2/8 files  30,000 rows  3,000 rows/s  ETA 0:30  elapsed 0:10  (a.jsonl)',
    );
  });

  it('has no ETA without a total or once done, and a unit rate without rows', () => {
    expect(formatProgressLine('x', { done: 5, unit: 'batches' }, 2_000)).toBe('[x]  5 batches  2.5 batches/s  elapsed 0:02');
    expect(formatProgressLine('x', { done: 4, total: 4, unit: 'models' }, 1_000)).not.toContain('ETA');
  });

  it('formats durations past an hour', () => {
    expect(formatDuration(3_725_000)).toBe('1:02:05');
    expect(formatDuration(59_400)).toBe('0:59');
  });
});

describe('progress reporter', () => {
  it('on a terminal redraws one line in place (throttled), keeps it current under messages, closes it with the outcome', () => {
    const t = sink(true);
    const p = createProgress(t.s);
    const stage = p.stage('metrics');
    t.advance(1_000);
    stage.update({ done: 1, total: 3, unit: 'models' });
    t.advance(50);
    stage.update({ done: 2, total: 3, unit: 'models' }); // within 100 ms: not drawn, but remembered
    t.advance(950);
    p.info('note');
    stage.update({ done: 3, total: 3, unit: 'models' });
    stage.end('models 3');
    expect(t.text()).toBe(
      '\r\x1b[2K[metrics]  1/3 models  1.0 models/s  ETA 0:02  elapsed 0:01' +
        '\r\x1b[2Knote\n[metrics]  2/3 models  1.0 models/s  ETA 0:01  elapsed 0:02' +
        '\r\x1b[2K[metrics]  3/3 models  1.5 models/s  elapsed 0:02' +
        '\r\x1b[2K[metrics] done in 0:02: models 3\n',
    );
  });

  it('in a log writes timestamped lines at most once per interval', () => {
    const t = sink(false);
    const stage = createProgress(t.s).stage('ingest');
    for (let i = 1; i <= 5; i++) {
      t.advance(4_000);
      stage.update({ done: i, total: 5, unit: 'files' });
    }
    stage.end();
    expect(t.text().split('\n')).toEqual([
      '2026-11-21T02:30:00.000Z [ingest] started',
      '2026-11-21T02:30:04.000Z [ingest]  1/5 files  0.3 files/s  ETA 0:16  elapsed 0:04',
      '2026-11-21T02:30:16.000Z [ingest]  4/5 files  0.3 files/s  ETA 0:04  elapsed 0:16',
      '2026-11-21T02:30:20.000Z [ingest] done in 0:20: 5 files',
      '',
    ]);
  });

  it('with --quiet prints only warnings', () => {
    const t = sink(false, true);
    const p = createProgress(t.s);
    const stage = p.stage('ingest');
    stage.update({ done: 1, total: 1, unit: 'files' });
    p.info('hidden');
    p.warn('a.jsonl: 40 % quarantined');
    stage.end();
    expect(t.text()).toBe('2026-11-21T02:30:00.000Z warning: a.jsonl: 40 % quarantined\n');
  });
});

describe('ETA by share', () => {
  it('follows the share of work when units differ in size', () => {
    // 1 of 4 files done but it was 80 % of the bytes: 2 s more, not 30.
    expect(formatProgressLine('ingest', { done: 1, total: 4, unit: 'files', share: 0.8 }, 8_000)).toContain('ETA 0:02');
  });
});
