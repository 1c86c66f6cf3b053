/** Builds raw.messages rows directly (the loader is not part of these tests). */
import type { Db } from '../../src/db/database.js';
import { ensureRawSchema } from '../../src/db/schema.js';
import { compileAnalyzer } from '../../src/score/analyzer.js';
import { loadCatalog } from '../../src/score/catalog.js';
import type { ScoreOptions } from '../../src/score/scoreDatabase.js';
import { lexiconScorer } from '../../src/score/scorers.js';

export interface TestMessage {
  conversation: string;
  role: string;
  text: string;
  agent?: string;
}

/** Messages of a conversation are one minute apart, in the order given. */
export async function insertMessages(db: Db, messages: readonly TestMessage[], startMinute = 0): Promise<void> {
  await ensureRawSchema(db);
  let minute = startMinute;
  for (const m of messages) {
    minute++;
    const sentAt = new Date(Date.UTC(2026, 0, 5, 9, 0) + minute * 60_000).toISOString().replace('T', ' ').replace('Z', '');
    await db.run(
      `insert into raw.messages (message_key, message_id, conversation_id, sent_at, role, text, agent_id, record_hash, source_file, source_line)
       values ($1, $2, $3, $4::timestamp, $5, $6, $7, 'h', 'test', $8)`,
      [`${m.conversation}:${minute}`, String(minute), m.conversation, sentAt, m.role, m.text, m.agent ?? null, minute],
    );
  }
}

export const analyzer = compileAnalyzer(loadCatalog());

export function scoreOptions(overrides: Partial<ScoreOptions> = {}): ScoreOptions {
  return {
    analyzer,
    sentiment: lexiconScorer(analyzer),
    apologyLoopMin: 3,
    cannedMinConversations: 3,
    cannedSimilarity: 0.7,
    batchMessages: 1000,
    now: () => new Date(Date.UTC(2026, 0, 6)),
    ...overrides,
  };
}
