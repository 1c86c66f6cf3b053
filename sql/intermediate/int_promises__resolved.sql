-- Purpose: each callback promise with its outcome: kept when a `callback_made` event, or a responder message
-- in a later contact of the same customer, follows within metrics.promiseWindowHours; broken once that window
-- has ended at the as-of time without one; NULL (unknown) while it is open.
-- Grain: one row per promising message. Key: message_key.
-- Depends on: intermediate.int_messages__segmented, intermediate.int_conversations__attributed,
--             staging.stg_raw__events, staging.settings
-- Choice: without a customer_id only the promise's own conversation can show a callback.
with

settings as (
    select * from staging.settings
),

promises as (
    select message_key, conversation_id, sent_at as promised_at, vendor, tier, agent_id
    from intermediate.int_messages__segmented
    where has_callback_promise and is_responder
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

outcomes as (
    select
        p.message_key,
        count(f.followed_up_at) > 0 as has_follow_up
    from promises as p
    cross join settings as s
    join conversations as pc on pc.conversation_id = p.conversation_id
    left join follow_ups as f
        on f.customer_key = pc.customer_key
        and f.followed_up_at > p.promised_at
        and f.followed_up_at <= p.promised_at + to_seconds(s.promise_window_seconds)
        and (f.is_callback or (f.conversation_id <> p.conversation_id and f.started_at > pc.started_at))
    group by p.message_key
),

final as (
    select
        p.*,
        p.promised_at + to_seconds(s.promise_window_seconds) <= s.as_of_at as is_window_ended,
        case
            when o.has_follow_up then true
            when p.promised_at + to_seconds(s.promise_window_seconds) <= s.as_of_at then false
        end as is_kept
    from promises as p
    cross join settings as s
    join outcomes as o on o.message_key = p.message_key
)

select * from final
