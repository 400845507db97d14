-- Every raw row refused by staging, both formats, with the file it came from,
-- its line, the record as received and the reason: one row per distinct
-- refused record (its older identical copies are superseded, raw_rows.sql);
-- row_hash is the record's identity, so quarantine_id is stable across builds.
-- The record as received (jsonb, the file's columns) is built here, from the
-- raw row the base model judged (its load, file and line), for the refused
-- rows only.
{% set models = base_models() %}
{% for file_format, model in models %}
{% set raw_table = source(file_format, file_format ~ '_' ~ model.split('__')[1]) %}
select
    md5('{{ model }}:' || b.row_hash) as quarantine_id,
    '{{ file_format }}'::text as file_format,
    b.source_file,
    b.line_number,
    b.load_id,
    b.row_hash,
    {{ received_record('r', raw_table) }} as record,
    b.rejection_reason as reason,
    b.rejection_codes as reason_codes
from {{ ref(model) }} as b
inner join {{ raw_table }} as r
    on r._load_id = b.load_id and r._file_name = b.source_file and r._line_number = b.line_number
where b.status = 'quarantined'
{% if not loop.last %}union all{% endif %}
{% endfor %}
