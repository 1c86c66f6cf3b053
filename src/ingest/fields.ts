/**
 * The canonical record fields of spec/input.md and how user fields map onto them.
 */
import { ConfigError } from '../errors.js';

export const RECORD_KINDS = ['message', 'event', 'survey', 'conversation'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** Every canonical field any record kind may carry, in the column order of the landing table. */
export const CANONICAL_FIELDS = [
  'type',
  'conversation_id',
  'message_id',
  'sent_at',
  'role',
  'text',
  'customer_id',
  'agent_id',
  'agent_name',
  'vendor',
  'tier',
  'channel',
  'language',
  'occurred_at',
  'event',
  'from_tier',
  'to_tier',
  'ticket_id',
  'reason',
  'queue_position',
  'answered_at',
  'csat',
  'nps',
  'comment',
  'started_at',
  'ended_at',
  'intent',
  'order_id',
] as const;
export type CanonicalField = (typeof CANONICAL_FIELDS)[number];

/** Arrays inside a nested per-conversation record, and the kind of their elements. */
export const NESTED_ARRAYS: ReadonlyArray<{ key: string; kind: RecordKind }> = [
  { key: 'messages', kind: 'message' },
  { key: 'events', kind: 'event' },
  { key: 'surveys', kind: 'survey' },
  { key: 'survey', kind: 'survey' },
];

/** Fields a child record of a nested conversation inherits from its parent when it lacks them. */
export const INHERITED_FIELDS: readonly CanonicalField[] = ['conversation_id', 'customer_id', 'channel'];

/**
 * For each canonical field, the source names that feed it: the canonical name itself plus every user
 * field mapped onto it (the first non-null wins, user names before the canonical one). A user field that
 * happens to carry a canonical name but is mapped elsewhere (e.g. {"type": "channel"} for content types
 * text/image) feeds only its target: the user's mapping says what the field means, over the built-in one.
 */
export function sourceNames(columns: Record<string, string>): Map<CanonicalField, string[]> {
  const names = new Map<CanonicalField, string[]>(CANONICAL_FIELDS.map((f) => [f, []]));
  for (const [userField, canonical] of Object.entries(columns)) {
    const list = names.get(canonical as CanonicalField);
    if (!list) {
      throw new ConfigError(
        `"ingest.columns": "${userField}" maps to "${canonical}", which is not a canonical field (${CANONICAL_FIELDS.join(', ')})`,
      );
    }
    list.push(userField);
  }
  // Matched without case, as CSV headers are: "Type" mapped elsewhere also takes "type" off its built-in meaning.
  const mappedAway = new Set(
    Object.entries(columns).filter(([user, canonical]) => user.toLowerCase() !== canonical).map(([user]) => user.toLowerCase()),
  );
  for (const [field, list] of names) if (!mappedAway.has(field)) list.push(field);
  return names;
}
