/**
 * Kill tests need a process frozen at a known point (inside an ingest transaction, between stages, half-way
 * through the exports). CSQA_TEST_PAUSE_AT=<stage>:start | <stage>:<n> (after its n-th progress update) |
 * <stage>:end makes the run announce `csqa-test-paused <point>` on stderr and block there until killed.
 * It hooks the progress reporter, so no stage contains test code; unset, it is the reporter unchanged.
 */
import { writeSync } from 'node:fs';
import type { ProgressReporter } from './progress.js';

export const PAUSE_ENV = 'CSQA_TEST_PAUSE_AT';

function freeze(point: string): never {
  // Synchronous on purpose: the stage is mid-await-chain (maybe mid-transaction) and must not move on.
  writeSync(2, `csqa-test-paused ${point}\n`);
  const cell = new Int32Array(new SharedArrayBuffer(4));
  for (;;) Atomics.wait(cell, 0, 0);
}

export function withTestPause(inner: ProgressReporter, point: string | undefined): ProgressReporter {
  if (!point) return inner;
  return {
    info: (text) => inner.info(text),
    warn: (text) => inner.warn(text),
    stage(name) {
      if (point === `${name}:start`) freeze(point);
      const progress = inner.stage(name);
      let updates = 0;
      return {
        update(update) {
          progress.update(update);
          updates += 1;
          if (point === `${name}:${updates}`) freeze(point);
        },
        end(outcome, failed) {
          progress.end(outcome, failed);
          if (point === `${name}:end`) freeze(point);
        },
      };
    },
  };
}
