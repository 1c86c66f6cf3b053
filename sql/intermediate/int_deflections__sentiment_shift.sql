-- Purpose: customer sentiment around each deflection: mean of the (up to) two scored customer messages
-- after it minus the (up to) two before it, averaged per conversation.
-- Grain: one row per conversation with at least one measurable deflection. Key: conversation_id.
-- Depends on: intermediate.int_customer_messages__scored, intermediate.int_responder_messages__scored
-- Why ranks: numbering scored customer messages lets "two before / two after" be one equi-join on
-- (conversation_id, rank) instead of a range self-join; only conversations with a deflection are scanned.
-- A deflection with no scored customer message on one side is not measurable and is skipped.
-- Scratch, though read once: its sorts are the layer's second largest, and as a view they made
-- int_conversations__resolved the slowest conversation model; stored, it costs a narrow write.
-- materialized: scratch
with

deflections as (
    select conversation_id, order_key
    from intermediate.int_responder_messages__scored
    where has_deflection
),

-- The scored customer messages of conversations with a deflection.
scored_customer_messages as (
    select conversation_id, order_key, sentiment_score
    from intermediate.int_customer_messages__scored
    where is_customer and sentiment_score is not null
        and conversation_id in (select conversation_id from deflections)
),

-- Both kinds of message in one sequence.
messages as (
    select conversation_id, order_key, true as is_scored_customer, false as has_deflection, sentiment_score
    from scored_customer_messages
    union all
    select conversation_id, order_key, false, true, null
    from deflections
),

ranked as (
    select
        conversation_id,
        is_scored_customer,
        has_deflection,
        sentiment_score,
        -- How many scored customer messages came up to here (a deflection's rank is that of the last before it).
        count(case when is_scored_customer then 1 end) over (
            partition by conversation_id order by order_key
            rows between unbounded preceding and current row
        ) as customer_rank
    from messages
),

ranked_deflections as (
    select conversation_id, customer_rank
    from ranked
    where has_deflection
),

customer_scores as (
    select
        conversation_id,
        customer_rank,
        avg(sentiment_score) over (
            partition by conversation_id order by customer_rank
            rows between 1 preceding and current row
        ) as mean_this_and_previous,
        -- Ranks are consecutive, so the next two scored messages are the two after a deflection at this rank.
        avg(sentiment_score) over (
            partition by conversation_id order by customer_rank
            rows between 1 following and 2 following
        ) as mean_next_two
    from ranked
    where is_scored_customer
),

shifts as (
    select
        d.conversation_id,
        s.mean_next_two - s.mean_this_and_previous as sentiment_shift
    from ranked_deflections as d
    join customer_scores as s
        on s.conversation_id = d.conversation_id and s.customer_rank = d.customer_rank
    where s.mean_next_two is not null
),

final as (
    select
        conversation_id,
        -- stable_mean: the same on every run, whatever order the threads add in.
        stable_mean(sentiment_shift) as sentiment_change_after_deflection,
        count(*) as count_measured_deflections
    from shifts
    group by conversation_id
)

select * from final
