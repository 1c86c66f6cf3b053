-- Purpose: each callback promise with its outcome: kept when a `callback_made` event, or a responder message
-- in a later contact of the same customer, follows within metrics.promiseWindowHours; broken once that window
-- has ended at the as-of time without one; NULL (unknown) while it is open.
-- Grain: one row per promising message. Key: message_key.
-- Depends on: intermediate.int_responder_messages__scored, intermediate.int_conversations__attributed,
--             staging.stg_raw__events, staging.settings
-- Choice: without a customer_id only the promise's own conversation can show a callback.
-- materialized: scratch
with

settings as (
    select * from staging.settings
),

promises as (
    select message_key, conversation_id, sent_at as promised_at, vendor, tier, agent_id
    from intermediate.int_responder_messages__scored
    where has_callback_promise
),

conversations as (
    select
        conversation_id,
        coalesce(customer_id, 'conversation:' || conversation_id) as customer_key,
        started_at,
        first_reply_at
    from intermediate.int_conversations__attributed
),

callbacks as (
    select conversation_id, occurred_at
    from staging.stg_raw__events
    where event = 'callback_made'
),

follow_ups as (
    select c.customer_key, c.conversation_id, c.started_at, cb.occurred_at as followed_up_at, true as is_callback
    from callbacks as cb
    join conversations as c on c.conversation_id = cb.conversation_id
    union all
    select customer_key, conversation_id, started_at, first_reply_at, false
    from conversations
    where first_reply_at is not null
        and customer_key in (
            select c.customer_key from promises as p join conversations as c on c.conversation_id = p.conversation_id
        )
),

-- Inner join on the customer first (a hash join), window conditions after: written as one LEFT join with
-- range conditions, DuckDB falls back to a nested-loop join.
candidates as (
    select
        p.message_key,
        p.conversation_id,
        p.promised_at,
        pc.started_at as promise_started_at,
        f.conversation_id as follow_up_conversation_id,
        f.started_at as follow_up_started_at,
        f.followed_up_at,
        f.is_callback
    from promises as p
    join conversations as pc on pc.conversation_id = p.conversation_id
    join follow_ups as f on f.customer_key = pc.customer_key
),

kept as (
    select distinct c.message_key
    from candidates as c
    cross join settings as s
    where c.followed_up_at > c.promised_at
        and c.followed_up_at <= c.promised_at + to_seconds(s.promise_window_seconds)
        and (c.is_callback
            or (c.follow_up_conversation_id <> c.conversation_id and c.follow_up_started_at > c.promise_started_at))
),

final as (
    select
        p.*,
        p.promised_at + to_seconds(s.promise_window_seconds) <= s.as_of_at as is_window_ended,
        case
            when k.message_key is not null then true
            when p.promised_at + to_seconds(s.promise_window_seconds) <= s.as_of_at then false
        end as is_kept
    from promises as p
    cross join settings as s
    left join kept as k on k.message_key = p.message_key
)

select * from final
