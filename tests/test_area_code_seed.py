"""The area-code seed is what scripts/generate_area_code_zones.py makes from
the pinned phonenumbers data, and it carries the cases the rules rely on."""

import csv
import subprocess
import sys

from .conftest import REPO


def test_seed_is_generated_not_hand_edited():
    check = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "generate_area_code_zones.py"), "--check"],
        capture_output=True, text=True,
    )
    assert check.returncode == 0, check.stderr


def test_seed_has_multi_zone_codes_arizona_and_territories():
    with open(REPO / "dbt" / "seeds" / "area_code_zones.csv", newline="") as handle:
        seed = {row["npa"]: row for row in csv.DictReader(handle)}
    assert seed["850"]["iana_zones"].split() == ["America/Chicago", "America/New_York"]
    assert {"America/Boise", "America/Los_Angeles"} <= set(seed["208"]["iana_zones"].split())
    assert seed["602"]["iana_zones"] == "America/Phoenix" and seed["602"]["states"] == "AZ"
    assert (seed["787"]["region"], seed["787"]["iana_zones"]) == ("PR", "America/Puerto_Rico")
    assert seed["305"]["states"] == "FL" and seed["405"]["states"] == "OK" and seed["203"]["states"] == "CT"
    assert seed["800"]["iana_zones"] == ""
