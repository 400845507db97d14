{{ config(indexes=[{'columns': ['attempt_id'], 'unique': True}], post_hook='analyze {{ this }}') }}

-- One row per attempt: its candidate zones (sorted text[]), the evidence for
-- them ('address: America/Chicago; stated: America/New_York', sorted), and the
-- primary zone shown to auditors: the lead's stated zone, else the address's
-- zone, else the area code's, when one of them names a single zone; else the
-- first candidate. Computed in one pass over int_attempt_zone_evidence (a
-- table), so later joins on attempt_id are one-to-one.
select
    attempt_id,
    array_agg(distinct iana_zone order by iana_zone) as candidate_zones,
    string_agg(distinct evidence || ': ' || iana_zone, '; ') as zone_evidence,
    coalesce(
        min(iana_zone) filter (where evidence = 'stated'),
        case when count(distinct iana_zone) filter (where evidence = 'address') = 1
             then min(iana_zone) filter (where evidence = 'address') end,
        case when count(distinct iana_zone) filter (where evidence = 'area_code') = 1
             then min(iana_zone) filter (where evidence = 'area_code') end,
        min(iana_zone)
    ) as local_timezone
from {{ ref('int_attempt_zone_evidence') }}
where {{ changed_persons_filter('attempt_id') }}
group by attempt_id
