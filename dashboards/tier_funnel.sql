-- Where conversations went after each tier. A conversation "reached" a tier when the tier is on its
-- escalation_path; it "moved up" when a higher tier follows anywhere later on the path.
with paths as (
  select
    string_split(coalesce(escalation_path, case when is_human_handled then tier else 'bot' end), '>') as tiers,
    is_bot_contained
  from marts.conversations
),
ranked as (
  select
    tiers,
    is_bot_contained,
    list_max(list_transform(tiers, lambda t: list_position(['bot', 'L1', 'L2', 'L3'], t))) as highest
  from paths
),
stages as (
  select * from (values (1, 'bot'), (2, 'L1'), (3, 'L2'), (4, 'L3')) as s(stage_order, tier)
),
outcomes as (
  select
    s.stage_order,
    s.tier,
    case
      when r.highest > s.stage_order and s.tier = 'bot' then 'transferred to a human'
      when r.highest > s.stage_order then 'escalated to a higher tier'
      when s.tier = 'bot' and r.is_bot_contained then 'contained by the bot'
      when s.tier = 'bot' and r.is_bot_contained = false then 'bot only, customer came back within 24 h'
      when s.tier = 'bot' then 'bot only, 24 h window still open'
      else 'ended at this tier'
    end as outcome
  from ranked r
  join stages s on list_contains(r.tiers, s.tier)
),
counted as (
  select stage_order, tier, outcome, count(*) as count
  from outcomes
  group by stage_order, tier, outcome
),
totals as (
  select
    *,
    sum(count) over (partition by tier) as reached,
    (select count(*) from marts.conversations) as all_conversations
  from counted
)
select
  stage_order,
  tier,
  outcome,
  case outcome
    when 'contained by the bot' then 1
    when 'bot only, customer came back within 24 h' then 2
    when 'bot only, 24 h window still open' then 3
    when 'ended at this tier' then 4
    when 'transferred to a human' then 5
    else 6
  end as outcome_order,
  cast(count as bigint) as count,
  cast(reached as bigint) as reached,
  round(count / reached, 4) as share_of_tier,
  'reached: ' || cast(reached as bigint) || ' (' || cast(round(100 * reached / all_conversations, 1) as varchar) || ' % of all)' as reached_label,
  row_number() over (partition by tier order by outcome) = 1 as is_label_row
from totals
order by stage_order, outcome_order
