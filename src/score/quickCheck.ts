/**
 * Scores a list of messages (from a JSONL file) through the same database path as `csqa score`, in a
 * throwaway in-memory DuckDB, so quick checks and evaluations see exactly what the nightly job stores.
 */
import { CANONICAL_ROLES } from '../config.js';
import { openDatabase } from '../db/database.js';
import { appendRows } from '../db/chunks.js';
import { ensureRawSchema } from '../db/schema.js';
import type { InputMessage } from './messageInput.js';
import { scoreDatabase, type ScoreOptions } from './scoreDatabase.js';
import type { Sentiment } from './types.js';

export interface FiredSignal {
  signal: string;
  rule_id: string;
  span: [number, number] | null;
  matched_text: string | null;
  confidence: number;
}

export interface MessageResult {
  text: string;
  role: string;
  sentiment: Sentiment & { scorer: string };
  signals: FiredSignal[];
}

export async function scoreMessages(messages: readonly InputMessage[], options: ScoreOptions): Promise<MessageResult[]> {
  const db = await openDatabase(':memory:');
  try {
    await ensureRawSchema(db);
    await db.run('create temp table work_input (idx integer, conversation_id varchar, role varchar, text varchar)');
    await appendRows(
      db,
      'work_input',
      messages.map((m, i) => [i, m.conversationId ?? `line-${i + 1}`, m.role, m.text]),
    );
    // One second apart in file order, so a conversation's lines keep their order.
    await db.run(`insert into raw.messages (message_key, message_id, conversation_id, sent_at, role, text, record_hash,
        source_file, source_line)
      select 'm' || idx, idx::varchar, conversation_id, timestamp '2000-01-01' + to_seconds(idx), role, text, md5(text),
        'input', idx + 1
      from work_input`);
    await scoreDatabase(db, { ...options, sentimentRoles: CANONICAL_ROLES });
    const sentiments = await db.all<{ idx: number; score: number; label: string; scorer: string }>(
      `select cast(substr(message_key, 2) as integer) as idx, score, label, scorer from scores.message_sentiment`,
    );
    const signals = await db.all<{ idx: number } & Omit<FiredSignal, 'span'> & { span_start: number | null; span_end: number | null }>(
      `select cast(substr(message_key, 2) as integer) as idx, signal, rule_id, span_start, span_end, matched_text, confidence
       from scores.message_signals order by idx, span_start nulls last, signal`,
    );
    const results: MessageResult[] = messages.map((m) => ({
      text: m.text,
      role: m.role,
      sentiment: { score: 0, label: 'neutral', scorer: '' },
      signals: [],
    }));
    for (const s of sentiments) {
      results[s.idx]!.sentiment = { score: s.score, label: s.label as Sentiment['label'], scorer: s.scorer };
    }
    for (const s of signals) {
      results[s.idx]!.signals.push({
        signal: s.signal,
        rule_id: s.rule_id,
        span: s.span_start === null || s.span_end === null ? null : [s.span_start, s.span_end],
        matched_text: s.matched_text,
        confidence: s.confidence,
      });
    }
    return results;
  } finally {
    db.close();
  }
}

/**
 * The same results fit to leave the machine: text and matched spans redacted. Offsets would point into the
 * original text, which the reader no longer has, so they are dropped.
 */
export function redactResults(results: readonly MessageResult[], redact: (text: string) => string): MessageResult[] {
  return results.map((r) => ({
    ...r,
    text: redact(r.text),
    signals: r.signals.map((s) => ({ ...s, span: null, matched_text: s.matched_text === null ? null : redact(s.matched_text) })),
  }));
}
