-- One row per violation: the rule models unioned and labelled. The mart adds
-- no rule logic of its own; severity and citation come from the
-- violation_rules seed (`possible_severity` for rows whose certainty is
-- `possible`: contact-rules.md §8.2, S3 Medium).
{% set rules = [
    'outside_allowed_hours',
    'too_many_attempts_per_day',
    'attempt_after_opt_out',
    'dnc_match',
    'no_consent',
] %}
with violations as (
    {% for rule in rules %}
    select '{{ rule }}'::text as violation_type, attempt_id, violation_key, certainty, deciding_zones, details
    from {{ ref('int_violations__' ~ rule) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select
    md5(v.violation_type || ':' || v.violation_key) as violation_id,
    v.violation_type,
    case when v.certainty = 'possible' then r.possible_severity else r.severity end as severity,
    v.certainty,
    r.rule_citation,
    a.lead_id,
    a.attempt_id,
    a.campaign_id,
    a.channel,
    a.attempt_ts,
    a.attempt_ts_local,
    a.local_timezone,
    a.local_date,
    a.attempts_on_local_day::integer as attempts_on_local_day,
    a.candidate_zones,
    coalesce(v.deciding_zones, array[]::text[]) as deciding_zones,
    a.zone_evidence,
    a.source_format,
    v.details || ' Rule: ' || r.rule_citation || '.' as details
from violations as v
inner join {{ ref('int_contact_attempts_localized') }} as a on a.attempt_id = v.attempt_id
inner join {{ ref('violation_rules') }} as r on r.violation_type = v.violation_type
