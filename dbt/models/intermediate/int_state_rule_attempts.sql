-- The state rules an attempt meets: one row per (attempt, state rule) where
-- the rule's state (its jurisdiction, a USPS code) is a candidate state of
-- the attempt (int_attempt_states: address state, area-code states; the FL,
-- OK and CT area-code presumptions, Fla. Stat. 501.059, 15 O.S. 775C.4,
-- Conn. P.A. 23-98) and the attempt is in the rule's scope (channel,
-- purpose, effective dates: rule_applies). Read by the models of the
-- families that have state rules: int_violations__outside_allowed_hours
-- (QH-<state>-1), int_violations__restricted_day (RD-<state>-1) and
-- int_violations__rolling_caps (CAP-FL-1, CAP-OK-1, CAP-MD-1, CAP-MA-1).
-- Columns: the attempt's (attempt_id, lead_id, channel, attempt_ts,
-- source_format, consent_flag, subject, debt_id, candidate_zone_count), the
-- rule's (rule_id, violation_type, state_scope, params: jsonb) and the
-- attempt's state evidence (candidate_states, state_evidence: sorted text[]).
-- The states meet the rules first, on the state, behind a fence (offset 0):
-- otherwise the planner, which cannot tell how many attempts an unnested
-- (channel, purpose) scope matches, pairs every attempt with every rule of
-- the family first (6.5 million pairs at 0.4M attempts, for 0.1M that apply).
select
    a.attempt_id,
    a.lead_id,
    a.channel,
    a.attempt_ts,
    a.source_format,
    a.consent_flag,
    a.subject,
    a.debt_id,
    cardinality(a.candidate_zones) as candidate_zone_count,
    r.rule_id,
    r.violation_type,
    r.state_scope,
    r.params,
    r.candidate_states,
    r.state_evidence
from (
    select r.*, s.attempt_id, s.candidate_states, s.evidence as state_evidence
    from {{ ref('int_attempt_states') }} as s
    inner join {{ catalog_rules() }} as r on {{ state_rule_scope('r', 's') }}
    where {{ changed_persons_filter('s.attempt_id') }}
    offset 0
) as r
inner join {{ ref('int_contact_attempts_localized') }} as a
    on a.attempt_id = r.attempt_id and {{ rule_applies('r', 'a') }}
