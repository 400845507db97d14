-- Consent (rule CON-FED-1), TCPA 47 U.S.C. 227(b) and 47 CFR 64.1200(a)(1)-(3):
-- * seed leads: the export's lead-level consent_flag is false;
-- * native attempts by autodialer, prerecorded or artificial (AI) voice
--   (FCC 24-17), and every text or ringless voicemail (FCC 22-85), need
--   consent on file for that channel, captured at or before the attempt and
--   not revoked by then: prior express written consent (pewc, 64.1200(a)(2)-(3),
--   (f)(9)) for telemarketing, prior express consent (pec or pewc) otherwise
--   (CN-01, CN-02). A pewc without the (f)(9) disclosure is only pec (CN-03).
--   The contract has no line type, so every number is treated as wireless
--   (the stricter case). Manual calls and email are not covered by this rule.
-- A consent captured within `clock_skew_seconds` (catalog parameter) after the
-- attempt is a close call (EDGE-16): `possible`. The details list the lead's
-- consents and why none of them counts (another channel, captured after the
-- attempt, revoked before it, pec where pewc is needed, no disclosure).
with in_scope as (
    select a.*, r.rule_id, r.params
    from {{ ref('int_contact_attempts_localized') }} as a
    inner join {{ catalog_rules('no_consent') }} as r on {{ rule_applies('r', 'a') }}
),

native_needs as (
    select
        a.*,
        case when a.purpose = 'telemarketing' then array['pewc'] else array['pec', 'pewc'] end as accepted_kinds
    from in_scope as a
    where a.source_format = 'native'
      and (a.technology in ('atds', 'prerecorded', 'ai_voice') or a.channel in ('sms', 'rvm'))
),

consents_of_lead as (
    -- One grouped join (not a subquery per attempt): whether consent that
    -- counts is on file, on file within the clock-skew tolerance, and what
    -- the lead has on file and why it does not count.
    select
        n.attempt_id,
        n.rule_id,
        n.channel,
        n.accepted_kinds,
        coalesce(bool_or(
            n.channel = any(c.channels) and {{ consent_counts_as('c', 'n.accepted_kinds') }}
            and c.captured_at <= n.attempt_ts and (c.revoked_at is null or c.revoked_at > n.attempt_ts)
        ), false) as on_file,
        coalesce(bool_or(
            n.channel = any(c.channels) and {{ consent_counts_as('c', 'n.accepted_kinds') }}
            and c.captured_at
                <= n.attempt_ts + make_interval(secs => {{ rule_param('n', 'clock_skew_seconds', 'integer') }})
            and (c.revoked_at is null or c.revoked_at > n.attempt_ts)
        ), false) as close_call,
        string_agg(
            format('%s %s (%s)', c.kind, c.consent_id, case
                when not n.channel = any(c.channels) then 'not for ' || n.channel
                when c.captured_at > n.attempt_ts then format('captured at %s UTC, after the attempt',
                                                               (c.captured_at at time zone 'UTC')::text)
                when c.revoked_at <= n.attempt_ts then format('revoked at %s UTC',
                                                               (c.revoked_at at time zone 'UTC')::text)
                when c.kind = 'pec' then 'prior express consent only; telemarketing needs pewc'
                else 'without the disclosure 64.1200(f)(9) requires: prior express consent only'
            end),
            '; ' order by c.captured_at, c.consent_id
        ) as on_file_text
    from native_needs as n
    left join {{ ref('stg_consents') }} as c on c.lead_id = n.lead_id
    group by n.attempt_id, n.rule_id, n.channel, n.accepted_kinds
),

explained as (
    select attempt_id, rule_id, channel, accepted_kinds, close_call, on_file_text as on_file
    from consents_of_lead
    where not on_file
)

select
    attempt_id,
    attempt_id as violation_key,
    rule_id,
    'definite'::text as certainty,
    null::text[] as deciding_zones,
    format('%s attempt to a lead with no consent on file (consent_flag is false).', {{ channel_label('channel') }}) as details
from in_scope
where source_format = 'seed' and not consent_flag

union all

select
    attempt_id,
    attempt_id,
    rule_id,
    case when close_call then 'possible' else 'definite' end,
    null,
    format('%s attempt without %s on file for %s at the time of the attempt. On file: %s.%s',
           {{ channel_label('channel') }},
           array_to_string(accepted_kinds, ' or '),
           channel,
           coalesce(on_file, 'nothing'),
           case when close_call then ' A consent was captured within the clock-skew tolerance after the attempt.'
                else '' end)
from explained
