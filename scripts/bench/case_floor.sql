-- The floor for case sync (goal: case sync within 2x of it): a plain `insert ... select` of
-- the published mart's rows into an empty copy of compliance_case (same
-- columns, defaults, checks and indexes; no triggers, no foreign keys, no
-- audit events, no due dates), the same columns case sync writes.
drop schema if exists bench_floor_cases cascade;
create schema bench_floor_cases;
create table bench_floor_cases.compliance_case
    (like public.compliance_case including defaults including generated including identity
     including constraints including indexes);

insert into bench_floor_cases.compliance_case
    (violation_id, violation_type, severity, lead_id, attempt_id, attempt_ts,
     evidence, status, resolution, version, created_at, updated_at)
select m.violation_id, m.violation_type, m.severity, m.lead_id, m.attempt_id, m.attempt_ts,
       to_jsonb(m), 'new', '', 1, now(), now()
from analytics.mart_compliance_risk m
on conflict (violation_id) do nothing;
