"""An independent Python statement of issue #2's rules, used to check the
dbt mart on generated data. It shares no code with the SQL: zones come from
``zoneinfo``, days and counts from plain Python.

Input: a seed-format directory without malformed rows (``generate(clean=True)``).
Output: ``{(violation_type, attempt_id): attempts_on_local_day}``.
"""

import csv
from collections import defaultdict
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

UTC = ZoneInfo("UTC")
LABELS = {
    "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles", "PT": "America/Los_Angeles",
    "MST": "America/Denver", "MDT": "America/Denver", "MT": "America/Denver",
    "CST": "America/Chicago", "CDT": "America/Chicago", "CT": "America/Chicago",
    "EST": "America/New_York", "EDT": "America/New_York", "ET": "America/New_York",
    "AKST": "America/Anchorage", "AKDT": "America/Anchorage", "HST": "Pacific/Honolulu",
}


def zone_for(label: str, state: str) -> ZoneInfo:
    label = label.strip()
    if label.upper() in ("MST", "MDT", "MT") and state.strip().upper() == "AZ":
        return ZoneInfo("America/Phoenix")
    return ZoneInfo(LABELS.get(label.upper(), label))


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text.strip()).replace(tzinfo=UTC)


def read(directory: Path, name: str) -> list[dict]:
    with open(directory / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def expected_violations(directory: Path) -> dict[tuple[str, str], int]:
    leads = {row["lead_id"]: row for row in read(directory, "leads.csv")}
    dnc = {row["phone_hash"].strip().lower() for row in read(directory, "dnc.csv")}
    by_day = defaultdict(list)
    found = {}
    for attempt in read(directory, "contact_attempts.csv"):
        lead = leads[attempt["lead_id"]]
        moment = utc(attempt["attempt_ts"])
        local = moment.astimezone(zone_for(lead["timezone"], lead["state"]))
        by_day[(lead["lead_id"], local.date())].append((moment, attempt["attempt_id"]))
        key = attempt["attempt_id"]
        wall = local.time().replace(tzinfo=None)
        if wall < time(8, 0, 0) or wall > time(21, 0, 0):
            found[("outside_allowed_hours", key)] = None
        if lead["opt_out_at"].strip() and moment >= utc(lead["opt_out_at"]):
            found[("attempt_after_opt_out", key)] = None
        if lead["phone_hash"].strip().lower() in dnc:
            found[("dnc_match", key)] = None
        if lead["consent_flag"].strip().lower() == "false":
            found[("no_consent", key)] = None
    day_count = {}
    for attempts in by_day.values():
        attempts.sort()
        for _, attempt_id in attempts:
            day_count[attempt_id] = len(attempts)
        if len(attempts) > 3:
            found[("too_many_attempts_per_day", attempts[3][1])] = None
    return {key: day_count[key[1]] for key in found}
