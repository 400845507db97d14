-- One row per violation: the rule models (int_violations__*) unioned and
-- labelled with their family. The mart adds
-- no rule logic of its own; the rule's statement, citation and severity come
-- from the rule_catalog seed: `default_severity`, or `possible_severity` for a
-- `possible` row (docs/rules.md#severities). A rule whose source is
-- not confident enough (`definite_enabled` false, e.g. confidence A or U)
-- never yields a `definite` row: its rows are `possible`. Exposure (USD,
-- numeric) follows the rule's exposure basis (rule_catalog seed, docs/rules.md#exposure-estimate).
-- `violation_id` is the rule model's (macros/violation_id.sql).
-- An incremental build builds the violations of its changed attempts only
-- (int_changed_attempts): the pipeline replaces theirs in the published mart
-- with these (compliance/pipeline/runs.py, publish_mart_delta).
{% set rule_models = [
    ('outside_allowed_hours', 'int_violations__outside_allowed_hours'),
    ('too_many_attempts_per_day', 'int_violations__too_many_attempts_per_day'),
    ('too_many_attempts_per_day', 'int_violations__rolling_caps'),
    ('attempt_after_opt_out', 'int_violations__attempt_after_opt_out'),
    ('dnc_match', 'int_violations__dnc_match'),
    ('no_consent', 'int_violations__no_consent'),
    ('reg_f_call_frequency', 'int_violations__reg_f_call_frequency'),
    ('restricted_day', 'int_violations__restricted_day'),
] %}
with violations as (
    {% for family, model in rule_models %}
    select '{{ family }}'::text as violation_type, attempt_id, violation_id, rule_id, certainty, deciding_zones,
           detail_identifiers, details
    from {{ ref(model) }}
    where {{ changed_attempts_filter('attempt_id') }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

gated as (
    select
        v.*,
        case when r.definite_enabled then v.certainty else 'possible' end as final_certainty,
        r.statement,
        r.citation,
        r.confidence,
        r.default_severity,
        r.possible_severity,
        r.exposure_min_usd,
        r.exposure_max_usd,
        r.exposure_basis
    from violations as v
    inner join {{ ref('rule_catalog') }} as r on r.rule_id = v.rule_id
)

select
    v.violation_id,
    v.violation_type,
    v.rule_id,
    case when v.final_certainty = 'possible' then v.possible_severity else v.default_severity end as severity,
    v.final_certainty as certainty,
    v.citation as rule_citation,
    v.statement as rule_statement,
    v.confidence as rule_confidence,
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
    {{ gated_exposure('v.exposure_min_usd', 'v.exposure_basis', 'a.calls_to_number_within_12_months') }} as exposure_min_usd,
    {{ gated_exposure('v.exposure_max_usd', 'v.exposure_basis', 'a.calls_to_number_within_12_months') }} as exposure_max_usd,
    v.exposure_basis,
    v.details || ' Rule ' || v.rule_id || ': ' || v.citation || '.' as details,
    -- Every identifier the details name besides lead_id and attempt_id (an
    -- opt-out, consent or debt id, a phone hash's first 12 digits): what is
    -- masked for viewers, exactly (compliance/web/masking.py).
    coalesce(v.detail_identifiers, array[]::text[]) as detail_identifiers
from gated as v
inner join {{ ref('int_contact_attempts_localized') }} as a on a.attempt_id = v.attempt_id
