-- Audit: the vendor league and the channel marts each count every conversation exactly once (attribution and
-- channel are partitions of contacts).
-- Depends on: marts.conversations, intermediate.int_kpis__aggregated
with

counts as (
    select
        (select count(*) from marts.conversations) as count_conversations,
        (select coalesce(sum(count_conversations), 0) from intermediate.int_kpis__aggregated where grain = 'vendor')
            as count_attributed,
        (select coalesce(sum(count_conversations), 0) from intermediate.int_kpis__aggregated where grain = 'channel_day')
            as count_by_channel
)

select * from counts
where count_conversations <> count_attributed or count_conversations <> count_by_channel
