{{ config(indexes=[{'columns': ['attempt_id', 'state'], 'unique': True}], post_hook='analyze {{ this }}') }}

-- Which state's law applies? One row per (attempt, candidate state),
-- docs/rules.md#zones-and-states: S = {address state} ∪ {states of the called number's
-- area code} (reference.area_code_zones, generated from phonenumbers).
-- Florida, Oklahoma and Connecticut presume that a call to one of their area
-- codes reaches a resident (Fla. Stat. 501.059; 15 O.S. 775C.4; Conn. P.A.
-- 23-98), so an area code always brings its state in, whatever the address.
-- Territories (PR, GU, ...) and Canadian provinces count as candidates too: no
-- state rule names them, but they make a state rule's verdict `possible`.
--   evidence           sorted text[]: address, area_code
--   candidate_states   how many states the attempt has (a state rule is
--                      `definite` only when its state is the only one)
-- An attempt with no state evidence (seed lead without a usable state and a
-- toll-free number) has no rows: state rules do not apply to it.
-- The states are a function of (address state, area code) alone: they are
-- computed once per distinct pair (state_key, a text[]: its equality holds
-- NULLs equal, and it hashes), in one row per key: its states and, in the
-- same order, each state's sorted evidence as one space-separated string (the
-- kinds are single words), so that an attempt meets its key in one hash probe
-- and unnests it, instead of every attempt's evidence being grouped and counted.
-- `attempts` (narrow) is materialized: read twice (its distinct keys, its
-- rows), its join and key computed once.
with attempts as materialized (
    select a.attempt_id, array[l.address_state, substr(a.to_phone_e164, 3, 3)] as state_key
    from {{ ref('stg_contact_attempts') }} as a
    inner join {{ ref('stg_leads') }} as l on l.lead_id = a.lead_id
    where {{ changed_persons_filter('a.attempt_id') }}
),

state_keys as (
    select state_key, state_key[1] as address_state, state_key[2] as npa
    from (select distinct state_key from attempts) as distinct_keys
),

evidence as (
    select state_key, address_state as state, 'address' as evidence
    from state_keys
    where address_state is not null

    union all
    select k.state_key, npa_state.code, 'area_code'
    from state_keys as k
    inner join {{ ref('area_code_zones') }} as c on c.npa = k.npa
    cross join lateral unnest(string_to_array(nullif(c.states, ''), ' ')) as npa_state(code)
),

key_states as (
    select state_key, array_agg(state) as states, array_agg(evidence) as evidence, count(*) as candidate_states
    from (
        select state_key, state, array_to_string(array_agg(distinct evidence order by evidence), ' ') as evidence
        from evidence
        group by state_key, state
    ) as per_state
    group by state_key
)

select a.attempt_id, s.state, string_to_array(s.evidence, ' ') as evidence, k.candidate_states
from attempts as a
inner join key_states as k on k.state_key = a.state_key
cross join lateral unnest(k.states, k.evidence) as s(state, evidence)
