-- The most used canned templates (near-duplicate clusters of responder messages).
select
  cast(rank as bigint) as rank,
  template_id,
  cast(rank as bigint) || '. ' || example_text as template_label,
  example_text,
  cast(count_messages as bigint) as count_messages,
  cast(count_conversations as bigint) as count_conversations,
  cast(count_agents as bigint) as count_agents,
  top_agent_id,
  cast(count_agents as bigint) || ' agents · ' || cast(count_messages as bigint) || ' messages' as usage_label
from marts.canned_templates
where rank <= $top_templates
order by rank, template_id
