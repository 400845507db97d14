-- Do-Not-Call (rule DNC-FED-1), 47 CFR 64.1200(c)(2) (national), (d) (internal) and state
-- lists: a call or text to a number listed at the attempt's time (registered
-- at or before it, not removed by then; entries without dates are always
-- listed). Numbers are compared by their cci-phone-v1 hash. One row per
-- attempt, naming every list that matched. (Exemptions and the 31-day scrub
-- safe harbor come with the rule catalog.)
with matched as (
    select
        a.attempt_id,
        r.rule_id,
        a.channel,
        a.to_phone_hash,
        array_agg(distinct d.list_name order by d.list_name) as lists
    from {{ ref('int_contact_attempts_localized') }} as a
    inner join {{ catalog_rules('dnc_match') }} as r on {{ rule_applies('r', 'a') }}
    inner join {{ ref('stg_dnc_entries') }} as d
        on d.phone_hash = a.to_phone_hash
       and (d.registered_at is null or d.registered_at <= a.attempt_ts)
       and (d.removed_at is null or d.removed_at > a.attempt_ts)
    group by a.attempt_id, r.rule_id, a.channel, a.to_phone_hash
)

select
    attempt_id,
    attempt_id as violation_key,
    rule_id,
    'definite'::text as certainty,
    null::text[] as deciding_zones,
    case when lists = array['unspecified'] then
        format('%s attempt to a number on the Do-Not-Call list (phone hash %s...).',
               {{ channel_label('channel') }}, left(to_phone_hash, 12))
    else
        format('%s attempt to a number on the Do-Not-Call list(s) %s (phone hash %s...).',
               {{ channel_label('channel') }}, array_to_string(lists, ', '), left(to_phone_hash, 12))
    end as details
from matched
