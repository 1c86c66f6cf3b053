-- Purpose: every message in conversation order with its scores and its place in the handling sequence
-- (who is responding, whether the responding party changed, what the customer had asked before it).
-- Grain: one row per message. Key: message_key.
-- Depends on: staging.stg_raw__messages, staging.stg_scores__sentiment, staging.stg_scores__signals,
--             staging.stg_scores__templates
-- Why one model: every conversation-level fact derives from these running values; computing them in one
-- window pass over (conversation_id, sent_at) avoids self-joins over the largest table.
-- Transfers without events are inferred here: a responder (tier, vendor, agent) different from the previous
-- responder is a transfer; a tier different from the previous responder's tier starts a new tier segment.
-- Scratch: the widest table of the layer, read only by other models; storing it would add a compressed write
-- of every message to each build.
-- materialized: scratch
with

messages as (
    select * from staging.stg_raw__messages
),

sentiment as (
    select * from staging.stg_scores__sentiment
),

signals as (
    select * from staging.stg_scores__signals
),

templates as (
    select * from staging.stg_scores__templates
),

joined as (
    -- Text stays out and signals travel as one bitmask through the window sort: this is the widest table of
    -- the layer, and the sort carries every column it is given.
    select
        m.message_key,
        m.conversation_id,
        m.sent_at,
        m.source_line,
        m.role,
        m.customer_id,
        m.agent_id,
        m.agent_name,
        m.vendor,
        m.tier,
        m.channel,
        se.score as sentiment_score,
        se.label as sentiment_label,
        coalesce(sg.signal_bits, 0) as signal_bits,
        t.template_id
    from messages as m
    left join sentiment as se on se.message_key = m.message_key
    left join signals as sg on sg.message_key = m.message_key
    left join templates as t on t.message_key = m.message_key
),

sequenced as (
    select
        *,
        row_number() over running as seq,
        -- A struct, not a joined string: names may hold any separator ('acme|east' + 'a1' vs 'acme' + 'east|a1').
        lag(case when role in ('bot', 'agent') then {tier: tier, vendor: vendor, agent_id: agent_id} end
            ignore nulls) over running as previous_responder,
        lead(case when role in ('bot', 'agent') then role end ignore nulls) over running as next_responder_role,
        -- Counted as integers: a window sum of ints is a HUGEINT, 16 bytes a row in the widest table.
        (count(*) filter (where role = 'customer') over running)::integer as count_customer_so_far,
        (count(*) filter (where role = 'customer' and sentiment_score is not null) over running)::integer
            as count_scored_customer_so_far,
        (count(*) filter (where role = 'customer' and signal_bits & 128 <> 0) over running)::integer
            as count_human_requests_so_far,
        (count(*) filter (where role = 'agent') over running - (role = 'agent')::int)::integer as count_human_before
    from joined
    -- One window (one sort) serves every running value; lag/lead ignore the frame.
    window running as (partition by conversation_id order by sent_at, source_line, message_key
                       rows between unbounded preceding and current row)
),

flagged as (
    select
        * exclude (signal_bits),
        role in ('bot', 'agent') as is_responder,
        role = 'agent' as is_human,
        role = 'bot' as is_bot,
        role = 'customer' as is_customer,
        signal_bits & 1 <> 0 as has_coupon_appeasement,
        signal_bits & 2 <> 0 as has_callback_promise,
        signal_bits & 4 <> 0 as has_agents_busy,
        signal_bits & 8 <> 0 as has_bot_transfer_block,
        signal_bits & 16 <> 0 as has_self_service_redirect,
        signal_bits & 32 <> 0 as has_canned_repetition,
        signal_bits & 64 <> 0 as has_apology_loop,
        -- Every deflection but canned_repetition (bit 32): a pasted greeting alone is not a deflection; canned
        -- repetition has its own rate and share.
        signal_bits & 95 <> 0 as has_deflection,
        -- Customer signals count only on customer messages, whoever the scorer tagged.
        role = 'customer' and signal_bits & 128 <> 0 as has_human_request,
        role = 'customer' and signal_bits & 256 <> 0 as has_complaint_threat,
        role = 'customer' and signal_bits & 512 <> 0 as has_anger,
        role = 'customer' and signal_bits & 1024 <> 0 as has_repeat_explanation,
        role = 'customer' and signal_bits & 2048 <> 0 as has_thanks_resolved
    from sequenced
),

final as (
    select
        -- The running helpers and the tie-breaking source line stay here; only what later models read is kept.
        * exclude (source_line, previous_responder, count_human_requests_so_far),
        is_responder and previous_responder is not null
            and {tier: tier, vendor: vendor, agent_id: agent_id} is distinct from previous_responder as is_transfer,
        is_responder and previous_responder.tier is distinct from tier as is_new_tier_segment,
        -- A bot reply after a request for a human, before any human replied, that does not hand over.
        is_bot and count_human_requests_so_far > 0 and count_human_before = 0
            and next_responder_role is distinct from 'agent' as is_bot_block_candidate
    from flagged
)

select * from final
