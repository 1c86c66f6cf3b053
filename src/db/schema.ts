/**
 * The storage contract every stage builds on. Data flows one way:
 *   raw (loaded records, quarantine, manifest) -> scores (per-message sentiment and signals)
 *   -> staging -> intermediate -> marts (SQL models in sql/) -> dashboards / coaching.
 *
 * All timestamps are TIMESTAMP holding UTC (naive in DuckDB, UTC by contract). Text columns keep the
 * user's text exactly; redaction happens on the way out, never at rest.
 */
import type { Db } from './database.js';

export const RAW_DDL = `
create schema if not exists raw;
create schema if not exists scores;

-- One row per loaded message. message_key = conversation_id || ':' || message_id when the export has ids (a ':'
-- or backslash inside the conversation id escaped by a backslash: src/ingest/messageKey.ts),
-- else 'h:' || md5 of the identifying content, so an overlapping export never double-counts.
create table if not exists raw.messages (
  message_key varchar not null,
  message_id varchar,
  conversation_id varchar not null,
  sent_at timestamp not null,
  role varchar not null,            -- customer | bot | agent | system
  text varchar,                     -- NULL once purged (csqa purge): treat as "text no longer kept"
  customer_id varchar,
  agent_id varchar,
  agent_name varchar,
  vendor varchar,                   -- mapped; ingest.inHouseVendor when absent
  tier varchar,                     -- bot | L1 | L2 | L3 | null (customer/system rows)
  channel varchar,
  language varchar,
  extra json,                       -- unknown user fields, kept
  record_hash varchar not null,     -- md5 of all fields: tells exact duplicates from conflicting ones
  source_file varchar not null,
  source_line bigint not null,
  source_path varchar               -- position inside a nested record, e.g. messages[3]
);

create table if not exists raw.events (
  event_key varchar not null,
  conversation_id varchar not null,
  occurred_at timestamp not null,
  event varchar not null,           -- lower-case; see spec/input.md for the names metrics use
  from_tier varchar,
  to_tier varchar,
  agent_id varchar,
  vendor varchar,
  ticket_id varchar,
  reason varchar,
  queue_position integer,
  extra json,
  record_hash varchar not null,
  source_file varchar not null,
  source_line bigint not null,
  source_path varchar
);

create table if not exists raw.surveys (
  survey_key varchar not null,
  conversation_id varchar not null,
  answered_at timestamp not null,
  csat integer,                     -- 1..5
  nps integer,                      -- 0..10
  comment varchar,
  agent_id varchar,
  extra json,
  record_hash varchar not null,
  source_file varchar not null,
  source_line bigint not null,
  source_path varchar
);

create table if not exists raw.conversations (
  conversation_id varchar not null,
  customer_id varchar,
  channel varchar,
  started_at timestamp,
  ended_at timestamp,
  intent varchar,
  order_id varchar,
  extra json,
  record_hash varchar not null,
  source_file varchar not null,
  source_line bigint not null,
  source_path varchar
);

-- Every input row that was not loaded and is not an exact duplicate, with the reason.
create table if not exists raw.quarantine (
  content_hash varchar not null,    -- of the file it came from
  source_file varchar not null,
  source_line bigint,               -- physical line (JSONL, CSV) or row number (Parquet, JSON array)
  source_path varchar,
  record_kind varchar,
  field varchar,
  reason varchar not null,
  record_excerpt varchar            -- first 500 characters of the offending record
);

-- One row per ingested file per ingest (a log: re-loading a file adds a row that counts duplicates).
create table if not exists raw.load_manifest (
  load_id varchar not null,
  source_file varchar not null,
  content_hash varchar not null,
  file_bytes bigint not null,
  format varchar not null,
  status varchar not null,          -- loaded | already_loaded | unreadable
  rows_read bigint not null,
  rows_loaded bigint not null,
  rows_duplicate bigint not null,
  rows_quarantined bigint not null,
  error varchar,
  loaded_at timestamp not null
);

-- Sentiment per customer message and scorer (csqa signals also scores the other roles of its input).
create table if not exists scores.message_sentiment (
  message_key varchar not null,
  conversation_id varchar not null,
  scorer varchar not null,
  scorer_version varchar not null,
  score double not null,            -- [-1, 1]
  label varchar not null            -- negative | neutral | positive
);

-- One row per signal fired on a message (the first matching rule per message x signal).
create table if not exists scores.message_signals (
  message_key varchar not null,
  conversation_id varchar not null,
  signal varchar not null,          -- spec/signals.md categories
  rule_id varchar not null,
  span_start integer,               -- character offsets into raw.messages.text; null for context rules
  span_end integer,
  matched_text varchar,
  confidence double not null,
  scorer varchar not null,
  scorer_version varchar not null
);

-- Canned-template membership of responder messages (near-duplicate clusters).
create table if not exists scores.message_templates (
  message_key varchar not null,
  conversation_id varchar not null,
  template_id varchar not null
);

-- Bookkeeping of \`csqa score\` (src/score): which conversations were scored, with how many messages and by
-- which scorer and rule-set version. A conversation whose message count or versions differ is re-scored.
create table if not exists scores.scored_conversations (
  conversation_id varchar not null,
  message_count bigint not null,
  sentiment_scorer varchar not null,
  sentiment_version varchar not null,
  rules_version varchar not null,
  scored_at timestamp not null
);

-- Known canned templates (clustered by bigram Jaccard, src/score/templates.ts); ids are assigned once and never change.
create table if not exists scores.template_catalog (
  template_id varchar not null,
  example varchar not null,         -- normalised text of the first message that founded the template
  first_seen timestamp not null
);

-- The canned templates as of the last completed \`csqa score\` run, so the next run rewrites only the rows of
-- templates whose status changed (src/score/contextRules.ts). A database from before this table gets the
-- templates its scores.message_templates holds, which is the set its last run recorded there.
create table if not exists scores.canned_template_ids as select distinct template_id from scores.message_templates;

-- Template of every scored responder message; scores.message_templates is the subset whose template is
-- used in at least score.cannedMinConversations conversations.
create table if not exists scores.responder_templates (
  message_key varchar not null,
  conversation_id varchar not null,
  role varchar not null,
  template_id varchar not null
);
`;

export async function ensureRawSchema(db: Db): Promise<void> {
  await db.run(RAW_DDL);
}
