-- Do-Not-Call lists (family dnc_match), one row per (attempt, rule) for a
-- telemarketing call or text to a number listed at the attempt's time
-- (registered at or before it, not removed by then; entries without dates are
-- always listed), numbers compared by their cci-phone-v1 hash:
--   DNC-FED-1  the national registry (and the seed's dnc.csv, list
--              'unspecified'), 47 CFR 64.1200(c)(2);
--   DNC-ST-1   a state list (state:XX), the state's DNC statute;
--   DNC-LIT-1  a litigator list: an industry practice, not a legal duty
--              (docs/rules.md#do-not-call-lists): a risk flag, never definite.
-- Company (internal) lists are requests under 64.1200(d)(3), with their
-- allowance: family attempt_after_opt_out.
-- Exemptions (native data; the seed export has no exemption data, so a listed
-- number is a violation), 64.1200(c)(2)(ii) and (f)(5):
--   * an established business relationship: a purchase within `ebr_purchase_months`
--     (18) or an inquiry/application within `ebr_inquiry_months` (3) before the
--     attempt's local date, not ended by a DNC request or opt-out of the lead
--     after it. The anniversary itself is a boundary: `possible` (DNC-03);
--   * prior express written consent (pewc) on file for the channel.
--   `exemption_effect`: `exempt` removes the row (national registry);
--   `possible` keeps it as possible (state lists, whose exemptions vary).
-- Safe harbor, 64.1200(c)(2)(i)(D): a number registered after the latest list
-- version obtained before the attempt, when that version is at most
-- `safe_harbor_max_age_days` (31) days old on the attempt's local date, was
-- missed by a current scrub: `possible` (safe-harbor eligible if procedures
-- (A)-(E) are documented, DNC-02). An older version loses the safe harbor,
-- and the details say so.
-- violation_id (macros/violation_id.sql): of the attempt and rule; DNC-FED-1
-- keeps its key of the attempt alone (as before the catalog, so its cases keep
-- their key).
-- An incremental build drives this model from the changed attempts, set
-- apart first (materialized: otherwise PostgreSQL hashes every attempt
-- against the lists and drops the unchanged ones last, 9.3 s against 3.0 s
-- for 14% of 1.2M attempts); it would then join each (attempt, rule) to the
-- lists with nested loops, 500,000 probes, where hash joins are faster. A
-- full build plans well by itself (nested loops off there: 7.8 s against 6.7).
{{ config(pre_hook="set local enable_nestloop = {{ 'off' if is_incremental() else 'on' }}") }}
with attempts as {{ 'materialized' if is_incremental() else 'not materialized' }} (
    select * from {{ ref('int_contact_attempts_localized') }} as a where {{ changed_persons_filter('a.attempt_id') }}
),

listed as (
    select
        a.attempt_id,
        a.lead_id,
        a.channel,
        a.attempt_ts,
        a.local_date,
        a.local_timezone,
        a.source_format,
        a.to_phone_hash,
        r.rule_id,
        r.params,
        d.list_name,
        d.registered_at
    from attempts as a
    inner join {{ ref('stg_dnc_entries') }} as d
        on d.phone_hash = a.to_phone_hash
       and (d.registered_at is null or d.registered_at <= a.attempt_ts)
       and (d.removed_at is null or d.removed_at > a.attempt_ts)
    inner join {{ catalog_rules('dnc_match') }} as r
        on {{ rule_applies('r', 'a') }}
       and (r.params -> 'lists') ? split_part(d.list_name, ':', 1)
),

evidence as (
    select
        l.*,
        e.holds as ebr_holds,
        e.anniversary as ebr_anniversary,
        e.basis as ebr_basis,
        l.source_format = 'native' and {{ consent_on_file('l', "array['pewc']") }} as pewc_on_file,
        v.obtained_at as version_obtained_at,
        l.local_date - (v.obtained_at at time zone l.local_timezone)::date as version_age_days
    from listed as l
    left join lateral (
        -- Established business relationship, 47 CFR 64.1200(f)(5): native
        -- conversions of the lead, not ended by a later DNC request or opt-out.
        select
            bool_or(l.local_date < c.anchor_date + make_interval(months => c.months)) as holds,
            bool_or(l.local_date = (c.anchor_date + make_interval(months => c.months))::date) as anniversary,
            string_agg(format('%s on %s', c.kind, c.anchor_date), ', ' order by c.anchor_date) as basis
        from (
            select
                conv.kind,
                (conv.occurred_at at time zone l.local_timezone)::date as anchor_date,
                case when conv.kind = 'purchase' then {{ rule_param('l', 'ebr_purchase_months', 'integer') }}
                     else {{ rule_param('l', 'ebr_inquiry_months', 'integer') }} end as months
            from {{ ref('stg_conversions') }} as conv
            where l.source_format = 'native'
              and conv.lead_id = l.lead_id
              and conv.kind in ('purchase', 'inquiry', 'application')
              and conv.occurred_at <= l.attempt_ts
              -- An opt-out of the lead or of the number: two probes, each on
              -- its index of stg_opt_outs (lead_id, phone_hash). Without an
              -- index for the number, one condition with `or` scanned every
              -- opt-out for each listed attempt (12 s of 13 at 100,000 leads).
              and not exists (
                  select 1 from {{ ref('stg_opt_outs') }} as o
                  where o.lead_id = l.lead_id
                    and o.requested_at > conv.occurred_at and o.requested_at <= l.attempt_ts
              )
              and not exists (
                  select 1 from {{ ref('stg_opt_outs') }} as o
                  where o.phone_hash = l.to_phone_hash
                    and o.requested_at > conv.occurred_at and o.requested_at <= l.attempt_ts
              )
              and not exists (
                  select 1 from {{ ref('stg_dnc_entries') }} as internal
                  where internal.list_name = 'internal' and internal.phone_hash = l.to_phone_hash
                    and internal.registered_at > conv.occurred_at and internal.registered_at <= l.attempt_ts
              )
        ) as c
    ) as e on true
    left join lateral (
        select max(version.obtained_at) as obtained_at
        from {{ ref('stg_dnc_list_versions') }} as version
        where version.list_name = l.list_name and version.obtained_at <= l.attempt_ts
    ) as v on true
),

judged as (
    select
        *,
        coalesce(ebr_holds, false) or pewc_on_file as exempt,
        coalesce(
            registered_at > version_obtained_at
            and version_age_days <= {{ rule_param('evidence', 'safe_harbor_max_age_days', 'integer') }}, false
        ) as safe_harbor_eligible,
        format(
            '%s%s%s',
            case when list_name = 'unspecified' then 'the seed export''s dnc.csv (no list versions in that format)'
                 when version_obtained_at is null then format('%s: no list version on record for the scrub', list_name)
                 else format('%s: scrubbed against the version obtained %s, %s days before the attempt%s', list_name,
                             (version_obtained_at at time zone local_timezone)::date, version_age_days,
                             case when version_age_days > {{ rule_param('evidence', 'safe_harbor_max_age_days', 'integer') }}
                                  then format(' (more than %s: no safe harbor)',
                                              {{ rule_param('evidence', 'safe_harbor_max_age_days', 'integer') }})
                                  when registered_at > version_obtained_at
                                  then ' (registered after it: safe harbor eligible if procedures are documented)'
                                  else ' (the number was on it)' end) end,
            case when ebr_holds then format('; established business relationship (%s)', ebr_basis)
                 when ebr_anniversary then format('; established business relationship ends on the attempt''s date (%s)',
                                                  ebr_basis)
                 else '' end,
            case when pewc_on_file then '; prior express written consent on file' else '' end
        ) as list_note
    from evidence
),

per_rule as (
    select
        attempt_id,
        rule_id,
        channel,
        to_phone_hash,
        bool_or(not (exempt or coalesce(ebr_anniversary, false) or safe_harbor_eligible)) as any_definite,
        string_agg(list_note, '; ' order by list_name) as notes
    from judged
    where not (exempt and params ->> 'exemption_effect' = 'exempt')
    group by attempt_id, rule_id, channel, to_phone_hash
)

select
    attempt_id,
    {{ violation_id('dnc_match', 'rule_id', 'attempt_id') }} as violation_id,
    rule_id,
    case when any_definite then 'definite' else 'possible' end as certainty,
    null::text[] as deciding_zones,
    array[left(to_phone_hash, 12)] as detail_identifiers,
    format('%s attempt to a number on a Do-Not-Call list (phone hash %s...): %s.%s',
           {{ channel_label('channel') }}, left(to_phone_hash, 12), notes,
           case when channel = 'sms' then ' The exposure estimate assumes a text is a call under 227(c)(5); courts'
                                          ' have split on that since 2025 (docs/rules.md#channels).'
                else '' end) as details
from per_rule
