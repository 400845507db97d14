{#-
  business_day_after(start_date, days): the date that is the `days`-th
  business day after `start_date` (a date; `start_date` itself is not
  counted), business days being Monday to Friday without the Federal legal
  holidays of reference.holiday_calendars (calendar US): 47 CFR
  64.1200(n)(1), docs/rules.md#business-days; worked examples EDGE-17 and CN-04 (STOP on Fri 2025-11-21:
  the 10th business day is Mon 2025-12-08, Thanksgiving skipped).
-#}
{% macro business_day_after(start_date, days) -%}
    (
        select business.day
        from (
            select
                series.day::date as day,
                row_number() over (order by series.day) as number
            from generate_series(
                ({{ start_date }}) + 1, ({{ start_date }}) + 3 * ({{ days }}) + 14, interval '1 day'
            ) as series(day)
            where extract(isodow from series.day) < 6
              and not exists (
                  select 1 from {{ ref('holiday_calendars') }} as h
                  where h.calendar = 'US' and h.holiday_on = series.day::date
              )
        ) as business
        where business.number = ({{ days }})
    )
{%- endmacro %}
