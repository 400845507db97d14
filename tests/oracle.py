"""An independent Python statement of the rules on seed-format data, used to
check the dbt mart on generated data. It shares no code with the SQL: zones
come from ``zoneinfo``, days and counts from plain Python; the only shared
input is the state → zones table (dbt/seeds/state_zones.csv).

Candidate zones of a seed lead (contact-rules.md §0.3): its stated zone and
every zone of its state. A time-of-day verdict is ``definite`` when the
attempt is outside 08:00:00-21:00:00 in every candidate zone, ``possible``
when in some. The daily cap is counted per zone; the row is at the first
attempt over ``daily_cap`` (catalog rule CAP-CCI-1, default 3) on a local day
in some zone, one per lead and day in the stated zone, ``definite`` when that
attempt is over the cap in every zone.

Input: a seed-format directory without malformed rows (``generate(clean=True)``).
Output: ``{(violation_type, attempt_id): (attempts_on_local_day, certainty)}``.
"""

import csv
from collections import Counter, defaultdict
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

UTC = ZoneInfo("UTC")
STATE_ZONES = Path(__file__).resolve().parent.parent / "dbt" / "seeds" / "state_zones.csv"
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


def state_zones() -> dict[str, set[str]]:
    zones: dict[str, set[str]] = defaultdict(set)
    with open(STATE_ZONES, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            zones[row["state"]].add(row["iana_zone"])
    return zones


def outside(moment: datetime, zone: str) -> bool:
    wall = moment.astimezone(ZoneInfo(zone)).time().replace(tzinfo=None)
    return wall < time(8, 0, 0) or wall > time(21, 0, 0)


def certainty(hits: int, candidates: int) -> str:
    return "definite" if hits == candidates else "possible"


def expected_violations(directory: Path, daily_cap: int = 3) -> dict[tuple[str, str], tuple[int, str]]:
    leads = {row["lead_id"]: row for row in read(directory, "leads.csv")}
    dnc = {row["phone_hash"].strip().lower() for row in read(directory, "dnc.csv")}
    by_state = state_zones()
    found: dict[tuple[str, str], str] = {}
    primary_day: dict[str, tuple[str, object]] = {}
    per_zone_day: dict[tuple[str, str, object], list] = defaultdict(list)
    candidates_of: dict[str, set[str]] = {}
    moment_of: dict[str, datetime] = {}
    for attempt in read(directory, "contact_attempts.csv"):
        lead = leads[attempt["lead_id"]]
        moment = utc(attempt["attempt_ts"])
        stated = zone_for(lead["timezone"], lead["state"]).key
        candidates = {stated} | by_state[lead["state"].strip().upper()]
        key = attempt["attempt_id"]
        candidates_of[key], moment_of[key] = candidates, moment
        primary_day[key] = (lead["lead_id"], moment.astimezone(ZoneInfo(stated)).date())
        for zone in candidates:
            per_zone_day[(lead["lead_id"], zone, moment.astimezone(ZoneInfo(zone)).date())].append((moment, key))
        hits = sum(outside(moment, zone) for zone in candidates)
        if hits:
            found[("outside_allowed_hours", key)] = certainty(hits, len(candidates))
        if lead["opt_out_at"].strip() and moment >= utc(lead["opt_out_at"]):
            found[("attempt_after_opt_out", key)] = "definite"
        if lead["phone_hash"].strip().lower() in dnc:
            found[("dnc_match", key)] = "definite"
        if lead["consent_flag"].strip().lower() == "false":
            found[("no_consent", key)] = "definite"
    rank: dict[tuple[str, str], int] = {}
    for (_, zone, _), attempts in per_zone_day.items():
        for number, (_, attempt_id) in enumerate(sorted(attempts), start=1):
            rank[(attempt_id, zone)] = number
    day_count = Counter(primary_day.values())
    crossing: dict[tuple, list] = defaultdict(list)
    for attempt_id, zones in candidates_of.items():
        if any(rank[(attempt_id, zone)] == daily_cap + 1 for zone in zones):
            crossing[primary_day[attempt_id]].append((moment_of[attempt_id], attempt_id))
    for attempts in crossing.values():
        _, attempt_id = min(attempts)
        over = sum(rank[(attempt_id, zone)] > daily_cap for zone in candidates_of[attempt_id])
        found[("too_many_attempts_per_day", attempt_id)] = certainty(over, len(candidates_of[attempt_id]))
    return {key: (day_count[primary_day[key[1]]], verdict) for key, verdict in found.items()}

