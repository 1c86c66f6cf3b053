/**
 * The key of a message whose export gives it an id: the conversation id and the message id joined by ':'. A ':'
 * or '\' inside the conversation id is escaped with '\', so no two (conversation, message) pairs share a key:
 * joined plainly, conversation 'T100' + message '2:7' and conversation 'T100:2' + message '7' both read
 * 'T100:2:7', and the second was quarantined as a conflicting copy of the first. Ids without those characters
 * keep the plain join, so keys stored by earlier versions stay valid; the few that do not are rewritten once
 * (rekeyLegacyMessageKeys).
 */
import type { Db } from '../db/database.js';

/** SQL for the key, over SQL expressions for the conversation id and the message id. */
export function messageKeySql(conversationId: string, messageId: string): string {
  return `replace(replace(${conversationId}, '\\', '\\\\'), ':', '\\:') || ':' || ${messageId}`;
}

/** A conversation id whose key differs from the plain join (SQL condition). */
const NEEDS_ESCAPE = (conversationId: string) => `(contains(${conversationId}, ':') or contains(${conversationId}, '\\'))`;

/** Tables that store message keys beside the conversation id (src/db/schema.ts). */
const SCORE_TABLES = ['scores.message_sentiment', 'scores.message_signals', 'scores.message_templates', 'scores.responder_templates'];

/**
 * Rewrites message keys stored in the plain-join form by an earlier csqa for conversation ids holding ':' or
 * '\', in raw.messages and every scores table, in one transaction; returns how many messages were rekeyed.
 * A rekeyed key never matches the plain form again, so later runs find nothing (one scan of the ids).
 */
export async function rekeyLegacyMessageKeys(db: Db): Promise<number> {
  const legacy = `message_id is not null and ${NEEDS_ESCAPE('conversation_id')} and message_key = conversation_id || ':' || message_id`;
  const count = Number(await db.value(`select count(*) from raw.messages where ${legacy}`));
  if (count === 0) return 0;
  await db.transaction(async () => {
    await db.run(`update raw.messages set message_key = ${messageKeySql('conversation_id', 'message_id')} where ${legacy}`);
    for (const table of SCORE_TABLES) {
      // A stored score row carries its message's key, which in the plain form starts with the conversation id.
      await db.run(`update ${table}
        set message_key = ${messageKeySql('conversation_id', 'substr(message_key, length(conversation_id) + 2)')}
        where ${NEEDS_ESCAPE('conversation_id')} and starts_with(message_key, conversation_id || ':')`);
    }
  });
  return count;
}
