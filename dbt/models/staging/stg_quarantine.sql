-- Every raw row refused by staging, both formats, with the file it came from,
-- its line, the record as received and the reason: one row per distinct
-- refused record (its older identical copies are superseded, raw_rows.sql);
-- row_hash is the record's identity, so quarantine_id is stable across builds.
{% set models = [
    ('seed', 'base_seed__leads'), ('seed', 'base_seed__contact_attempts'),
    ('seed', 'base_seed__conversions'), ('seed', 'base_seed__dnc'),
    ('native', 'base_native__ads'), ('native', 'base_native__leads'),
    ('native', 'base_native__contact_attempts'), ('native', 'base_native__consents'),
    ('native', 'base_native__opt_outs'), ('native', 'base_native__dnc_entries'),
    ('native', 'base_native__dnc_list_versions'), ('native', 'base_native__conversions'),
] %}
{% for file_format, model in models %}
select
    md5('{{ model }}:' || row_hash) as quarantine_id,
    '{{ file_format }}'::text as file_format,
    source_file,
    line_number,
    load_id,
    row_hash,
    record,
    rejection_reason as reason,
    rejection_codes as reason_codes
from {{ ref(model) }}
where status = 'quarantined'
{% if not loop.last %}union all{% endif %}
{% endfor %}
