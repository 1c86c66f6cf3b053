-- Purpose: customer sentiment around each deflection: mean of the (up to) two scored customer messages
-- after it minus the (up to) two before it, averaged per conversation.
-- Grain: one row per conversation with at least one measurable deflection. Key: conversation_id.
-- Depends on: intermediate.int_messages__segmented
-- Why ranks: numbering scored customer messages lets "two before / two after" be one equi-join on
-- (conversation_id, rank) instead of a range self-join; only conversations with a deflection are scanned.
-- A deflection with no scored customer message on one side is not measurable and is skipped.
-- Read once, by int_conversations__resolved: storing it would only add a write.
-- materialized: view
with

-- Not materialized: scanned twice (deflections, customer scores); a copy of every message costs more than two scans.
messages as not materialized (
    select conversation_id, seq, is_customer, sentiment_score, count_scored_customer_so_far, has_deflection
    from intermediate.int_messages__segmented
),

deflections as (
    select conversation_id, seq, count_scored_customer_so_far as customer_rank
    from messages
    where has_deflection
),

customer_scores as (
    select
        conversation_id,
        count_scored_customer_so_far as customer_rank,
        avg(sentiment_score) over (
            partition by conversation_id order by count_scored_customer_so_far
            rows between 1 preceding and current row
        ) as mean_this_and_previous,
        -- Ranks are consecutive, so the next two scored messages are the two after a deflection at this rank.
        avg(sentiment_score) over (
            partition by conversation_id order by count_scored_customer_so_far
            rows between 1 following and 2 following
        ) as mean_next_two
    from messages
    where is_customer and sentiment_score is not null
        and conversation_id in (select conversation_id from deflections)
),

-- One join: with "before" and "after" as two joins the planner joined them on conversation_id first (27M
-- rows at 1M conversations, 8 s).
shifts as (
    select
        d.conversation_id,
        d.seq,
        s.mean_next_two - s.mean_this_and_previous as sentiment_shift
    from deflections as d
    join customer_scores as s
        on s.conversation_id = d.conversation_id and s.customer_rank = d.customer_rank
    where s.mean_next_two is not null
),

final as (
    select
        conversation_id,
        -- Rounded for run-to-run identity; + 0.0 turns a rounded -0.0 (its sign depends on summation order) into 0.0.
        round(avg(sentiment_shift), 9) + 0.0 as sentiment_change_after_deflection,
        count(*) as count_measured_deflections
    from shifts
    group by conversation_id
)

select * from final
