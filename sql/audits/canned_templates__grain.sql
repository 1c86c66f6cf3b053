-- Audit: marts.canned_templates holds one row per (template_id); returns every key that is duplicated or missing.
-- Depends on: marts.canned_templates
select template_id, count(*) as count_rows
from marts.canned_templates
group by template_id
having count(*) > 1 or bool_or(template_id is null)
