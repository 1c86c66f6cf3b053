-- Purpose: each conversation once per unit that KPIs are reported for, with the unit's own behaviour
-- (its messages, deflections, escalations, promises) beside the conversation's outcomes:
--   grain 'vendor_tier_day': every (vendor, tier) that handled a segment of the conversation (one
--       conversation can count for several tiers); conversations nobody answered count for their attribution.
--       The first response and the first human response belong to the segment that gave them (spec: "each
--       segment ... to the tier that handled it"): a bot's 5 s greeting is not the L1 tier's response time.
--       When there was none, the miss belongs to the conversation's attribution.
--   grain 'agent_day' / 'agent': every agent who replied; outcomes (FCR, CSAT, ...) are credited only to the
--       last human replier (is_credited), behaviour to whoever wrote the messages.
--   grain 'vendor': the conversation's attribution (last human replier's vendor, else the bot's).
--   Escalations and promises go to the party that made them (spec: "per vendor and tier of the party that
--   escalated"): where that party has no unit of its own in the conversation at a grain (a vendor the
--   conversation did not end with; a tier an event names before it wrote), it gets a row holding only those.
--   is_handled: the unit wrote in the conversation (deflection rates are per conversation handled).
--   grain 'channel_day': the conversation's channel ('unknown' when no record or message names one) and report
--       day, with the behaviour and outcomes of everyone who handled it (human_service_ratio per channel and day).
-- Grain: grain x conversation x unit. Key: (grain, conversation_id, group_vendor, group_tier, agent_id, group_channel).
-- Depends on: intermediate.int_conversations__resolved, intermediate.int_conversation_parties,
--             intermediate.int_escalations__completed, intermediate.int_promises__resolved
-- Read once, by int_kpis__aggregated: storing it would only add a write.
-- materialized: view
with

-- Only what the KPIs read, so the (up to five) copies per conversation stay narrow. Not materialized: four
-- readers scan the resolved conversations instead of a copy of them.
conversations as not materialized (
    select
        conversation_id, report_date, vendor, tier, agent_id, channel, first_reply_at, started_at,
        {given_at: first_response_at, vendor: first_responder_vendor, tier: first_responder_tier} as first_responder,
        {given_at: first_human_at, vendor: first_human_vendor, tier: first_human_tier} as first_human,
        is_fcr_24h, is_fcr_72h, is_fcr_7d, is_bot_contained, is_human_reached_within_target, is_csat_top2,
        is_ending_negative, is_first_response_within_sla, is_first_human_response_within_sla, is_human_handled,
        has_deflection, csat, has_survey, has_survey_offered, sentiment_change, sentiment_change_after_deflection,
        first_response_seconds, first_human_response_seconds, time_to_human_seconds, handle_seconds,
        {
            coupon_appeasement: count_coupon_appeasement > 0,
            callback_promise: count_callback_promise > 0,
            agents_busy: count_agents_busy > 0,
            bot_transfer_block: count_bot_transfer_block > 0,
            self_service_redirect: count_self_service_redirect > 0,
            canned_repetition: count_canned_repetition > 0,
            apology_loop: count_apology_loop > 0
        } as deflections
    from intermediate.int_conversations__resolved
),

tier_handled as (
    select * exclude (agent_id, is_tier_party, last_written)
    from intermediate.int_conversation_parties
    where is_tier_party
),

agent_handled as (
    select * exclude (vendor, tier, is_tier_party)
    from intermediate.int_conversation_parties
    where not is_tier_party
),

party_outcomes as (
    select
        conversation_id, vendor, tier, agent_id,
        (is_completed_24h is not null)::int as n_escalations_ended,
        coalesce(is_completed_24h, false)::int as n_escalations_completed,
        0 as n_promises_kept,
        0 as n_promises_broken
    from intermediate.int_escalations__completed
    union all
    select
        conversation_id, vendor, tier, agent_id,
        0, 0,
        coalesce(is_kept, false)::int,
        coalesce(not is_kept, false)::int
    from intermediate.int_promises__resolved
),

outcomes_by_unit as (
    select
        conversation_id,
        vendor,
        tier,
        agent_id,
        grouping(vendor) as is_agent_view,
        grouping(tier) as is_vendor_view,
        grouping(agent_id) = 1 and grouping(vendor) = 1 as is_conversation_view,
        sum(n_escalations_ended) as n_escalations_ended,
        sum(n_escalations_completed) as n_escalations_completed,
        sum(n_promises_kept) as n_promises_kept,
        sum(n_promises_broken) as n_promises_broken
    from party_outcomes
    group by grouping sets ((conversation_id, vendor, tier), (conversation_id, agent_id), (conversation_id, vendor),
                            (conversation_id))
),

-- The behaviour of a unit that wrote nothing in the conversation.
no_behaviour as (
    select
        0 as count_unit_messages,
        0 as count_unit_templated,
        false as has_coupon_appeasement,
        false as has_callback_promise,
        false as has_agents_busy,
        false as has_bot_transfer_block,
        false as has_self_service_redirect,
        false as has_canned_repetition,
        false as has_apology_loop,
        false as has_unit_deflection
),

-- Which tier segment gave the conversation's first response and first human response (the vendor and tier of
-- the message that gave it); without one, the miss belongs to the attribution. A plain projection over a join:
-- the same test as a lateral subquery was planned as a delim join (2.6 s at 1M).
tier_segments as (
    select
        h.*,
        case
            when c.first_responder.given_at is not null
                then h.vendor = c.first_responder.vendor and h.tier = c.first_responder.tier
            else h.vendor = c.vendor and h.tier = c.tier
        end as gave_first_response,
        case
            when c.first_human.given_at is not null then h.vendor = c.first_human.vendor and h.tier = c.first_human.tier
            else h.vendor = c.vendor and h.tier = c.tier
        end as gave_first_human_response
    from tier_handled as h
    join conversations as c on c.conversation_id = h.conversation_id
),

tier_units as (
    select
        'vendor_tier_day' as grain,
        c.report_date,
        h.vendor as group_vendor,
        h.tier as group_tier,
        cast(null as varchar) as agent_id,
        h.vendor,
        h.tier,
        cast(null as varchar) as agent_name,
        true as is_credited,
        true as is_handled,
        h.* exclude (conversation_id, vendor, tier, gave_first_response, gave_first_human_response),
        o.n_escalations_ended, o.n_escalations_completed, o.n_promises_kept, o.n_promises_broken,
        c.* exclude (report_date, vendor, tier, agent_id, channel, first_reply_at, deflections, first_responder,
                     first_human)
            replace (
                case when h.gave_first_response then c.first_response_seconds end as first_response_seconds,
                case when h.gave_first_response then c.is_first_response_within_sla end
                    as is_first_response_within_sla,
                case when h.gave_first_human_response then c.first_human_response_seconds end
                    as first_human_response_seconds,
                case when h.gave_first_human_response then c.is_first_human_response_within_sla end
                    as is_first_human_response_within_sla
            )
    from tier_segments as h
    join conversations as c on c.conversation_id = h.conversation_id
    left join outcomes_by_unit as o
        on o.conversation_id = h.conversation_id and o.vendor = h.vendor and o.tier = h.tier
        and o.is_agent_view = 0 and o.is_vendor_view = 0
),

unanswered_units as (
    select
        'vendor_tier_day' as grain,
        c.report_date,
        c.vendor as group_vendor,
        c.tier as group_tier,
        cast(null as varchar) as agent_id,
        c.vendor,
        c.tier,
        cast(null as varchar) as agent_name,
        true as is_credited,
        false as is_handled,
        b.*,
        0 as n_escalations_ended, 0 as n_escalations_completed, 0 as n_promises_kept, 0 as n_promises_broken,
        c.* exclude (report_date, vendor, tier, agent_id, channel, first_reply_at, deflections, first_responder,
                     first_human)
    from conversations as c
    cross join no_behaviour as b
    where c.first_reply_at is null
),

party_units as (
    select
        case when o.is_vendor_view = 1 then 'vendor' else 'vendor_tier_day' end as grain,
        case when o.is_vendor_view = 0 then c.report_date end as report_date,
        o.vendor as group_vendor,
        o.tier as group_tier,
        cast(null as varchar) as agent_id,
        o.vendor,
        o.tier,
        cast(null as varchar) as agent_name,
        false as is_credited,
        false as is_handled,
        b.*,
        o.n_escalations_ended, o.n_escalations_completed, o.n_promises_kept, o.n_promises_broken,
        c.* exclude (report_date, vendor, tier, agent_id, channel, first_reply_at, deflections, first_responder,
                     first_human)
    from outcomes_by_unit as o
    join conversations as c on c.conversation_id = o.conversation_id
    cross join no_behaviour as b
    where o.is_agent_view = 0
        and case
            when o.is_vendor_view = 1 then o.vendor is distinct from c.vendor
            else not exists (
                select 1 from tier_handled as h
                where h.conversation_id = o.conversation_id and h.vendor = o.vendor and h.tier = o.tier
            )
        end
),

agent_units as (
    select
        'agent_day' as grain,
        c.report_date,
        cast(null as varchar) as group_vendor,
        cast(null as varchar) as group_tier,
        h.agent_id,
        h.last_written.vendor as vendor,
        h.last_written.tier as tier,
        h.last_written.agent_name as agent_name,
        h.agent_id = c.agent_id as is_credited,
        true as is_handled,
        h.* exclude (conversation_id, agent_id, last_written),
        o.n_escalations_ended, o.n_escalations_completed, o.n_promises_kept, o.n_promises_broken,
        c.* exclude (report_date, vendor, tier, agent_id, channel, first_reply_at, deflections, first_responder,
                     first_human)
    from agent_handled as h
    join conversations as c on c.conversation_id = h.conversation_id
    left join outcomes_by_unit as o
        on o.conversation_id = h.conversation_id and o.agent_id = h.agent_id and o.is_agent_view = 1
),

-- Units that take whole conversations (vendor, channel): the conversation's behaviour, whoever wrote it.
whole_conversations as (
    select
        true as is_credited,
        c.first_reply_at is not null as is_handled,
        cast(null as bigint) as count_unit_messages,
        cast(null as bigint) as count_unit_templated,
        c.deflections.coupon_appeasement as has_coupon_appeasement,
        c.deflections.callback_promise as has_callback_promise,
        c.deflections.agents_busy as has_agents_busy,
        c.deflections.bot_transfer_block as has_bot_transfer_block,
        c.deflections.self_service_redirect as has_self_service_redirect,
        c.deflections.canned_repetition as has_canned_repetition,
        c.deflections.apology_loop as has_apology_loop,
        c.has_deflection as has_unit_deflection,
        c.* exclude (first_reply_at, deflections, first_responder, first_human)
    from conversations as c
),

vendor_units as (
    select
        'vendor' as grain,
        cast(null as date) as report_date,
        w.vendor as group_vendor,
        cast(null as varchar) as group_tier,
        cast(null as varchar) as agent_id,
        w.vendor,
        cast(null as varchar) as tier,
        cast(null as varchar) as agent_name,
        o.n_escalations_ended, o.n_escalations_completed, o.n_promises_kept, o.n_promises_broken,
        w.* exclude (report_date, vendor, tier, agent_id, channel)
    from whole_conversations as w
    left join outcomes_by_unit as o
        on o.conversation_id = w.conversation_id and o.vendor = w.vendor
        and o.is_agent_view = 0 and o.is_vendor_view = 1
),

channel_units as (
    select
        'channel_day' as grain,
        w.report_date,
        cast(null as varchar) as group_vendor,
        cast(null as varchar) as group_tier,
        cast(null as varchar) as agent_id,
        coalesce(w.channel, 'unknown') as group_channel,
        cast(null as varchar) as vendor,
        cast(null as varchar) as tier,
        cast(null as varchar) as agent_name,
        o.n_escalations_ended, o.n_escalations_completed, o.n_promises_kept, o.n_promises_broken,
        w.* exclude (report_date, vendor, tier, agent_id, channel)
    from whole_conversations as w
    left join outcomes_by_unit as o on o.conversation_id = w.conversation_id and o.is_conversation_view
),

final as (
    select * from tier_units
    union all by name
    select * from unanswered_units
    union all by name
    select * from party_units
    union all by name
    select * from agent_units
    union all by name
    select * replace ('agent' as grain, cast(null as date) as report_date) from agent_units
    union all by name
    select * from vendor_units
    union all by name
    select * from channel_units
)

select * from final
