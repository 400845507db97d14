{{ config(indexes=[{'columns': ['attempt_id', 'state'], 'unique': True}]) }}

-- Which state's law applies? One row per (attempt, candidate state): the
-- address state and the states of the called number's area code (Florida,
-- Oklahoma and Connecticut presume that a call to one of their area codes
-- reaches a resident: Fla. Stat. 501.059; 15 O.S. 775C.4; Conn. P.A. 23-98).
-- Territories (PR, GU, ...) and Canadian provinces count as candidates too: no
-- state rule names them, but they make a state rule's verdict `possible`.
--   evidence           sorted text[]: address, area_code
--   candidate_states   how many states the attempt has (a state rule is
--                      `definite` only when its state is the only one)
-- An attempt with no state evidence (seed lead without a usable state and a
-- toll-free number) has no rows: state rules do not apply to it.
-- The states come once per location key (int_location_candidates): an
-- attempt meets its key in one hash probe and unnests its states.
select a.attempt_id, s.state, string_to_array(s.evidence, ' ') as evidence, k.candidate_states
from {{ ref('stg_contact_attempts') }} as a
inner join {{ ref('stg_leads') }} as l on l.lead_id = a.lead_id
inner join {{ ref('int_location_candidates') }} as k on k.zone_key = {{ attempt_zone_key('a', 'l') }}
cross join lateral unnest(k.candidate_state_codes, k.state_evidence_kinds) as s(state, evidence)
where {{ changed_persons_filter('a.attempt_id') }}
