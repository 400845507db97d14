{{ incremental_by_entity() }}
-- One row per registry download a DNC scrub used (native format only).
select list_name, obtained_at, {{ entity('base_native__dnc_list_versions', 'null') }}
from {{ ref('base_native__dnc_list_versions') }}
where status = 'valid' and {{ rebuilt_rows('build_id') }}
