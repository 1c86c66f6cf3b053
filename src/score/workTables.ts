/**
 * The work tables of one `csqa score` run. They live in an in-memory database attached for the run, so both
 * of the run's connections see them (one analyses batch k+1 while the other writes batch k), and come in two
 * slots, so the batch being written and the batch being prepared never share a table. A kill loses them
 * with the process; nothing in them is ever a result.
 */
export const WORK_CATALOG = 'csqa_score_work';

/** Conversations to score this run, with their batch (part) and a small integer id (conv). */
export const WORK_PENDING = `${WORK_CATALOG}.main.pending`;
/** Conversations due for scoring, before those whose purged text keeps them as they are. */
export const WORK_DUE = `${WORK_CATALOG}.main.due`;

/** Table names of one batch slot. Columns are documented in src/score/contextRules.ts and scoreDatabase.ts. */
export interface WorkTables {
  /** The batch's messages with their text key, conv and position (seq). */
  msgs: string;
  /** Per-message hits that the context rules read. */
  hits: string;
  /** Template of each responder message. */
  templates: string;
  /** Per text and role: sentiment. */
  textSentiment: string;
  /** Per text and role: the first hit of each signal. */
  textHits: string;
  /** Per text: its template. */
  textTemplate: string;
}

export function workTables(slot: 0 | 1): WorkTables {
  const name = (table: string) => `${WORK_CATALOG}.main.${table}_${slot}`;
  return {
    msgs: name('msgs'),
    hits: name('hits'),
    templates: name('templates'),
    textSentiment: name('text_sentiment'),
    textHits: name('text_hits'),
    textTemplate: name('text_template'),
  };
}
