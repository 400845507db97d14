-- The person keys of every staged row the rules read (in an incremental
-- build: of the staged rows of the entities it rebuilt, int_rebuilt_entities),
-- one row per (row, key):
--   entity      the base-model row the staged row comes from (macro entity)
--   row_digest  128 bits (32 hex digits) identifying the whole row and its
--               staging model: a row that changes in any column is another
--               row. Two seeded 64-bit hash_record_extended values, each
--               XORed with the model name's hash: the columns are hashed as
--               stored (no text conversion, so no dependence on the session's
--               TimeZone or DateStyle), ten times faster than md5(row::text).
--               Values equal under their type's equality hash alike (a
--               numeric 1.0 and 1.00): no rule reads a numeric's scale.
--   attempt_id  the row's attempt (contact attempts only)
--   hub         the row's first key: its lead, else its number, else its email
--   node        one key of the row: lead:<lead_id>, phone:<phone hash>,
--               email:<email>, or list:<DNC list> for DNC entries and list
--               versions (never a person: see int_changed_attempts)
-- What links rows into one person's history (the rule models'
-- cross-lead reads): a number (DNC entries, opt-outs by phone, the internal
-- list, calls to the number within 12 months), an email (opt-outs by email),
-- and an opt-out naming several of them. Leads, attempts, opt-outs, consents,
-- conversions and DNC entries and versions are read; stg_ads and
-- stg_quarantine feed no rule. The pipeline keeps these keys in
-- person_keys_built after each successful build (build_plan.py: the whole
-- table after a full build; the rebuilt entities' keys replaced after an
-- incremental one): the next incremental build compares with them.
{% set keyed_rows = [
    ('stg_leads', 'null', "'lead:' || t.lead_id", "'phone:' || t.phone_hash", "'email:' || t.email", 'null'),
    ('stg_contact_attempts', 't.attempt_id', "'lead:' || t.lead_id", "'phone:' || t.to_phone_hash", 'null', 'null'),
    ('stg_opt_outs', 'null', "'lead:' || t.lead_id", "'phone:' || t.phone_hash", "'email:' || t.email", 'null'),
    ('stg_consents', 'null', "'lead:' || t.lead_id", 'null', 'null', 'null'),
    ('stg_conversions', 'null', "'lead:' || t.lead_id", 'null', 'null', 'null'),
    ('stg_dnc_entries', 'null', 'null', "'phone:' || t.phone_hash", 'null', "'list:' || t.list_name"),
    ('stg_dnc_list_versions', 'null', 'null', 'null', 'null', "'list:' || t.list_name"),
] %}
{% set rebuilt, incremental = ref('int_rebuilt_entities'), person_keys_incremental() %}
{% for model, attempt_id, lead, phone, email, list in keyed_rows %}
select k.entity, k.row_digest, k.attempt_id, coalesce(k.lead, k.phone, k.email, k.list) as hub, node.node
from (
    select lpad(to_hex(hash_record_extended(t, 0) # hashtextextended('{{ model }}', 0)), 16, '0')
           || lpad(to_hex(hash_record_extended(t, 1) # hashtextextended('{{ model }}', 1)), 16, '0') as row_digest,
           {{ attempt_id }}::text as attempt_id,
           {{ lead }}::text as lead, {{ phone }}::text as phone, {{ email }}::text as email, {{ list }}::text as list,
           t.entity
    from {{ ref(model) }} as t
    {%- if incremental %}
    where t.entity in (select rebuilt.entity from {{ rebuilt }} as rebuilt)
    {%- endif %}
) as k
cross join lateral (values (k.lead), (k.phone), (k.email), (k.list)) as node(node)
where node.node is not null
{% if not loop.last %}union all{% endif %}
{% endfor %}
