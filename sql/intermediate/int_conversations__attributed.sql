-- Purpose: one row per contact with identity, extent, attribution (last human replier, else the bot),
-- response and reach timings, handling path and the latest survey.
-- Grain: one row per conversation. Key: conversation_id.
-- Depends on: intermediate.int_conversations__message_facts, intermediate.int_conversations__reach,
--             intermediate.int_conversations__event_facts,
--             intermediate.int_conversations__handling_paths, staging.stg_raw__conversations,
--             staging.stg_raw__surveys, staging.sla_targets, staging.settings
-- Choices:
--  * a conversation record without a start time, messages or events is left out (no day to report it on).
--  * the conversation record wins for identity and extent; else first/last message or event.
--  * a human was needed at the earlier of the first human request and the handoff (the handoff event, else
--    the inferred handoff: the last bot message before the first human reply); at the start when a human
--    replied first. A handoff event after the first human reply is a later transfer (L1>L2), not the handoff.
--    Event clocks can lag message clocks, so a negative wait is reported as 0.
--  * a customer who needed a human (a request or a handoff event) and got none missed the first-human-response
--    target, judged against the target of L1 (the tier a human conversation starts in when the log names none).
--  * transfers = the larger of inferred responder changes and transfer/escalation events (events show
--    transfers to a party that never replied; messages show transfers nobody logged).
-- materialized: scratch
with

message_facts as (
    select * from intermediate.int_conversations__message_facts
),

event_facts as (
    select * from intermediate.int_conversations__event_facts
),

records as (
    select * from staging.stg_raw__conversations
),

surveys as (
    select * from staging.stg_raw__surveys
),

sla_targets as (
    select * from staging.sla_targets
),

settings as (
    select * from staging.settings
),

reach as (
    select * from intermediate.int_conversations__reach
),

handling_paths as (
    select * from intermediate.int_conversations__handling_paths
),

conversation_ids as (
    select conversation_id from message_facts
    union
    select conversation_id from event_facts
    union
    select conversation_id from records
),

combined as (
    select
        c.conversation_id,
        coalesce(r.customer_id, m.customer_id) as customer_id,
        coalesce(r.channel, m.channel) as channel,
        r.intent,
        r.order_id,
        e.ticket_id,
        coalesce(r.started_at, least(m.first_message_at, e.first_event_at)) as started_at,
        coalesce(r.ended_at, greatest(m.last_message_at, e.last_event_at)) as ended_at,
        coalesce(m.last_human_vendor, m.last_bot_vendor, s.in_house_vendor) as vendor,
        coalesce(m.last_human_tier, 'bot') as tier,
        m.last_human_agent_id as agent_id,
        m.last_human_agent_name as agent_name,
        coalesce(m.first_human_at is not null, false) as is_human_handled,
        m.first_customer_at,
        m.first_reply_at,
        rc.first_response_at,
        rc.first_responder_vendor,
        rc.first_responder_tier,
        m.first_responder_role,
        m.first_human_at,
        m.last_human_at,
        m.first_human_vendor,
        m.first_human_tier,
        rc.first_human_request_at,
        rc.inferred_handoff_at,
        e.first_handoff_event_at,
        coalesce(p.escalation_path, '') as escalation_path,
        greatest(coalesce(p.count_transfers_inferred, 0), coalesce(e.count_transfer_events, 0)) as count_transfers,
        coalesce(p.count_tier_segments > p.count_tiers, false) as has_ping_pong,
        coalesce(rc.count_human_requests, 0) as count_human_requests,
        coalesce(rc.count_bot_blocks, 0) as count_bot_blocks,
        coalesce(e.has_reopened_event, false) as has_reopened_event,
        coalesce(e.has_survey_offered, false) as has_survey_offered,
        m.sentiment_opening,
        m.sentiment_closing,
        m.sentiment_lowest,
        m.closing_label,
        coalesce(m.count_coupon_appeasement, 0) as count_coupon_appeasement,
        coalesce(m.count_callback_promise, 0) as count_callback_promise,
        coalesce(m.count_agents_busy, 0) as count_agents_busy,
        coalesce(m.count_bot_transfer_block, 0) as count_bot_transfer_block,
        coalesce(m.count_self_service_redirect, 0) as count_self_service_redirect,
        coalesce(m.count_canned_repetition, 0) as count_canned_repetition,
        coalesce(m.count_apology_loop, 0) as count_apology_loop,
        coalesce(m.count_complaint_threats, 0) as count_complaint_threats,
        coalesce(m.count_anger, 0) as count_anger,
        coalesce(m.count_repeat_explanations, 0) as count_repeat_explanations,
        coalesce(m.has_thanks_resolved, false) as has_thanks_resolved,
        coalesce(m.count_messages, 0) as count_messages,
        coalesce(m.count_customer_messages, 0) as count_customer_messages,
        coalesce(m.count_agent_messages, 0) as count_agent_messages,
        coalesce(m.count_bot_messages, 0) as count_bot_messages,
        sv.csat,
        sv.nps,
        sv.conversation_id is not null as has_survey
    from conversation_ids as c
    cross join settings as s
    left join message_facts as m on m.conversation_id = c.conversation_id
    left join event_facts as e on e.conversation_id = c.conversation_id
    left join records as r on r.conversation_id = c.conversation_id
    left join surveys as sv on sv.conversation_id = c.conversation_id
    left join reach as rc on rc.conversation_id = c.conversation_id
    left join handling_paths as p on p.conversation_id = c.conversation_id
),

timed as (
    select
        *,
        -- The build sets the variable to staging.settings.report_timezone: a zone read from a column is
        -- converted once per row (1.4 s at 1M), a variable is folded in as a constant.
        timezone(getvariable('csqa_report_timezone'), started_at::timestamptz)::date as report_date,
        case
            when first_human_at is null then null
            when first_responder_role = 'agent' then started_at
            else least(
                first_human_request_at,
                case when first_handoff_event_at <= first_human_at then first_handoff_event_at else inferred_handoff_at end
            )
        end as human_needed_at,
        case
            when first_human_at is not null then first_human_tier
            when first_human_request_at is not null or first_handoff_event_at is not null then 'L1'
        end as human_sla_tier
    from combined
),

final as (
    select
        t.* exclude (human_sla_tier),
        epoch(t.first_response_at) - epoch(t.first_customer_at) as first_response_seconds,
        case when t.first_human_at is not null
            then greatest(0.0, epoch(t.first_human_at) - epoch(t.human_needed_at)) end as first_human_response_seconds,
        case when t.first_human_at >= t.first_human_request_at
            then epoch(t.first_human_at) - epoch(t.first_human_request_at) end as time_to_human_seconds,
        epoch(t.last_human_at) - epoch(t.first_human_at) as handle_seconds,
        coalesce(fr_channel.target_seconds, fr_tier.target_seconds) as sla_first_response_target_seconds,
        coalesce(fh_channel.target_seconds, fh_tier.target_seconds) as sla_first_human_response_target_seconds
    from timed as t
    left join sla_targets as fr_channel
        on fr_channel.measure = 'first_response' and fr_channel.tier = coalesce(t.first_responder_tier, t.tier)
        and fr_channel.channel = t.channel
    left join sla_targets as fr_tier
        on fr_tier.measure = 'first_response' and fr_tier.tier = coalesce(t.first_responder_tier, t.tier)
        and fr_tier.channel is null
    left join sla_targets as fh_channel
        on fh_channel.measure = 'first_human_response' and fh_channel.tier = t.human_sla_tier
        and fh_channel.channel = t.channel
    left join sla_targets as fh_tier
        on fh_tier.measure = 'first_human_response' and fh_tier.tier = t.human_sla_tier
        and fh_tier.channel is null
    -- A conversation record with no start, no message and no event cannot be placed on any day.
    where t.started_at is not null
)

select * from final
