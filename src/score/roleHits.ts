/**
 * The hits of one text as a speaker in `role` would have them stored: rules scoped to that role only,
 * and the first hit per signal (earliest span, then higher confidence, then rule id). Done per distinct
 * text in JavaScript, so the database only joins on (text, role) and never ranks per message.
 * Context-scoped hits (bot_transfer_block phrases) are kept apart from plain ones: they only count after
 * a human request, which the SQL context rules decide.
 */
import { ANY_ROLE } from './messageInput.js';
import type { RuleHit } from './types.js';

function better(a: RuleHit, b: RuleHit): boolean {
  if (a.spanStart !== b.spanStart) return a.spanStart < b.spanStart;
  if (a.confidence !== b.confidence) return a.confidence > b.confidence;
  return a.ruleId < b.ruleId;
}

/** Whether a rule's hit counts for a speaker in `role` (every hit counts for a speaker of unknown role). */
export function speaksAs(hit: RuleHit, role: string): boolean {
  return role === ANY_ROLE || (hit.roles as readonly string[]).includes(role);
}

export function firstHitsForRole(hits: readonly RuleHit[], role: string): RuleHit[] {
  if (hits.length === 0) return [];
  const best = new Map<string, RuleHit>();
  for (const hit of hits) {
    if (!speaksAs(hit, role)) continue;
    const key = hit.context ? `${hit.signal}@${hit.context}` : hit.signal;
    const current = best.get(key);
    if (!current || better(hit, current)) best.set(key, hit);
  }
  return [...best.values()];
}
