-- Audit: the vendor league counts every conversation exactly once (attribution is a partition of contacts).
-- Depends on: marts.conversations, intermediate.int_kpis__aggregated
select
    (select count(*) from marts.conversations) as count_conversations,
    (select coalesce(sum(count_conversations), 0) from intermediate.int_kpis__aggregated where grain = 'vendor')
        as count_attributed
where count_conversations <> count_attributed
