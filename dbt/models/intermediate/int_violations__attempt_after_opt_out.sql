-- Opt-out / revocation (rule OPT-FED-1), 47 CFR 64.1200(a)(10)-(11) and (d)(3): an attempt at
-- or after an opt-out that covers it: the same lead, number (phone hash) or
-- email, and a channel scope of the attempt's channel or `all`. One row per
-- attempt, naming the earliest such opt-out. (Grace periods come with the
-- rule catalog.)
-- An opt-out names the person by lead, number or email: three equi-joins
-- (an OR in one join condition would compare every attempt with every opt-out).
with opt_out_keys as (
    select opt_out_id, requested_at, channel_scope, 'lead' as key_kind, lead_id as key_value
    from {{ ref('stg_opt_outs') }} where lead_id is not null
    union all
    select opt_out_id, requested_at, channel_scope, 'phone', phone_hash
    from {{ ref('stg_opt_outs') }} where phone_hash is not null
    union all
    select opt_out_id, requested_at, channel_scope, 'email', email
    from {{ ref('stg_opt_outs') }} where email is not null
),

attempt_keys as (
    select a.attempt_id, a.channel, a.attempt_ts, r.rule_id, k.key_kind, k.key_value
    from {{ ref('int_contact_attempts_localized') }} as a
    inner join {{ catalog_rules('attempt_after_opt_out') }} as r on {{ rule_applies('r', 'a') }}
    cross join lateral (values ('lead', a.lead_id), ('phone', a.to_phone_hash), ('email', a.email))
        as k(key_kind, key_value)
    where k.key_value is not null
),

matched as (
    select distinct on (a.attempt_id)
        a.attempt_id,
        a.rule_id,
        a.channel,
        a.attempt_ts,
        o.opt_out_id,
        o.requested_at,
        o.channel_scope
    from attempt_keys as a
    inner join opt_out_keys as o
        on o.key_kind = a.key_kind
       and o.key_value = a.key_value
       and o.channel_scope in (a.channel, 'all')
       and a.attempt_ts >= o.requested_at
    order by a.attempt_id, o.requested_at, o.opt_out_id, a.rule_id
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
