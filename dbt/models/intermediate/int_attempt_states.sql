{{ config(indexes=[{'columns': ['attempt_id', 'state'], 'unique': True}], post_hook='analyze {{ this }}') }}

-- Which state's law applies? One row per (attempt, candidate state),
-- contact-rules.md §0.3: S = {address state} ∪ {states of the called number's
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
with attempts as (
    select a.attempt_id, a.to_phone_e164, l.address_state
    from {{ ref('stg_contact_attempts') }} as a
    inner join {{ ref('stg_leads') }} as l on l.lead_id = a.lead_id
    where {{ changed_persons_filter('a.attempt_id') }}
),

evidence as (
    select attempt_id, address_state as state, 'address' as evidence
    from attempts
    where address_state is not null

    union all
    select a.attempt_id, npa_state.code, 'area_code'
    from attempts as a
    inner join {{ ref('area_code_zones') }} as c on c.npa = substr(a.to_phone_e164, 3, 3)
    cross join lateral unnest(string_to_array(nullif(c.states, ''), ' ')) as npa_state(code)
),

per_state as (
    select attempt_id, state, array_agg(distinct evidence order by evidence) as evidence
    from evidence
    group by attempt_id, state
)

select
    attempt_id,
    state,
    evidence,
    count(*) over (partition by attempt_id) as candidate_states
from per_state
