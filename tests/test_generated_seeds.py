"""The generated seeds are what their scripts make from the pinned libraries
(scripts/generate_area_code_zones.py from phonenumbers,
scripts/generate_holiday_calendars.py from holidays), and carry the cases the
rules rely on."""

import csv
import subprocess
import sys

import pytest

from .conftest import REPO

SEEDS = REPO / "dbt" / "seeds"


def read_seed(name: str) -> list[dict]:
    with open(SEEDS / name, newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("script", ["generate_area_code_zones.py", "generate_holiday_calendars.py"])
def test_seed_is_generated_not_hand_edited(script):
    check = subprocess.run([sys.executable, str(REPO / "scripts" / script), "--check"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_area_codes_have_multi_zone_codes_arizona_territories_and_states():
    seed = {row["npa"]: row for row in read_seed("area_code_zones.csv")}
    assert seed["850"]["iana_zones"].split() == ["America/Chicago", "America/New_York"]
    assert {"America/Boise", "America/Los_Angeles"} <= set(seed["208"]["iana_zones"].split())
    assert seed["602"]["iana_zones"] == "America/Phoenix" and seed["602"]["states"] == "AZ"
    assert (seed["787"]["region"], seed["787"]["iana_zones"]) == ("PR", "America/Puerto_Rico")
    assert seed["305"]["states"] == "FL" and seed["405"]["states"] == "OK" and seed["203"]["states"] == "CT"
    # The geocoder names most area codes by state ("Pennsylvania"), some by city ("Miami, FL").
    assert (seed["267"]["states"], seed["206"]["states"], seed["202"]["states"]) == ("PA", "WA", "DC")
    assert all(row["states"] for row in seed.values() if row["region"] == "US" and row["iana_zones"])
    assert seed["800"]["iana_zones"] == "" and seed["800"]["states"] == ""


def test_holiday_calendars_follow_each_list():
    days = {(row["calendar"], row["holiday_on"]): row["name"] for row in read_seed("holiday_calendars.csv")}
    assert days[("UT", "2025-07-24")] == "Pioneer Day"
    assert days[("RI", "2025-08-11")] == "Victory Day"
    assert days[("LA", "2025-03-04")] == "Mardi Gras"
    # Pennsylvania: Act 73's list, Flag Day and Election Day included; not Juneteenth.
    assert days[("PA", "2025-06-14")] == "Flag Day" and days[("PA", "2025-11-04")] == "Election Day"
    assert ("PA", "2025-06-19") not in days and ("PA", "2025-04-18") in days
    # Alabama: a Saturday holiday is observed on the Friday before (docs/rules.md#restricted-dates).
    assert days[("AL", "2027-12-24")] == "Christmas Day (observed)"
    assert not any(state == "MS" for state, _ in days)  # Mississippi bans Sundays only
    # Federal legal holidays for business days: Thanksgiving 2025 (CN-04), observed dates.
    assert days[("US", "2025-11-27")] == "Thanksgiving Day" and ("US", "2026-07-03") in days
