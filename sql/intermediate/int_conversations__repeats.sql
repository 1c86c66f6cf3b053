-- Purpose: the next contact that can break FCR or containment (same customer; same intent when both
-- intents are known), and the next contact on the same order or ticket (a reopen).
-- Grain: one row per conversation. Key: conversation_id.
-- Depends on: intermediate.int_conversations__attributed
-- Why windows: lead() over the customer's contacts ordered by start finds the next contact without a
-- self-join; a repeat on a different known intent is skipped by looking within (customer, intent) and at
-- the next contact whose intent is unknown.
-- Read once, by int_conversations__resolved: storing it would only add a write.
-- materialized: view
with

conversations as (
    select conversation_id, customer_id, intent, order_id, ticket_id, started_at
    from intermediate.int_conversations__attributed
),

ordered as (
    select
        conversation_id,
        customer_id,
        intent,
        order_id,
        ticket_id,
        lead(started_at) over (partition by customer_id order by started_at, conversation_id)
            as next_any_started_at,
        lead(started_at) over (partition by customer_id, intent order by started_at, conversation_id)
            as next_same_intent_started_at,
        min(case when intent is null then started_at end) over (
            partition by customer_id order by started_at, conversation_id
            rows between 1 following and unbounded following
        ) as next_unknown_intent_started_at,
        lead(started_at) over (partition by order_id order by started_at, conversation_id)
            as next_same_order_started_at,
        lead(started_at) over (partition by ticket_id order by started_at, conversation_id)
            as next_same_ticket_started_at
    from conversations
),

final as (
    select
        conversation_id,
        case
            when customer_id is null then null
            when intent is null then next_any_started_at
            else least(next_same_intent_started_at, next_unknown_intent_started_at)
        end as repeat_contact_at,
        least(
            case when order_id is not null then next_same_order_started_at end,
            case when ticket_id is not null then next_same_ticket_started_at end
        ) as same_case_contact_at
    from ordered
)

select * from final
