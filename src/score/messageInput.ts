/** JSONL input of `csqa signals` and `csqa eval`: one object per line with `text` and optional fields. */
import { InputError } from '../errors.js';
import { ALL_SIGNALS, SENTIMENT_LABELS, type SentimentLabel } from './types.js';

/** Role of a message whose speaker is unknown: every text rule applies, no context rule does. */
export const ANY_ROLE = 'any';
const ROLES = ['customer', 'bot', 'agent', 'system', ANY_ROLE];

export interface InputMessage {
  text: string;
  role: string;
  /** Lines with the same conversation_id form one conversation (in file order) for the context rules. */
  conversationId?: string;
  /** Labels, present in an evaluation set. */
  sentiment?: SentimentLabel;
  signals?: string[];
}

export function parseMessageLines(content: string, source: string, requireLabels = false): InputMessage[] {
  const messages: InputMessage[] = [];
  // A byte-order mark opens many files saved on Windows (Excel, Notepad); it is not part of the first record.
  content.replace(/^\uFEFF/, '').split(/\r?\n/).forEach((line, index) => {
    if (!line.trim()) return;
    const where = `${source}:${index + 1}`;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch (error) {
      throw new InputError(`${where}: not a JSON object (${(error as Error).message})`);
    }
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      throw new InputError(`${where}: not a JSON object (got ${Array.isArray(record) ? 'an array' : JSON.stringify(record)})`);
    }
    if (typeof record.text !== 'string') throw new InputError(`${where}: "text" must be a string`);
    const role = record.role === undefined ? ANY_ROLE : record.role;
    if (typeof role !== 'string' || !ROLES.includes(role)) {
      throw new InputError(`${where}: "role" must be one of ${ROLES.join(', ')}`);
    }
    const message: InputMessage = { text: record.text, role };
    const conversation = record.conversation_id ?? record.conversation;
    if (conversation !== undefined) message.conversationId = String(conversation);
    if (record.sentiment !== undefined || requireLabels) {
      if (!SENTIMENT_LABELS.includes(record.sentiment as SentimentLabel)) {
        throw new InputError(`${where}: "sentiment" must be one of ${SENTIMENT_LABELS.join(', ')}`);
      }
      message.sentiment = record.sentiment as SentimentLabel;
    }
    if (record.signals !== undefined || requireLabels) {
      const signals = record.signals ?? [];
      if (!Array.isArray(signals) || signals.some((s) => typeof s !== 'string' || !ALL_SIGNALS.includes(s))) {
        throw new InputError(`${where}: "signals" must list signal names among ${ALL_SIGNALS.join(', ')}`);
      }
      message.signals = signals as string[];
    }
    messages.push(message);
  });
  return messages;
}
