-- CCI contact policy: at most 3 attempts (all channels) to one lead on one
-- local calendar day (the lead's IANA zone). One row per lead and local day;
-- its attempt is the one that crossed the limit (the 4th, by time then id).
select
    attempt_id,
    lead_id || '/' || local_date::text as violation_key,
    format(
        '%s attempts to lead %s on local day %s (%s); the limit is 3 per day. Attempt %s, at %s local time, was the 4th.',
        attempts_on_local_day,
        lead_id,
        local_date,
        local_timezone,
        attempt_id,
        (attempt_ts_local::time)::text
    ) as details
from {{ ref('int_contact_attempts_localized') }}
where attempt_number_on_local_day = 4
