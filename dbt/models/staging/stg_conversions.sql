{{ config(indexes=[{'columns': ['lead_id']}]) }}
{{ incremental_by_entity() }}

-- One row per valid conversion, both formats. `kind`: purchase, inquiry or
-- application (native); the seed's conversion_type as written, lowercased.
-- `revenue` is numeric USD.
select conversion_id, 'seed'::text as source_format, lead_id, lower(kind) as kind,
       occurred_at, revenue, {{ entity('base_seed__conversions') }}
from {{ ref('base_seed__conversions') }}
where status = 'valid' and {{ rebuilt_rows('build_id') }}

union all

select conversion_id, 'native', lead_id, kind, occurred_at, revenue, {{ entity('base_native__conversions') }}
from {{ ref('base_native__conversions') }}
where status = 'valid' and {{ rebuilt_rows('build_id') }}
