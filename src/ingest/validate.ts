/**
 * Types and checks the landed records of one file, then decides for each: load, exact duplicate, or
 * quarantine with a reason naming the field. One SQL pass for every format.
 */
import { listParam, type Db } from '../db/database.js';
import { CANONICAL_ROLES, CANONICAL_TIERS, type Config } from '../config.js';
import type { Landing } from './landing.js';
import { messageKeySql } from './messageKey.js';
import { CANONICAL_FIELDS, INHERITED_FIELDS, sourceNames } from './fields.js';

/**
 * The ISO 8601 forms DuckDB's cast refuses, as parts: date, hour, minute, optional seconds and fraction, optional
 * zone (Z, UTC, GMT or an offset, a space before it allowed), optional bracketed zone name (RFC 9557: the offset
 * decides). Separators optional, so the basic form '20240301T020000Z' matches too.
 */
const ISO_8601_OTHER =
  '^(\\d{4})-?(\\d{2})-?(\\d{2})[Tt ](\\d{2}):?(\\d{2})(?::?(\\d{2}))?(\\.\\d+)?\\s*((?i:z|utc|gmt)|[+-]\\d{2}(?::?\\d{2})?)?(?:\\[[^\\]]+\\])?$';

/** Session-scoped helpers: the timestamp parser and the value maps built from configuration. */
export async function prepareValidation(db: Db, ingest: Config['ingest']): Promise<void> {
  // Epoch milliseconds or seconds; ISO 8601 with an offset or zone as given; naive timestamps in the configured
  // zone. Years outside 1990-2100 are treated as bad input, not as data.
  // Fast path first: DuckDB's cast reads the common forms (offsets, Z, and zone words such as UTC/GMT) and runs on
  // every row; only a value it refuses pays for the slower ISO 8601 forms in csqa_parse_ts_other.
  // In UTC a naive timestamp and one with an offset cast the same way, which skips the offset test. Elsewhere
  // a value ending in an offset or a zone word goes to the zone-aware cast: the plain timestamp cast would read
  // '02:00:00 UTC' and '10:00:00+08' as local time, silently hours off.
  const naiveOrOffset =
    ingest.timezone === 'UTC'
      ? `else coalesce(timezone('UTC', try_cast(s as timestamptz)), csqa_parse_ts_other(s, tz))`
      : `when regexp_matches(s, '\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?\\s*(Z|z|[+-]\\d{2}(:?\\d{2})?|[A-Za-z][A-Za-z0-9_/+-]*)$')
        then coalesce(timezone('UTC', try_cast(s as timestamptz)), csqa_parse_ts_other(s, tz))
      else coalesce(timezone('UTC', timezone(tz, try_cast(s as timestamp))), csqa_parse_ts_other(s, tz))`;
  // The ISO 8601 forms the cast refuses: no seconds before an offset or Z ('2024-03-01T10:00+08:00'), the basic
  // form ('20240301T020000Z'), a space before the offset ('2024-03-01 10:00:00 +08:00'), a bracketed zone after
  // the offset ('...+08:00[Asia/Shanghai]', RFC 9557: the offset decides). Rebuilt as the extended form and cast.
  await db.run(`create or replace temp macro csqa_ts_iso(s) as (
    case when regexp_full_match(s, '${ISO_8601_OTHER}')
      then regexp_replace(regexp_replace(regexp_replace(s, '${ISO_8601_OTHER}', '\\1-\\2-\\3 \\4:\\5:\\6\\7\\8'),
        ':(\\D|$)', ':00\\1'), '(?i)(z|utc|gmt)$', '+00:00')
    end)`);
  await db.run(`create or replace temp macro csqa_ts_from_iso(x, tz) as (
    case
      when x is null then null
      when regexp_full_match(x, '[0-9-]+ [0-9:]+(\\.\\d+)?') then timezone('UTC', timezone(tz, try_cast(x as timestamp)))
      else timezone('UTC', try_cast(x as timestamptz))
    end)`);
  await db.run(`create or replace temp macro csqa_parse_ts_other(s, tz) as (csqa_ts_from_iso(csqa_ts_iso(s), tz))`);
  await db.run(`create or replace temp macro csqa_parse_ts(s, tz) as (
    case
      when s is null then null
      -- An ISO date has a '-' and an epoch has none: one byte search spares ISO text both patterns.
      when not contains(s, '-') and regexp_full_match(s, '\\d{12,13}(\\.\\d+)?') then epoch_ms(cast(cast(s as double) as bigint))
      when not contains(s, '-') and regexp_full_match(s, '\\d{9,10}(\\.\\d+)?') then epoch_ms(cast(cast(s as double) * 1000 as bigint))
      ${naiveOrOffset}
    end)`);
  await db.run(`create or replace temp macro csqa_in_range(t) as (case when year(t) between 1990 and 2100 then t end)`);

  await db.run('create or replace temp table ingest_role_map (source varchar, target varchar)');
  await db.run('create or replace temp table ingest_tier_map (source varchar, target varchar)');
  await db.run('create or replace temp table ingest_vendor_map (source varchar, target varchar)');
  const fill = async (table: string, pairs: Array<[string, string]>) => {
    for (const [source, target] of pairs) await db.run(`insert into ${table} values ($1, $2)`, [source, target]);
  };
  await fill('ingest_role_map', [
    ...CANONICAL_ROLES.map((r): [string, string] => [r, r]),
    ...Object.entries(ingest.roles).map(([s, t]): [string, string] => [s.toLowerCase(), t]),
  ]);
  await fill('ingest_tier_map', [
    ...CANONICAL_TIERS.map((t): [string, string] => [t.toLowerCase(), t]),
    ...Object.entries(ingest.tiers).map(([s, t]): [string, string] => [s.toLowerCase(), t]),
  ]);
  await fill('ingest_vendor_map', Object.entries(ingest.vendors));
}

const KINDS = `('message', 'event', 'survey', 'conversation')`;

/** Which kinds a record's own required fields name, as bits: 1 event, 2 survey, 4 message (none: conversation). */
const KIND_SIGNATURE = `((event is not null or occurred_at is not null)::integer
  + 2 * (csat is not null or nps is not null or answered_at is not null)::integer
  + 4 * (text is not null or role is not null or sent_at is not null)::integer)`;

/** Identifier and value fields where surrounding blanks are noise and '' means absent; text is kept exactly. */
const CLEANED_FIELDS = ['type', 'conversation_id', 'message_id', 'sent_at', 'role', 'customer_id', 'agent_id', 'vendor', 'tier',
  'occurred_at', 'event', 'from_tier', 'to_tier', 'ticket_id', 'queue_position', 'answered_at', 'csat', 'nps', 'started_at', 'ended_at'];

/** The fields as one text, with a separator and an explicit NULL marker, so ('a', NULL) and (NULL, 'a') differ. */
function serialized(exprs: string[]): string {
  return `concat_ws(chr(31), ${exprs.map((e) => `coalesce(cast(${e} as varchar), chr(0))`).join(', ')})`;
}

/** Key of a record without an id: md5 of its identifying fields. */
function hashOf(exprs: string[]): string {
  return `md5(${serialized(exprs)})`;
}

/**
 * Content fingerprint, only ever compared between copies of one key: a cheap first test. DuckDB's hash()
 * collides on real edits (付了10元~😭 / 付了15元~😊), so copies with equal fingerprints are confirmed on their
 * full content before one counts as an exact duplicate (decide); those copies are few.
 */
function fingerprintOf(exprs: string[]): string {
  return `cast(hash(${exprs.join(', ')}) as varchar)`;
}

/** Per kind: the typed fields that make up a record's content, and the raw columns that store them, in step. */
const CONTENT = {
  message: {
    table: 'raw.messages', key: 'message_key',
    typed: ['conversation_id', 'message_id', 'sent_ts', 'role_c', 'text', 'customer_id', 'agent_id', 'agent_name', 'vendor_c', 'tier_c', 'channel', 'language', 'extra'],
    stored: ['conversation_id', 'message_id', 'sent_at', 'role', 'text', 'customer_id', 'agent_id', 'agent_name', 'vendor', 'tier', 'channel', 'language', 'extra'],
  },
  event: {
    table: 'raw.events', key: 'event_key',
    typed: ['conversation_id', 'occurred_ts', 'event_c', 'from_tier_c', 'to_tier_c', 'agent_id', 'vendor_v', 'ticket_id', 'reason', 'queue_n', 'extra'],
    stored: ['conversation_id', 'occurred_at', 'event', 'from_tier', 'to_tier', 'agent_id', 'vendor', 'ticket_id', 'reason', 'queue_position', 'extra'],
  },
  survey: {
    table: 'raw.surveys', key: 'survey_key',
    typed: ['conversation_id', 'answered_ts', 'csat_n', 'nps_n', 'comment', 'agent_id', 'extra'],
    stored: ['conversation_id', 'answered_at', 'csat', 'nps', 'comment', 'agent_id', 'extra'],
  },
  conversation: {
    table: 'raw.conversations', key: 'conversation_id',
    typed: ['conversation_id', 'customer_id', 'channel', 'started_ts', 'ended_ts', 'intent', 'order_id', 'extra'],
    stored: ['conversation_id', 'customer_id', 'channel', 'started_at', 'ended_at', 'intent', 'order_id', 'extra'],
  },
} as const;
const CONTENT_KINDS = Object.keys(CONTENT) as Array<keyof typeof CONTENT>;

/**
 * A record's canonical fields that its kind does not store (a message's order_id, a survey's channel, an event's
 * text), merged into its extra fields: spec/input.md keeps unknown fields, and a field of another kind is unknown
 * to this one. A child of a nested conversation may have inherited conversation_id, customer_id and channel from
 * its parent, so those are not its own and are left out. Values as landed (text); NULL values add nothing.
 */
const FOREIGN_INTO_EXTRA = `case kind ${CONTENT_KINDS.map((kind) => {
  const stored = new Set<string>(CONTENT[kind].stored);
  const foreign = CANONICAL_FIELDS.filter((f) => f !== 'type' && !stored.has(f));
  const own = foreign.filter((f) => !INHERITED_FIELDS.includes(f));
  const merged = (fields: readonly string[]) =>
    `case when coalesce(${fields.join(', ')}) is not null
       then json_merge_patch(coalesce(extra, '{}'), json_object(${fields.map((f) => `'${f}', ${f}`).join(', ')})) else extra end`;
  return `when '${kind}' then case when src_path is null then ${merged(foreign)} else ${merged(own)} end`;
}).join(' ')} else extra end`;

/**
 * Builds `ingest_typed`: every landed record with its kind, typed values, key, content hash, and the
 * first problem found (reason + field), or none.
 */
export async function typeLanded(db: Db, ingest: Config['ingest'], landing: Landing): Promise<void> {
  const caseNames = caseFoldedNames(ingest.columns);
  const params = {
    ...landing.params, timezone: ingest.timezone, in_house_vendor: ingest.inHouseVendor, max_text_chars: ingest.maxTextChars,
  };
  await db.run(typedSql(landing, false), params);
  // A JSON key differing from a field name only in case ('Conversation_ID') was kept as an extra; CSV headers
  // match without case, so JSON keys should too. Such files are rare and the test reads only the extras, so
  // every other file is typed once; one with such keys is typed again with the keys recased.
  // Keys under their exact names are fields of another kind merged in by typing (FOREIGN_INTO_EXTRA), not variants.
  const recase = (await db.value<boolean>(
    `select count(*) > 0 from ingest_typed
     where extra is not null
       and len(list_filter(json_keys(extra), k -> list_contains($names, lower(k)) and not list_contains($exact, k))) > 0`,
    { names: listParam(caseNames.names), exact: listParam(caseNames.exact) },
  )) ?? false;
  if (recase) await db.run(typedSql(landing, true), { ...params, case_names: listParam(caseNames.names), case_fields: listParam(caseNames.fields) });
  await fileKinds(db);
}

/**
 * Every source name of a canonical field (the name itself and the user names mapped onto it, ingest.columns),
 * lower-cased, with the field it feeds and the name as written, in step.
 */
function caseFoldedNames(columns: Record<string, string>): { names: string[]; fields: string[]; exact: string[] } {
  const names: string[] = [];
  const fields: string[] = [];
  const exact: string[] = [];
  for (const [field, sources] of sourceNames(columns)) {
    for (const source of sources) {
      names.push(source.toLowerCase());
      fields.push(field);
      exact.push(source);
    }
  }
  return { names, fields, exact };
}

/**
 * The extras whose key names a field in another case, as (key, field, value); a field takes the first such value
 * when the record has no value under its exact name, and that key leaves the extras. Any other such key stays
 * (a second spelling of a field already given is not dropped). Built only for a file that has such keys.
 */
const RECASED = `
     keyed as (
       select *, list_filter(list_transform(json_keys(extra), k -> struct_pack(k := k,
           field := $case_fields[list_position($case_names, lower(k))], v := extra ->> k)), p -> p.field is not null) as ci_pairs,
         list_filter([${CANONICAL_FIELDS.map((f) => `case when ${f} is null then '${f}' end`).join(', ')}], f -> f is not null) as null_fields
       from landed
     ),
     moved as (
       select *, list_transform(list_filter(ci_pairs, (p, i) -> list_contains(null_fields, p.field)
           and list_position(list_transform(ci_pairs, q -> q.field), p.field) = i), p -> p.k) as moved_keys
       from keyed
     ),
     recased as (
       select * exclude (ci_pairs, null_fields, moved_keys) replace (
         ${CANONICAL_FIELDS.map((f) => `coalesce(${f}, list_filter(ci_pairs, p -> p.field = '${f}' and list_contains(moved_keys, p.k))[1].v) as ${f}`).join(',\n         ')},
         case when len(moved_keys) = 0 then extra
              when len(json_keys(extra)) > len(moved_keys) then to_json(map_from_entries(list_transform(
                list_filter(json_keys(extra), k -> not list_contains(moved_keys, k)), k -> struct_pack(k := k, v := extra -> k))))
         end as extra)
       from moved
     ),`;

function typedSql(landing: Landing, recase: boolean): string {
  return `create or replace temp table ingest_typed as
     with landed as (${landing.sql}),${recase ? RECASED : ''}
     cleaned as (
       select * replace (${CLEANED_FIELDS.map((f) => `nullif(trim(${f}), '') as ${f}`).join(', ')})
       from ${recase ? 'recased' : 'landed'}
     ),
     signed as (
       select l.*, kind_hint is null and type is null as kind_guessed, ${KIND_SIGNATURE} as kind_sig
       from cleaned l
     ),
     kinded as (
       select l.*,
         coalesce(kind_hint, lower(type),
           case when kind_sig & 1 <> 0 then 'event' when kind_sig & 2 <> 0 then 'survey' when kind_sig & 4 <> 0 then 'message'
                else 'conversation' end) as kind_raw
       from signed l
     ),
     typed as (
       select k.*,
         case when kind_raw in ('messages', 'events', 'surveys', 'conversations') then rtrim(kind_raw, 's') else kind_raw end as kind,
         csqa_parse_ts(sent_at, $timezone) as sent_ts_any,
         csqa_parse_ts(occurred_at, $timezone) as occurred_ts_any,
         csqa_parse_ts(answered_at, $timezone) as answered_ts_any,
         csqa_parse_ts(started_at, $timezone) as started_ts_any,
         csqa_parse_ts(ended_at, $timezone) as ended_ts_any,
         rm.target as role_c,
         tm.target as tier_c,
         ftm.target as from_tier_c,
         ttm.target as to_tier_c,
         lower(event) as event_c,
         coalesce(vm.target, vendor) as vendor_v,
         try_cast(queue_position as integer) as queue_n,
         try_cast(csat as double) as csat_d,
         try_cast(nps as double) as nps_d
       from kinded k
       left join ingest_role_map rm on rm.source = lower(k.role)
       left join ingest_tier_map tm on tm.source = lower(k.tier)
       left join ingest_tier_map ftm on ftm.source = lower(k.from_tier)
       left join ingest_tier_map ttm on ttm.source = lower(k.to_tier)
       left join ingest_vendor_map vm on vm.source = k.vendor
     ),
     ranged as (
       select * replace (${FOREIGN_INTO_EXTRA} as extra),
         csqa_in_range(sent_ts_any) as sent_ts, csqa_in_range(occurred_ts_any) as occurred_ts,
         csqa_in_range(answered_ts_any) as answered_ts, csqa_in_range(started_ts_any) as started_ts,
         csqa_in_range(ended_ts_any) as ended_ts
       from typed
     ),
     checked as (
       select *,
         case when role_c in ('bot', 'agent') then coalesce(vendor_v, $in_house_vendor) else vendor_v end as vendor_c,
         case when csat_d = floor(csat_d) then cast(csat_d as integer) end as csat_n,
         case when nps_d = floor(nps_d) then cast(nps_d as integer) end as nps_n,
         case
           when parse_error is not null then struct_pack(reason := parse_error, field := parse_field)
           when kind not in ${KINDS} then struct_pack(reason := 'unknown record type "' || kind || '"', field := 'type')
           when conversation_id is null then struct_pack(reason := 'missing conversation_id', field := 'conversation_id')
           when kind = 'message' and sent_at is null then struct_pack(reason := 'missing timestamp', field := 'sent_at')
           when kind = 'message' and sent_ts is null then struct_pack(reason := 'bad timestamp "' || left(sent_at, 60) || '"', field := 'sent_at')
           when kind = 'message' and role is null then struct_pack(reason := 'missing role', field := 'role')
           when kind = 'message' and role_c is null then struct_pack(reason := 'unknown role "' || left(role, 60) || '" (map it with ingest.roles)', field := 'role')
           when kind = 'message' and text is null then struct_pack(reason := 'missing text', field := 'text')
           when kind = 'message' and length(text) > $max_text_chars then struct_pack(reason := 'text over ' || $max_text_chars || ' characters (' || length(text) || ')', field := 'text')
           when kind = 'message' and tier is not null and tier_c is null then struct_pack(reason := 'unknown tier "' || left(tier, 60) || '" (map it with ingest.tiers)', field := 'tier')
           when kind = 'event' and occurred_at is null then struct_pack(reason := 'missing timestamp', field := 'occurred_at')
           when kind = 'event' and occurred_ts is null then struct_pack(reason := 'bad timestamp "' || left(occurred_at, 60) || '"', field := 'occurred_at')
           when kind = 'event' and event is null then struct_pack(reason := 'missing event name', field := 'event')
           when kind = 'event' and from_tier is not null and from_tier_c is null then struct_pack(reason := 'unknown tier "' || left(from_tier, 60) || '" (map it with ingest.tiers)', field := 'from_tier')
           when kind = 'event' and to_tier is not null and to_tier_c is null then struct_pack(reason := 'unknown tier "' || left(to_tier, 60) || '" (map it with ingest.tiers)', field := 'to_tier')
           when kind = 'event' and queue_position is not null and queue_n is null then struct_pack(reason := 'queue_position is not a whole number', field := 'queue_position')
           when kind = 'survey' and answered_at is null then struct_pack(reason := 'missing timestamp', field := 'answered_at')
           when kind = 'survey' and answered_ts is null then struct_pack(reason := 'bad timestamp "' || left(answered_at, 60) || '"', field := 'answered_at')
           when kind = 'survey' and csat is null and nps is null then struct_pack(reason := 'survey without csat or nps', field := 'csat')
           when kind = 'survey' and csat is not null and (csat_n is null or csat_n not between 1 and 5) then struct_pack(reason := 'csat must be a whole number from 1 to 5, got "' || left(csat, 20) || '"', field := 'csat')
           when kind = 'survey' and nps is not null and (nps_n is null or nps_n not between 0 and 10) then struct_pack(reason := 'nps must be a whole number from 0 to 10, got "' || left(nps, 20) || '"', field := 'nps')
           when kind = 'conversation' and started_at is not null and started_ts is null then struct_pack(reason := 'bad timestamp "' || left(started_at, 60) || '"', field := 'started_at')
           when kind = 'conversation' and ended_at is not null and ended_ts is null then struct_pack(reason := 'bad timestamp "' || left(ended_at, 60) || '"', field := 'ended_at')
         end as problem
       from ranged
     )
     -- Only what deciding, loading and quarantining need: a narrower table is most of the speed of this step.
     select kind, line_no, src_path, parse_error, problem, kind_guessed, kind_sig,
       -- A record with no field of any kind may yet be quarantined by fileKinds (below): it keeps its excerpt ready.
       case when problem is not null or (kind_guessed and kind_sig = 0) then coalesce(excerpt, left(to_json(struct_pack(
         conversation_id, type, sent_at, occurred_at, answered_at, role, event, tier, csat, nps, text))::varchar, 500)) end as problem_excerpt,
       conversation_id, message_id, sent_ts, role_c, text, customer_id, agent_id, agent_name, vendor_c, tier_c, channel,
       language, extra, occurred_ts, event_c, from_tier_c, to_tier_c, vendor_v, ticket_id, reason, queue_n, answered_ts,
       csat_n, nps_n, comment, started_ts, ended_ts, intent, order_id,
       case kind
         when 'message' then case when message_id is not null then ${messageKeySql('conversation_id', 'message_id')}
                                  else 'h:' || ${hashOf(['conversation_id', 'sent_ts', 'role_c', 'text', 'agent_id'])} end
         when 'event' then 'h:' || ${hashOf(['conversation_id', 'occurred_ts', 'event_c', 'from_tier_c', 'to_tier_c', 'agent_id', 'ticket_id', 'queue_n'])}
         when 'survey' then 'h:' || ${hashOf(['conversation_id', 'answered_ts', 'csat_n', 'nps_n', 'agent_id'])}
         else conversation_id
       end as record_key,
       case kind
         when 'message' then ${fingerprintOf([...CONTENT.message.typed])}
         when 'event' then ${fingerprintOf([...CONTENT.event.typed])}
         when 'survey' then ${fingerprintOf([...CONTENT.survey.typed])}
         else ${fingerprintOf([...CONTENT.conversation.typed])}
       end as record_hash
     from checked`;
}

/**
 * Gives a file without a record type one kind, the one its fields name (spec: each kind in its own file):
 * typing guessed each record's kind from its own fields, so a record with none of them (an event whose
 * event and time are blank) became a conversation record and lost what it had. In a file whose guessed
 * records name exactly one kind, such a record is of that kind and lacks its required fields: quarantined.
 * A file whose records name several kinds without a type keeps the guess per record. Runs on the typed
 * table: two narrow columns, and an update of the few records it changes.
 */
async function fileKinds(db: Db): Promise<void> {
  await db.run(`update ingest_typed t
    set kind = f.kind,
      problem = coalesce(case when t.conversation_id is not null then struct_pack(reason := 'missing timestamp', field := f.field) end, t.problem)
    from (
      select case bit_or(kind_sig) when 1 then 'event' when 2 then 'survey' when 4 then 'message' end as kind,
        case bit_or(kind_sig) when 1 then 'occurred_at' when 2 then 'answered_at' when 4 then 'sent_at' end as field
      from ingest_typed where kind_guessed
    ) f
    where t.kind_guessed and t.kind_sig = 0 and t.parse_error is null and f.kind is not null`);
}

/** Records already loaded, by kind and key, with their fingerprint. */
const EXISTING_KEYS = CONTENT_KINDS.map((kind) => {
  const { table, key } = CONTENT[kind];
  return `select '${kind}' as kind, ${key} as record_key, record_hash from ${table}`;
}).join('\n  union all ');

/** The loaded records whose key is contested, with their content (serialized only for those few rows). */
const CONTESTED_EXISTING = CONTENT_KINDS.map((kind) => {
  const { table, key, stored } = CONTENT[kind];
  return `select '${kind}' as kind, s.${key} as record_key, s.record_hash, ${serialized(stored.map((c) => `s.${c}`))} as content
    from ${table} s semi join (select record_key from ingest_contested_keys where kind = '${kind}') c on c.record_key = s.${key}`;
}).join('\n    union all ');

/** A typed record's content, serialized the same way as CONTESTED_EXISTING serializes a stored one. */
const TYPED_CONTENT = `case kind ${CONTENT_KINDS.map((kind) => `when '${kind}' then ${serialized([...CONTENT[kind].typed])}`).join(' ')} end`;

/**
 * Kinds whose records are snapshots of something that grows: a re-export of a conversation carries its ended_at
 * once it ended. A copy with the same key but other content is a newer version, loaded beside the older ones
 * (staging reads the newest: sql/staging/stg_raw__conversations.sql); a copy equal to any loaded version is an
 * exact duplicate, so re-running an older export changes nothing. Messages and events are immutable: other
 * content under their key is a conflict. Surveys stay immutable too: their key already holds the answer (time,
 * csat, nps), and the readers of raw.surveys pick one row per key without a version order.
 */
const SNAPSHOT_KINDS = `('conversation')`;

/**
 * Decides each valid record: the first copy of a key loads; later copies with the same content are
 * exact duplicates; a copy with the same key but different content is quarantined as a conflict, or loads as
 * a newer version for snapshot kinds (SNAPSHOT_KINDS). Records already in the database count the same way,
 * so re-loading never double-counts.
 *
 * Only keys that repeat within the file or already exist need ranking; they are few, so they are
 * decided apart (`ingest_contested`) and every other valid record simply loads.
 */
export async function decide(db: Db): Promise<void> {
  await db.run(`create or replace temp table ingest_contested_keys as
    with keys as (
      select kind, record_key, count(*) as copies from ingest_typed where problem is null group by kind, record_key
    )
    select kind, record_key from keys where copies > 1
    union
    select e.kind, e.record_key from (${EXISTING_KEYS}) e semi join keys k using (kind, record_key)`);
  await db.run(`create or replace temp table ingest_contested as
    with copies as (
      select t.*, ${TYPED_CONTENT} as content
      from ingest_typed t
      semi join ingest_contested_keys c using (kind, record_key)
      where problem is null
    ),
    ranked as (
      select *,
        row_number() over w as copy_rank,
        first_value(record_hash) over w as first_hash,
        first_value(content) over w as first_content,
        -- Among copies with equal content only: a snapshot's later equal copy is a duplicate of an earlier one.
        row_number() over (partition by kind, record_key, record_hash, content order by line_no, src_path) as same_rank
      from copies
      window w as (partition by kind, record_key order by line_no, src_path)
    ),
    existing as (${CONTESTED_EXISTING}),
    -- A snapshot key may hold several loaded versions: one row per typed copy says whether any is equal.
    matched as (
      select r.kind, r.record_key, r.line_no, r.src_path,
        bool_or(e.record_hash = r.record_hash and e.content = r.content) as equal_loaded
      from ranked r join existing e using (kind, record_key)
      group by all
    )
    select r.* exclude (content, first_content, same_rank),
      case
        when m.equal_loaded then 'duplicate'
        when r.kind in ${SNAPSHOT_KINDS} then case when r.same_rank = 1 then 'load' else 'duplicate' end
        when m.record_key is not null then 'conflict'
        when r.copy_rank = 1 then 'load'
        when r.record_hash = r.first_hash and r.content = r.first_content then 'duplicate'
        else 'conflict'
      end as decision
    from ranked r
    left join matched m on m.kind = r.kind and m.record_key = r.record_key and m.line_no = r.line_no
      and m.src_path is not distinct from r.src_path`);
  await db.run(`create or replace temp view ingest_decided as
    select t.*, null::bigint as copy_rank, null::varchar as first_hash, 'load' as decision
    from ingest_typed t anti join ingest_contested_keys c using (kind, record_key)
    where problem is null
    union all by name
    select * from ingest_contested`);
}

/** Inserts the loads and the quarantine of one file; returns its counts. */
export async function apply(db: Db, sourceFile: string, contentHash: string): Promise<{ loaded: number; duplicate: number; quarantined: number }> {
  const src = [sourceFile];
  await db.run(
    `insert into raw.messages
     select record_key, message_id, conversation_id, sent_ts, role_c, text, customer_id, agent_id, agent_name,
       vendor_c, tier_c, channel, language, extra, record_hash, $1, line_no, src_path
     from ingest_decided where decision = 'load' and kind = 'message'`,
    src,
  );
  await db.run(
    `insert into raw.events
     select record_key, conversation_id, occurred_ts, event_c, from_tier_c, to_tier_c, agent_id, vendor_v, ticket_id,
       reason, queue_n, extra, record_hash, $1, line_no, src_path
     from ingest_decided where decision = 'load' and kind = 'event'`,
    src,
  );
  await db.run(
    `insert into raw.surveys
     select record_key, conversation_id, answered_ts, csat_n, nps_n, comment, agent_id, extra, record_hash, $1, line_no, src_path
     from ingest_decided where decision = 'load' and kind = 'survey'`,
    src,
  );
  await db.run(
    `insert into raw.conversations
     select conversation_id, customer_id, channel, started_ts, ended_ts, intent, order_id, extra, record_hash, $1, line_no, src_path
     from ingest_decided where decision = 'load' and kind = 'conversation'`,
    src,
  );
  await db.run(
    `insert into raw.quarantine
     select $2, $1, line_no, src_path, case when parse_error is null and kind in ${KINDS} then kind end, problem.field, problem.reason,
       problem_excerpt
     from ingest_typed where problem is not null
     union all
     select $2, $1, line_no, src_path, kind,
       case kind when 'message' then 'message_id' when 'conversation' then 'conversation_id' else 'record' end,
       'conflicts with an already loaded ' || kind || ' with the same key ' || record_key || ' (different content)',
       left(to_json(struct_pack(conversation_id, message_id, sent_ts, occurred_ts, role_c, event_c, text))::varchar, 500)
     from ingest_contested where decision = 'conflict'`,
    [sourceFile, contentHash],
  );
  const counts = await db.all<{ loaded: number; duplicate: number; conflicts: number; problems: number }>(
    `select
       (select count(*) from ingest_typed where problem is null)
         - (select count(*) from ingest_contested where decision <> 'load') as loaded,
       (select count(*) from ingest_contested where decision = 'duplicate') as duplicate,
       (select count(*) from ingest_contested where decision = 'conflict') as conflicts,
       (select count(*) from ingest_typed where problem is not null) as problems`,
  );
  const c = counts[0]!;
  return { loaded: c.loaded, duplicate: c.duplicate, quarantined: c.conflicts + c.problems };
}
