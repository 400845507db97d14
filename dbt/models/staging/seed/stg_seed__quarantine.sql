-- Rows refused by staging, one per raw row, with the reason.
{% set files = [
    ('leads.csv', 'base_seed__leads'),
    ('contact_attempts.csv', 'base_seed__contact_attempts'),
    ('conversions.csv', 'base_seed__conversions'),
    ('dnc.csv', 'base_seed__dnc'),
] %}
{% for file_name, model in files %}
select
    md5('{{ file_name }}:' || row_hash) as quarantine_id,
    '{{ file_name }}'::text as source_file,
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
