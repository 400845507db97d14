-- Every attempt an incremental build recomputes, one row per attempt_id: the
-- attempts, before or after, of every person a change since the last
-- successful build touched. Empty in a full build (--full-refresh).
--
-- Changed rows: the staged rows of the entities this build rebuilt
-- (int_rebuilt_entities: the base-model rows built from newly loaded raw
-- rows, or that name a lead or id that was) whose person keys differ between
-- int_person_keys (now) and person_keys_built (the last successful build),
-- i.e. rows added, removed or changed in any column (a new load, a late row,
-- a reload that makes an old version current again, a lead quarantined); a
-- rebuilt row that did not change (a file sent again) changes nothing. Their
-- keys seed the person set; a changed DNC list version seeds every number on
-- its list (the safe harbor of each attempt to it depends on the versions).
-- A person is a connected component of the keys (lead, number, email) that
-- staged rows link, before or after the change: every rule reads one
-- attempt's lead and the other rows of its lead, its number or its email
-- (windows by lead, by number, by opt-out), so an attempt outside the
-- components of the changed rows reads exactly what it read in the last
-- build and keeps its rows. The links of the last build are kept, counted,
-- in person_links_built; the rebuilt rows add theirs. Without the kept
-- tables every attempt is changed: a full recompute, never a stale row.
-- The planner cannot estimate a recursion's rows: its guesses (billions)
-- make PostgreSQL JIT-compile the query, which then costs more than running
-- it, and sort all the links once per step of the recursion for a merge join
-- (a hash of the step's few new keys probed by the links is far cheaper).
{{ config(pre_hook=["set local jit = off", "set local enable_mergejoin = off",
                    "set local max_parallel_workers_per_gather = 0"]) }}
{% set rebuilt_entities, person_keys = ref('int_rebuilt_entities'), ref('int_person_keys') %}
{% set keys_built = built_person_relation('person_keys_built') %}
{% set links_built = built_person_relation('person_links_built') %}
{% if flags.FULL_REFRESH %}
select null::text as attempt_id where false
{% elif not person_keys_incremental() %}
select distinct attempt_id from {{ person_keys }} where attempt_id is not null
{% else %}
with rebuilt_keys as (
    select * from {{ person_keys }}
),

-- The keys the rebuilt entities had (one scan of the kept keys).
previous_keys as materialized (
    select k.*
    from {{ keys_built }} as k
    where k.entity in (select rebuilt.entity from {{ rebuilt_entities }} as rebuilt)
),

-- Rows counted with their multiplicity: a digest whose count differs between
-- the two builds is a row added or removed (a duplicate row gained or lost is
-- a change too). One hash aggregate of a signed count.
changed_rows as (
    select row_digest
    from (
        select row_digest, 1 as side from rebuilt_keys
        union all
        select row_digest, -1 as side from previous_keys
    ) as sides
    group by row_digest
    having sum(side) <> 0
),

changed_nodes as (
    select k.node, k.hub
    from (select node, hub, row_digest from rebuilt_keys union all select node, hub, row_digest from previous_keys) as k
    where k.row_digest in (select row_digest from changed_rows)
),

changed_lists as (
    select node from changed_nodes where hub like 'list:%'
),

-- A changed list version (its hub is its list) seeds the numbers on its list;
-- a changed DNC entry seeds its own number only.
seeds as (
    select node from changed_nodes where node not like 'list:%'
    union
    select k.hub
    from (select node, hub from {{ keys_built }} union all select node, hub from rebuilt_keys) as k
    where k.node in (select node from changed_lists) and k.hub not like 'list:%'
),

-- Undirected links between the keys of one row: the last build's (kept,
-- distinct pairs) and the rebuilt rows' (computed once: inlined, the
-- recursion would recompute them at each step).
links as materialized (
    select hub as a, node as b from {{ links_built }}
    union all
    select node, hub from {{ links_built }}
    union all
    select hub, node from rebuilt_keys where node <> hub and node not like 'list:%'
    union all
    select node, hub from rebuilt_keys where node <> hub and node not like 'list:%'
),

person_keys as (
    with recursive reached(node) as (
        select node from seeds
        union
        select links.b from reached inner join links on links.a = reached.node
    )
    select node from reached
)

select distinct k.attempt_id
from (
    select attempt_id, hub from {{ keys_built }} where attempt_id is not null
    union all
    select attempt_id, hub from rebuilt_keys where attempt_id is not null
) as k
where k.hub in (select node from person_keys)
{% endif %}
