/**
 * What a QA lead watching a long nightly run sees. On a terminal, one line per stage redrawn in place
 * (units and rows done, rate, ETA when the total is known, elapsed); in a cron log, plain timestamped lines
 * no more often than every N seconds so a 12M-message night does not flood the log; with --quiet only
 * warnings. The stream, the TTY flag and the clock are passed in so the output is testable byte for byte.
 */
import type { Logger } from '../commands/context.js';

/** A stage's position; `done` and `total` count `unit`s (files, models), `rows` what those units held. */
export interface ProgressUpdate {
  done: number;
  total?: number;
  unit: string;
  rows?: number;
  /** The item just finished (a file, a model), for the line. */
  detail?: string;
  /** Share of the stage's work done (0..1) when units differ in size (files by bytes); else done / total. */
  share?: number;
}

/** What a stage calls while it works. Callbacks only: they never change what the stage computes. */
export interface StageProgress {
  update(update: ProgressUpdate): void;
  /** Closes the stage's line with its elapsed time and a short outcome. */
  end(outcome?: string, failed?: boolean): void;
}

/** The run's reporter; as a Logger, its info lines and warnings never tear a progress line. */
export interface ProgressReporter extends Logger {
  stage(name: string): StageProgress;
}

export interface ProgressSink {
  stream: { write(text: string): unknown };
  isTTY: boolean;
  quiet: boolean;
  /** Milliseconds since some origin (Date.now or a pinned test clock). */
  now: () => number;
  /** Not a TTY: at most one progress line per stage every this many milliseconds. */
  intervalMs: number;
}

/** A terminal is redrawn at most this often: a redraw per file or model is fine, per row batch is not. */
const TTY_REDRAW_MS = 100;

export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mmss = `${String(m).padStart(h ? 2 : 1, '0')}:${String(s).padStart(2, '0')}`;
  return h ? `${h}:${mmss}` : mmss;
}

function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** The line for a stage at `elapsedMs` into it: pure, so the wording is tested without a clock. */
export function formatProgressLine(stage: string, update: ProgressUpdate, elapsedMs: number): string {
  const parts = [`[${stage}]`, update.total !== undefined ? `${update.done}/${update.total} ${update.unit}` : `${update.done} ${update.unit}`];
  const seconds = elapsedMs / 1000;
  if (update.rows !== undefined) {
    parts.push(`${formatCount(update.rows)} rows`);
    if (seconds > 0) parts.push(`${formatCount(update.rows / seconds)} rows/s`);
  } else if (seconds > 0) {
    parts.push(`${(update.done / seconds).toFixed(1)} ${update.unit}/s`);
  }
  const share = update.share ?? (update.total ? update.done / update.total : undefined);
  if (share !== undefined && share > 0 && share < 1) {
    parts.push(`ETA ${formatDuration((elapsedMs * (1 - share)) / share)}`);
  }
  parts.push(`elapsed ${formatDuration(elapsedMs)}`);
  if (update.detail) parts.push(`(${update.detail})`);
  return parts.join('  ');
}

export function createProgress(sink: ProgressSink): ProgressReporter {
  const { stream } = sink;
  // The stage whose line is on the terminal (not newline-terminated); a message printed over it clears the
  // line and redraws it with the latest position, so the line is never stale under a burst of messages.
  let drawn: { name: string; started: number; update: ProgressUpdate } | undefined;
  const clearLine = () => {
    if (drawn) stream.write('\r\x1b[2K');
  };
  const redraw = () => {
    if (drawn) stream.write(formatProgressLine(drawn.name, drawn.update, sink.now() - drawn.started));
  };
  const stamp = () => new Date(sink.now()).toISOString();
  const message = (text: string) => {
    if (sink.isTTY) {
      clearLine();
      stream.write(text + '\n');
      redraw();
    } else {
      stream.write(text + '\n');
    }
  };

  return {
    info(text) {
      if (!sink.quiet) message(text);
    },
    warn(text) {
      message(sink.isTTY ? `warning: ${text}` : `${stamp()} warning: ${text}`);
    },
    stage(name) {
      const started = sink.now();
      let lastWrite = -Infinity;
      let last: ProgressUpdate | undefined;
      if (!sink.quiet && !sink.isTTY) stream.write(`${stamp()} [${name}] started\n`);
      return {
        update(update) {
          last = update;
          if (sink.quiet) return;
          const now = sink.now();
          if (sink.isTTY) {
            const finished = update.total !== undefined && update.done >= update.total;
            const throttled = now - lastWrite < TTY_REDRAW_MS && !finished;
            drawn = { name, started, update };
            if (throttled) return;
            stream.write('\r\x1b[2K');
            redraw();
          } else {
            if (now - lastWrite < sink.intervalMs) return;
            stream.write(`${stamp()} ${formatProgressLine(name, update, now - started)}\n`);
          }
          lastWrite = now;
        },
        end(outcome, failed = false) {
          if (sink.quiet) return;
          const elapsed = sink.now() - started;
          const detail = outcome ? `: ${outcome}` : last ? `: ${last.done} ${last.unit}` : '';
          const summary = `[${name}] ${failed ? 'failed after' : 'done in'} ${formatDuration(elapsed)}${detail}`;
          if (sink.isTTY) {
            clearLine();
            drawn = undefined;
            stream.write(summary + '\n');
          } else {
            stream.write(`${stamp()} ${summary}\n`);
          }
        },
      };
    },
  };
}

/** For library callers and tests that want no output. */
export const silentProgress: ProgressReporter = {
  info: () => undefined,
  warn: () => undefined,
  stage: () => ({ update: () => undefined, end: () => undefined }),
};
