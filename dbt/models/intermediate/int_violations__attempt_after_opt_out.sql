-- Opt-outs and revocations (family attempt_after_opt_out), one row per attempt
-- made at or after an opt-out that covers it: the same lead, number (phone
-- hash) or email, and a channel scope covering the attempt's channel; or
-- after a company-specific do-not-call request (internal DNC list entry,
-- calls, texts and RVM, 64.1200(d)(3)); the earliest such request is named.
-- Channel scope (docs/data-contract.md, "Opt-outs: what channel_scope
-- means"): the scope the consumer gave. `all` (or none) covers every
-- channel: a revocation for calls covers texts and the other way round
-- unless the consumer limits it (FCC 24-24, 47 CFR 64.1200(a)(10)). A single
-- channel is that limit and covers that channel only, except that a ringless
-- voicemail is a call (FCC 22-85): scope `call` covers `rvm` too.
-- An attempt at exactly the request's requested_at is after it: every record
-- of the contract is in effect from its own timestamp on (a consent from
-- captured_at, a revocation from revoked_at, a DNC entry from registered_at),
-- and equal timestamps cannot show that the attempt came first. The
-- allowance runs from receipt (64.1200(a)(11)), so such an attempt is within
-- it: OPT-FED-2 (a low-severity warning), or for a text OPT-FED-3 (the
-- confirmation, 64.1200(a)(12)).
-- Each rule's `stage` parameter says which attempts it judges:
--   after_allowance   OPT-FED-1 (calls, texts, RVM; 47 CFR 64.1200(a)(10)-(11),
--                     (d)(3)) and OPT-CS-1 (commercial email; 15 U.S.C.
--                     7704(a)(4)): the attempt's local date is after the last
--                     day of the allowance: `business_days` (10) business days
--                     after the local date of receipt for requests received on
--                     or after `business_days_from` (2025-04-11), else
--                     `calendar_days_before` (30) days (worked examples
--                     CN-04, CN-10, CH-01; business days skip
--                     weekends and Federal legal holidays, EDGE-17);
--   within_allowance  OPT-FED-2: after receipt, within the allowance: a
--                     low-severity warning (a reasonable time may be shorter);
--   confirmation      OPT-FED-3 (47 CFR 64.1200(a)(12)): the first text after
--                     the opt-out, inside the allowance, is its confirmation
--                     when it is not marketing or is sent within
--                     `confirmation_minutes` (5): clear when both; `definite`
--                     when it is marketing; `possible` when a non-marketing
--                     text is sent later (CN-05). A marketing text sent later
--                     is an ordinary attempt within the allowance (CN-04).
-- Dates are local dates in the attempt's primary zone. A seed lead's
-- opt_out_at has no allowance: the seed contract takes it as the
-- moment the opt-out had to be honored, so every later attempt is
-- after_allowance. An attempt no after_allowance rule covers (an
-- informational email) gives no row.
-- An opt-out names the person by lead, number or email: three equi-joins
-- (an OR in one join condition would compare every attempt with every opt-out).
with opt_out_keys as (
    select opt_out_id, source_format, requested_at, channel_scope, 'lead' as key_kind, lead_id as key_value,
           null::timestamptz as removed_at
    from {{ ref('stg_opt_outs') }} where lead_id is not null
    union all
    select opt_out_id, source_format, requested_at, channel_scope, 'phone', phone_hash, null
    from {{ ref('stg_opt_outs') }} where phone_hash is not null
    union all
    select opt_out_id, source_format, requested_at, channel_scope, 'email', email, null
    from {{ ref('stg_opt_outs') }} where email is not null
    union all
    -- Company-specific do-not-call requests, 64.1200(d)(3): the internal list's
    -- entries, for calls, texts and RVM. An entry without a date has no
    -- allowance (requested at -infinity).
    select 'internal-dnc:' || left(phone_hash, 12), 'internal_dnc', coalesce(registered_at, '-infinity'),
           'telephone', 'phone', phone_hash, removed_at
    from {{ ref('stg_dnc_entries') }} where list_name = 'internal'
),

attempt_keys as (
    select a.attempt_id, a.channel, a.attempt_ts, k.key_kind, k.key_value
    from {{ ref('int_contact_attempts_localized') }} as a
    cross join lateral (values ('lead', a.lead_id), ('phone', a.to_phone_hash), ('email', a.email))
        as k(key_kind, key_value)
    where k.key_value is not null and {{ changed_persons_filter('a.attempt_id') }}
),

matched as (
    select distinct on (k.attempt_id)
        k.attempt_id,
        o.opt_out_id,
        o.source_format as opt_out_format,
        o.requested_at,
        o.channel_scope
    from attempt_keys as k
    inner join opt_out_keys as o
        on o.key_kind = k.key_kind
       and o.key_value = k.key_value
       and {{ opt_out_covers('o.channel_scope', 'k.channel') }}
       and k.attempt_ts >= o.requested_at
       and (o.removed_at is null or o.removed_at > k.attempt_ts)
    order by k.attempt_id, o.requested_at, o.opt_out_id
),

with_deadline as (
    select
        a.attempt_id,
        a.channel,
        a.purpose,
        a.attempt_ts,
        a.local_date,
        a.local_timezone,
        m.opt_out_id,
        m.requested_at,
        m.channel_scope,
        m.opt_out_format,
        r.rule_id as deadline_rule,
        (m.requested_at at time zone a.local_timezone)::date as receipt_date,
        case
            when m.opt_out_format = 'seed' or m.requested_at = '-infinity' then null
            when (m.requested_at at time zone a.local_timezone)::date
                 >= {{ rule_param('r', 'business_days_from', 'date') }}
                then {{ business_day_after("(m.requested_at at time zone a.local_timezone)::date",
                                           rule_param('r', 'business_days', 'integer')) }}
            else (m.requested_at at time zone a.local_timezone)::date
                 + {{ rule_param('r', 'calendar_days_before', 'integer') }}
        end as last_allowed_date,
        row_number() over (
            partition by m.opt_out_id, a.channel = 'sms' order by a.attempt_ts, a.attempt_id
        ) as number_on_channel
    from matched as m
    inner join {{ ref('int_contact_attempts_localized') }} as a on a.attempt_id = m.attempt_id
    inner join {{ catalog_rules('attempt_after_opt_out') }} as r
        on {{ rule_applies('r', 'a') }} and r.params ->> 'stage' = 'after_allowance'
),

staged as (
    select
        d.*,
        case
            when d.last_allowed_date is null or d.local_date > d.last_allowed_date then 'after_allowance'
            when d.channel = 'sms' and d.number_on_channel = 1 and not (d.marketing and d.late) then 'confirmation'
            else 'within_allowance'
        end as stage
    from (
        select
            w.*,
            coalesce(w.purpose, 'telemarketing') = 'telemarketing' as marketing,
            w.attempt_ts > w.requested_at
                + make_interval(mins => {{ catalog_param_literal('OPT-FED-3', 'confirmation_minutes', 5) }}) as late
        from with_deadline as w
    ) as d
),

judged as (
    select
        s.*,
        r.rule_id,
        case when s.stage = 'confirmation' and not s.marketing then 'possible' else 'definite' end as certainty
    from staged as s
    inner join {{ ref('int_contact_attempts_localized') }} as a on a.attempt_id = s.attempt_id
    inner join {{ catalog_rules('attempt_after_opt_out') }} as r
        on {{ rule_applies('r', 'a') }} and r.params ->> 'stage' = s.stage
    where not (s.stage = 'confirmation' and not s.marketing and not s.late)
)

select
    attempt_id,
    {{ violation_id('attempt_after_opt_out', 'rule_id', 'attempt_id') }} as violation_id,
    rule_id,
    certainty,
    null::text[] as deciding_zones,
    array[opt_out_id] as detail_identifiers,
    format(
        '%s attempt at %s UTC after the opt-out or do-not-call request %s received at %s UTC (scope: %s). %s',
        {{ channel_label('channel') }},
        (attempt_ts at time zone 'UTC')::text,
        opt_out_id,
        (requested_at at time zone 'UTC')::text,
        channel_scope,
        case when channel = 'rvm' and channel_scope = 'call'
             then 'A ringless voicemail is a call (FCC 22-85): an opt-out of calls covers it. ' else '' end
        || case
            when last_allowed_date is null and opt_out_format = 'seed' then
                'The seed export gives no allowance: the opt-out applied at once.'
            when last_allowed_date is null then 'The request has no date: no allowance.'
            when stage = 'after_allowance' then format(
                'The allowance (%s) ended on %s (%s); the attempt was on %s.',
                deadline_rule, last_allowed_date, local_timezone, local_date)
            when stage = 'confirmation' and marketing then
                'The first text after the opt-out, its confirmation, contained marketing.'
            when stage = 'confirmation' then
                'The first text after the opt-out, its confirmation, was sent later than the rule''s minutes.'
            else format(
                'Within the allowance (%s) that ends on %s (%s): a warning, the opt-out should be honored sooner.',
                deadline_rule, last_allowed_date, local_timezone)
        end
    ) as details
from judged
