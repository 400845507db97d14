-- Opt-out / revocation (rule OPT-FED-1), 47 CFR 64.1200(a)(10)-(11) and (d)(3): an attempt at
-- or after an opt-out that covers it: the same lead, number (phone hash) or
-- email, and a channel scope of the attempt's channel or `all`. One row per
-- attempt, naming the earliest such opt-out. (Grace periods come with the
-- rule catalog.)
with matched as (
    select distinct on (a.attempt_id)
        a.attempt_id,
        r.rule_id,
        a.channel,
        a.attempt_ts,
        o.opt_out_id,
        o.requested_at,
        o.channel_scope
    from {{ ref('int_contact_attempts_localized') }} as a
    inner join {{ catalog_rules('attempt_after_opt_out') }} as r on {{ rule_applies('r', 'a') }}
    inner join {{ ref('stg_opt_outs') }} as o
        on (o.lead_id = a.lead_id or o.phone_hash = a.to_phone_hash or o.email = a.email)
       and o.channel_scope in (a.channel, 'all')
       and a.attempt_ts >= o.requested_at
    order by a.attempt_id, o.requested_at, o.opt_out_id, r.rule_id
)

select
    attempt_id,
    attempt_id as violation_key,
    rule_id,
    'definite'::text as certainty,
    null::text[] as deciding_zones,
    format(
        '%s attempt at %s UTC, at or after the opt-out at %s UTC (scope: %s).',
        {{ channel_label('channel') }},
        (attempt_ts at time zone 'UTC')::text,
        (requested_at at time zone 'UTC')::text,
        channel_scope
    ) as details
from matched
