/**
 * Which utterances of one conversation prove a weak spot (or show a good example). Pure: the messages are
 * read elsewhere; this only chooses, so the choice can be tested without a database.
 */
import type { QuoteKind } from './metrics.js';

export interface SignalHit {
  signal: string;
  matchedText: string | null;
  confidence: number;
}

export interface ConversationMessage {
  messageKey: string;
  sentAt: Date;
  role: string;
  agentId: string | null;
  /** NULL once `csqa purge` removed it: such a message is never quoted. */
  text: string | null;
  signals: SignalHit[];
}

export interface Quote {
  conversationId: string;
  /** ISO 8601 UTC. */
  at: string | null;
  role: string;
  text: string;
  /** The part of the text that fired the signal, when a signal is the point. */
  matched?: string;
  /** Survey comments are not messages. */
  source: 'message' | 'survey';
}

export interface QuoteContext {
  conversationId: string;
  agentId: string;
  signal?: string;
  surveyComment?: string | null;
  /** Most quotes a single conversation contributes. */
  limit?: number;
}

export type PickKind = QuoteKind | 'exemplar';

const isCustomer = (m: ConversationMessage) => m.role === 'customer';
const isHuman = (m: ConversationMessage) => m.role === 'agent';

type KeptMessage = ConversationMessage & { text: string };

const isKept = (m: ConversationMessage | undefined): m is KeptMessage => m !== undefined && m.text !== null;

function toQuote(m: KeptMessage, conversationId: string, matched?: string | null): Quote {
  return {
    conversationId,
    at: m.sentAt.toISOString(),
    role: m.role,
    text: m.text,
    ...(matched ? { matched } : {}),
    source: 'message',
  };
}

/** The messages to quote, each once; purged ones are left out (the evidence keeps its conversation and value). */
function unique(list: (ConversationMessage | undefined)[]): KeptMessage[] {
  const seen = new Set<string>();
  return list.filter((m): m is KeptMessage => {
    if (!isKept(m) || seen.has(m.messageKey)) return false;
    seen.add(m.messageKey);
    return true;
  });
}

/** Messages must come in conversation order (sent_at, message_key). */
export function pickQuotes(kind: PickKind, messages: readonly ConversationMessage[], ctx: QuoteContext): Quote[] {
  const limit = ctx.limit ?? 3;
  const own = (m: ConversationMessage) => isHuman(m) && m.agentId === ctx.agentId;
  const firstCustomer = messages.find(isCustomer);
  const lastCustomer = messages.findLast(isCustomer);
  const quote = (list: (ConversationMessage | undefined)[]) =>
    unique(list).slice(0, limit).map((m) => toQuote(m, ctx.conversationId));

  switch (kind) {
    case 'signal': {
      // Strongest hits first, then keep conversation order so the quote reads as the exchange happened.
      const hits = messages
        .map((m, index) => ({ m, index, hit: m.signals.find((s) => s.signal === ctx.signal) }))
        .filter((x): x is typeof x & { m: KeptMessage } => x.hit !== undefined && own(x.m) && isKept(x.m))
        .sort((a, b) => b.hit!.confidence - a.hit!.confidence || a.index - b.index)
        .slice(0, limit)
        .sort((a, b) => a.index - b.index);
      return hits.map((x) => toQuote(x.m, ctx.conversationId, x.hit!.matchedText));
    }
    case 'first_reply': {
      const start = firstCustomer ? messages.indexOf(firstCustomer) : 0;
      return quote([firstCustomer, messages.slice(start).find(isHuman)]);
    }
    case 'human_request': {
      const request = messages.find((m) => isCustomer(m) && m.signals.some((s) => s.signal === 'human_request'));
      const start = request ? messages.indexOf(request) : 0;
      return quote([request, messages.slice(start).find(isHuman)]);
    }
    case 'span':
      return quote([messages.find(own), messages.findLast(own)]);
    case 'closing': {
      const end = lastCustomer ? messages.indexOf(lastCustomer) : messages.length;
      return quote([messages.slice(0, end).findLast(isHuman), lastCustomer]);
    }
    case 'arc':
      return quote([firstCustomer, lastCustomer]);
    case 'survey': {
      if (ctx.surveyComment && ctx.surveyComment.trim() !== '') {
        const comment: Quote = { conversationId: ctx.conversationId, at: null, role: 'customer', text: ctx.surveyComment, source: 'survey' };
        return [comment, ...quote([lastCustomer])].slice(0, limit);
      }
      return quote([lastCustomer]);
    }
    case 'exemplar': {
      // The situation, how the peer answered it, and how the customer left.
      const start = firstCustomer ? messages.indexOf(firstCustomer) : 0;
      return quote([firstCustomer, messages.slice(start).find(own), lastCustomer]);
    }
  }
}
