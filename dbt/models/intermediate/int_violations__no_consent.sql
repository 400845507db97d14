-- Consent (rule CON-FED-1), 47 U.S.C. 227(b)(1)(A) and 47 CFR 64.1200(a)(1)-(3):
-- * seed leads: the export's lead-level consent_flag is false;
-- * native calls and texts made with an automatic telephone dialing system
--   (technology atds) or an artificial or prerecorded voice (prerecorded;
--   ai_voice, an artificial voice per FCC 24-17), and every ringless
--   voicemail (a call made with a prerecorded voice, FCC 22-85), need consent
--   on file for that channel, captured at or before the attempt and not
--   revoked by then: prior express written consent (pewc, 64.1200(a)(2)-(3),
--   (f)(9)) for telemarketing, prior express consent (pec or pewc) otherwise
--   (CN-01, CN-02). A pewc without the (f)(9) disclosure is only pec (CN-03).
--   A revocation ends the lead's consent for every telephone channel
--   (64.1200(a)(10), FCC 24-24: see macros/consent.sql): the latest such
--   revocation of the lead at or before the attempt (a window over the
--   grouped join) ends every consent captured at or before it.
--   The contract has no line type, so every number is treated as wireless
--   (the stricter case). A manual (live) call or text needs no 227(b)
--   consent: Do-Not-Call, calling hours and opt-outs still apply to it, in
--   their own models. Email is not covered by this rule.
-- * A text whose technology is not given may have been autodialed: the
--   catalog parameter `unknown_technology_texts` judges it: `possible`
--   (default), `definite` (the conservative reading: every text needs
--   consent) or `clear`. A call without a technology is taken as manual.
-- A consent captured within `clock_skew_seconds` (catalog parameter) after the
-- attempt is a close call (EDGE-16): `possible`. The details list the lead's
-- consents and why none of them counts (another channel, captured after the
-- attempt, revoked before it, pec where pewc is needed, no disclosure).
with in_scope as (
    select a.*, r.rule_id, r.params
    from {{ ref('int_contact_attempts_localized') }} as a
    inner join {{ catalog_rules('no_consent') }} as r on {{ rule_applies('r', 'a') }}
    where {{ changed_persons_filter('a.attempt_id') }}
),

native_needs as (
    select
        a.*,
        case when a.purpose = 'telemarketing' then array['pewc'] else array['pec', 'pewc'] end as accepted_kinds,
        a.channel = 'sms' and a.technology is null as technology_unknown,
        {{ rule_param('a', 'unknown_technology_texts', 'text') }} as unknown_technology_texts
    from in_scope as a
    where a.source_format = 'native'
      and (
          a.technology in ('atds', 'prerecorded', 'ai_voice')
          or a.channel = 'rvm'
          or (a.channel = 'sms' and a.technology is null
              and {{ rule_param('a', 'unknown_technology_texts', 'text') }} in ('possible', 'definite'))
      )
),

with_consents as (
    -- The lead's consents beside each attempt (one join on the indexed
    -- lead_id), with the latest revocation of a telephone consent of the lead
    -- at or before the attempt: a window per attempt, not a subquery.
    select
        n.*,
        c.consent_id,
        c.kind,
        c.channels,
        c.captured_at,
        c.revoked_at,
        c.disclosure_shown,
        max(c.revoked_at) filter (
            where c.revoked_at <= n.attempt_ts and c.channels && array['call', 'sms', 'rvm']
        ) over (partition by n.attempt_id) as last_revocation_at
    from native_needs as n
    left join {{ ref('stg_consents') }} as c on c.lead_id = n.lead_id
),

consents_of_lead as (
    -- One grouped join (not a subquery per attempt): whether consent that
    -- counts is on file, on file within the clock-skew tolerance, and what
    -- the lead has on file and why it does not count.
    select
        w.attempt_id,
        w.rule_id,
        w.channel,
        w.accepted_kinds,
        w.technology_unknown and w.unknown_technology_texts = 'possible' as technology_doubt,
        coalesce(bool_or(
            w.channel = any(w.channels) and {{ consent_counts_as('w', 'w.accepted_kinds') }}
            and w.captured_at <= w.attempt_ts
            and (w.revoked_at is null or w.revoked_at > w.attempt_ts)
            and (w.last_revocation_at is null or w.captured_at > w.last_revocation_at)
        ), false) as on_file,
        coalesce(bool_or(
            w.channel = any(w.channels) and {{ consent_counts_as('w', 'w.accepted_kinds') }}
            and w.captured_at
                <= w.attempt_ts + make_interval(secs => {{ rule_param('w', 'clock_skew_seconds', 'integer') }})
            and (w.revoked_at is null or w.revoked_at > w.attempt_ts)
            and (w.last_revocation_at is null or w.captured_at > w.last_revocation_at)
        ), false) as close_call,
        string_agg(
            format('%s %s (%s)', w.kind, w.consent_id, case
                when not w.channel = any(w.channels) then 'not for ' || w.channel
                when w.captured_at > w.attempt_ts then format('captured at %s UTC, after the attempt',
                                                               (w.captured_at at time zone 'UTC')::text)
                when w.revoked_at <= w.attempt_ts then format('revoked at %s UTC',
                                                               (w.revoked_at at time zone 'UTC')::text)
                when w.last_revocation_at >= w.captured_at then format(
                    'ended at %s UTC by the revocation of another of the lead''s consents (FCC 24-24)',
                    (w.last_revocation_at at time zone 'UTC')::text)
                when w.kind = 'pec' then 'prior express consent only; telemarketing needs pewc'
                else 'without the disclosure 64.1200(f)(9) requires: prior express consent only'
            end),
            '; ' order by w.captured_at, w.consent_id
        ) filter (where w.consent_id is not null) as on_file_text,
        coalesce(array_agg(w.consent_id order by w.captured_at, w.consent_id)
                 filter (where w.consent_id is not null), array[]::text[]) as consent_ids
    from with_consents as w
    group by w.attempt_id, w.rule_id, w.channel, w.accepted_kinds, w.technology_unknown, w.unknown_technology_texts
),

explained as (
    select attempt_id, rule_id, channel, accepted_kinds, close_call, technology_doubt, on_file_text as on_file,
           consent_ids
    from consents_of_lead
    where not on_file
)

select
    attempt_id,
    {{ violation_id('no_consent', 'rule_id', 'attempt_id') }} as violation_id,
    rule_id,
    'definite'::text as certainty,
    null::text[] as deciding_zones,
    array[]::text[] as detail_identifiers,
    format('%s attempt to a lead with no consent on file (consent_flag is false).', {{ channel_label('channel') }}) as details
from in_scope
where source_format = 'seed' and not consent_flag

union all

select
    attempt_id,
    {{ violation_id('no_consent', 'rule_id', 'attempt_id') }},
    rule_id,
    case when close_call or technology_doubt then 'possible' else 'definite' end,
    null,
    consent_ids,
    format('%s attempt without %s on file for %s at the time of the attempt. On file: %s.%s%s',
           {{ channel_label('channel') }},
           array_to_string(accepted_kinds, ' or '),
           channel,
           coalesce(on_file, 'nothing'),
           case when close_call then ' A consent was captured within the clock-skew tolerance after the attempt.'
                else '' end,
           case when technology_doubt then ' The text''s technology is not given: an autodialed text needs this'
                                           ' consent, a manual one does not (parameter unknown_technology_texts).'
                else '' end)
from explained
