-- The naive one-pass floor: NOT a correct result, a lower bound to
-- compare CCI's full pipeline with. The five seed-format families over the raw
-- seed tables as loaded (every raw row, no versions, no quarantine), each
-- lead's zone label mapped to ONE fixed UTC offset (deliberately wrong for
-- daylight saving time and for Arizona), as views; then one
-- `create table ... as select ... union all ...`.
drop schema if exists naive cascade;
create schema naive;

create view naive.leads as
select lead_id,
       lower(replace(phone_hash, ' ', '')) as phone_hash,
       consent_flag = 'true' as consent,
       nullif(opt_out_at, '')::timestamp as opt_out_at,
       case
           when timezone in ('PST', 'PDT', 'PT', 'America/Los_Angeles') then -8
           when timezone in ('MST', 'MDT', 'MT', 'America/Denver', 'America/Phoenix', 'America/Boise') then -7
           when timezone in ('CST', 'CDT', 'CT', 'America/Chicago') then -6
           when timezone in ('AKST', 'AKDT', 'America/Anchorage') then -9
           when timezone in ('HST', 'Pacific/Honolulu') then -10
           else -5  -- Eastern, and anything else
       end as utc_offset_hours
from raw.seed_leads;

create view naive.attempts as
select a.attempt_id, a.lead_id, a.attempt_ts::timestamp as attempt_ts,
       a.attempt_ts::timestamp + l.utc_offset_hours * interval '1 hour' as local_ts,
       l.phone_hash, l.consent, l.opt_out_at
from raw.seed_contact_attempts a
join naive.leads l on l.lead_id = a.lead_id;

create view naive.outside_allowed_hours as
select 'outside_allowed_hours' as violation_type, lead_id, attempt_id, attempt_ts
from naive.attempts
where extract(hour from local_ts) < 8 or extract(hour from local_ts) >= 21;

create view naive.too_many_attempts_per_day as
select 'too_many_attempts_per_day' as violation_type, lead_id, max(attempt_id) as attempt_id,
       max(attempt_ts) as attempt_ts
from naive.attempts
group by lead_id, local_ts::date
having count(*) > 3;

create view naive.attempt_after_opt_out as
select 'attempt_after_opt_out' as violation_type, lead_id, attempt_id, attempt_ts
from naive.attempts
where attempt_ts > opt_out_at;

create view naive.dnc_match as
select 'dnc_match' as violation_type, lead_id, attempt_id, attempt_ts
from naive.attempts
where phone_hash in (select lower(replace(phone_hash, ' ', '')) from raw.seed_dnc);

create view naive.no_consent as
select 'no_consent' as violation_type, lead_id, attempt_id, attempt_ts
from naive.attempts
where not consent;

create table naive.naive_mart as
select * from naive.outside_allowed_hours
union all select * from naive.too_many_attempts_per_day
union all select * from naive.attempt_after_opt_out
union all select * from naive.dnc_match
union all select * from naive.no_consent;
