-- The entities (base-model rows: '<base model>:<batch key>', macro entity in
-- changed_persons.sql) that this incremental build recomputed: the base
-- models' rows built by this dbt invocation (build_id). A base model without
-- a key rebuilds all its rows every time: its one entity '<base model>:' is
-- always here (ads too: they have no person keys, nothing reads theirs).
-- Empty in a full build (every entity is built). Read by the staged models
-- by entity (incremental_by_entity: whatever the kept person keys, their
-- rows of these entities are replaced), int_person_keys,
-- int_changed_attempts and, at publish, by the pipeline
-- (compliance/pipeline/build_plan.py, keep_person_keys), which replaces
-- these entities' keys in person_keys_built.
{% for file_format, model in base_models() %}
select distinct {{ entity(model) }}
from {{ ref(model) }}
where {{ 'false' if flags.FULL_REFRESH else "build_id = '" ~ invocation_id ~ "'" }}
{% if not loop.last %}union all{% endif %}
{% endfor %}
