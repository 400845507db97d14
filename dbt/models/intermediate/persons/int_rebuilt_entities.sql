-- The entities (base-model rows: '<base model>:<batch key>', macro entity in
-- changed_persons.sql) that this incremental build recomputed: the base
-- models' rows built by this dbt invocation (build_id). A base model without
-- a key rebuilds all its rows every time: its one entity '<base model>:' is
-- always here. Empty in a full build (every entity is built). Read by
-- int_person_keys, int_changed_attempts and, at publish, by the pipeline
-- (compliance/pipeline/build_plan.py, keep_person_keys), which replaces
-- these entities' keys in person_keys_built.
{% set base_models = [
    'base_seed__leads', 'base_seed__contact_attempts', 'base_seed__conversions', 'base_seed__dnc',
    'base_native__leads', 'base_native__contact_attempts', 'base_native__consents', 'base_native__opt_outs',
    'base_native__conversions', 'base_native__dnc_entries', 'base_native__dnc_list_versions',
] %}
{% for model in base_models %}
select distinct {{ entity(model) }}
from {{ ref(model) }}
where {{ 'false' if not person_keys_incremental() else "build_id = '" ~ invocation_id ~ "'" }}
{% if not loop.last %}union all{% endif %}
{% endfor %}
