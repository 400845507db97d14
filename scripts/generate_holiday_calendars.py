"""Write dbt/seeds/holiday_calendars.csv: the holiday calendars the rules use.

    python scripts/generate_holiday_calendars.py [--check]

One row per (calendar, date, name): ``calendar``, ``holiday_on`` (date),
``name`` and ``source``, from the pinned ``holidays`` package:

- ``US``: Federal legal holidays (5 U.S.C. 6103, observed dates included),
  for business-day deadlines: 47 CFR 64.1200(n)(1) counts business days as
  Monday to Friday without Federal legal holidays (opt-out allowance,
  docs/rules.md#business-days; CAN-SPAM's 10 business days).
- A state's USPS code: the holidays on which it bans telephone solicitation
  (docs/rules.md#restricted-dates): LA (La. R.S. 45:811), AL ([A]), UT (Utah Code
  13-25a-103(3)), RI (R.I. Gen. Laws 5-61-3.6, holidays of 25-1-1): the
  state's public calendar as the package gives it, observed dates included;
  PA (Act 73 of 2019): exactly the statute's list, with Flag Day (June 14)
  and Election Day (the Tuesday after the first Monday of November), which
  the package's Pennsylvania calendar does not hold as public holidays.

Dates the package cannot know (governor proclamations, emergencies) are
written by hand in dbt/seeds/state_restricted_dates.csv. The seed is
generated, not edited by hand: ``--check`` exits 1 if it differs from what
the pinned ``holidays`` version produces (the test suite runs it).
"""

import sys
from datetime import date, timedelta
from pathlib import Path

import holidays
from generated_file import write_or_check_seed

SEED = Path(__file__).resolve().parent.parent / "dbt" / "seeds" / "holiday_calendars.csv"
YEARS = range(2020, 2031)
PUBLIC_CALENDAR_STATES = ("AL", "LA", "RI", "UT")
# Act 73 of 2019 (73 P.S. 2245.2 "telephone solicitation call" hours): the
# holidays by the names the package uses for them in Pennsylvania.
PA_ACT_73_NAMES = (
    "New Year's Day", "Martin Luther King Jr. Day", "Presidents' Day", "Good Friday", "Memorial Day",
    "Independence Day", "Labor Day", "Columbus Day", "Veterans Day", "Thanksgiving Day", "Christmas Day",
)


def public_calendar(state: str) -> list[tuple[date, str, str]]:
    calendar = holidays.US(subdiv=state, years=YEARS)
    source = f"holidays {holidays.__version__}, US/{state} public calendar"
    return [(day, name, source) for day, name in calendar.items()]


def election_day(year: int) -> date:
    """The Tuesday after the first Monday of November (2 U.S.C. 7)."""
    first_monday = date(year, 11, 1) + timedelta(days=(7 - date(year, 11, 1).weekday()) % 7)
    return first_monday + timedelta(days=1)


def pennsylvania() -> list[tuple[date, str, str]]:
    calendar = holidays.US(subdiv="PA", years=YEARS, categories=("public", "unofficial"))
    source = "Act 73 of 2019 (PA); dates from holidays " + holidays.__version__
    rows = []
    for day, names in calendar.items():
        for name in names.split("; "):
            if name.removesuffix(" (observed)") in PA_ACT_73_NAMES:
                rows.append((day, name, source))
    for year in YEARS:
        rows.append((date(year, 6, 14), "Flag Day", "Act 73 of 2019 (PA)"))
        rows.append((election_day(year), "Election Day", "Act 73 of 2019 (PA); 2 U.S.C. 7"))
    return rows


def federal() -> list[tuple[date, str, str]]:
    source = f"5 U.S.C. 6103; dates from holidays {holidays.__version__}"
    return [(day, name, source) for day, name in holidays.US(years=YEARS).items()]


def rows() -> list[list[str]]:
    result = [["US", day.isoformat(), name, source] for day, name, source in federal()]
    result += [[state, day.isoformat(), name, source]
               for state in PUBLIC_CALENDAR_STATES for day, name, source in public_calendar(state)]
    result += [["PA", day.isoformat(), name, source] for day, name, source in pennsylvania()]
    return sorted(result)


def main() -> int:
    return write_or_check_seed(__doc__, SEED, ["calendar", "holiday_on", "name", "source"], rows(),
                               f"holidays {holidays.__version__}", "holidays")


if __name__ == "__main__":
    sys.exit(main())
