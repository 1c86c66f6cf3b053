-- Purpose: each canned template's normalised text (personal data redacted, digit runs masked), as csqa score
-- recorded it when the template was founded; never purged, so it stands in for an example whose text was.
-- Grain: one row per template. Key: template_id.
-- Depends on: scores.template_catalog
-- materialized: view
with

source as (
    select * from scores.template_catalog
),

final as (
    select
        template_id,
        example as normalised_text
    from source
)

select * from final
