"""An independent Python statement of the rules on seed-format data, used to
check the dbt mart on generated data. It shares no code with the SQL: zones
come from ``zoneinfo``, days and counts from plain Python; the only shared
input is the state → zones table (dbt/seeds/state_zones.csv).

Candidate zones of a seed lead (docs/rules.md#zones-and-states): its stated zone and
every zone of its state. A time-of-day verdict is ``definite`` when the
attempt is outside 08:00:00-21:00:00 in every candidate zone, ``possible``
when in some. The daily cap is counted per zone; the row is at the first
attempt over ``daily_cap`` (catalog rule CAP-CCI-1, default 3) on a local day
in some zone, one per lead and day in the stated zone, ``definite`` when that
attempt is over the cap in every zone.

State rules (docs/rules.md#zones-and-states): a seed lead's only candidate state is
its address state. State caps (FL/OK/MD) count the lead's attempts within a
closed 24-hour period of elapsed time. Each state window (family outside_allowed_hours) and each
restricted day (family restricted_day: banned weekdays, the state's holidays,
dated restrictions; Utah lifted by consent) is checked in every candidate
zone with that zone's local weekday and date. The rules' parameters are read
from the catalog seed and the dates from the holiday seeds: configuration
shared with the SQL, the logic is not. A rule whose ``definite_enabled`` is
false gives ``possible``.

Input: a seed-format directory without malformed rows (``generate(clean=True)``).
Output: ``{(violation_type, attempt_id, rule_id): (attempts_on_local_day, certainty)}``.
"""

import csv
import json
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

UTC = ZoneInfo("UTC")
SEEDS = Path(__file__).resolve().parent.parent / "dbt" / "seeds"
STATE_ZONES = SEEDS / "state_zones.csv"
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


def state_rules() -> list[dict]:
    """Catalog rows of state rules (jurisdiction a state code), parameters parsed."""
    rules = []
    for row in read(SEEDS, "rule_catalog.csv"):
        if len(row["jurisdiction"]) == 2 and row["jurisdiction"] != "US":
            rules.append({**row, "params": json.loads(row["parameters"])})
    return rules


def restricted_dates() -> dict[tuple[str, str], set[date]]:
    """(state, parameter) -> dates: holidays_banned from holiday_calendars.csv,
    restricted_dates from state_restricted_dates.csv (inclusive periods)."""
    dates: dict[tuple[str, str], set[date]] = defaultdict(set)
    for row in read(SEEDS, "holiday_calendars.csv"):
        dates[(row["calendar"], "holidays_banned")].add(date.fromisoformat(row["holiday_on"]))
    for row in read(SEEDS, "state_restricted_dates.csv"):
        day, end = date.fromisoformat(row["starts_on"]), date.fromisoformat(row["ends_on"])
        while day <= end:
            dates[(row["state"], "restricted_dates")].add(day)
            day += timedelta(days=1)
    return dates


def breaks_state_rule(rule: dict, local: datetime, consent: bool, dates) -> bool:
    """Whether the attempt at wall-clock ``local`` breaks ``rule`` in that zone."""
    params, weekday = rule["params"], local.strftime("%a").lower()
    if rule["violation_type"] == "outside_allowed_hours":
        start, end = params.get("day_windows", {}).get(weekday, [params["window_start"], params["window_end"]])
        wall = local.time().replace(tzinfo=None)
        return wall < time.fromisoformat(start) or wall > time.fromisoformat(end)
    if params.get("consent_exempts") and consent:
        return False
    return weekday in params["banned_weekdays"] or any(
        params.get(flag) and local.date() in dates[(rule["jurisdiction"], flag)]
        for flag in ("holidays_banned", "restricted_dates")
    )


def rolling_cap_violations(capped: dict, rules: dict) -> dict[tuple[str, str, str], str]:
    """State caps (FL/OK/MD): an attempt is a violation when, counting it and
    the lead's earlier attempts at most ``window_hours`` before it (a closed
    period of elapsed time), there are more than ``max_attempts``. Seed
    attempts have no subject: they are counted together."""
    found = {}
    for (rule_id, _), attempts in capped.items():
        params, attempts = rules[rule_id]["params"], sorted(attempts)
        window = timedelta(hours=params["window_hours"])
        for index, (moment, attempt_id) in enumerate(attempts):
            if sum(1 for earlier, _ in attempts[: index + 1] if earlier >= moment - window) > params["max_attempts"]:
                verdict = "definite" if rules[rule_id]["definite_enabled"] == "true" else "possible"
                found[("too_many_attempts_per_day", attempt_id, rule_id)] = verdict
    return found


def in_scope(rule: dict, channel: str, local_date: date) -> bool:
    return (channel in rule["channels"].split() and "telemarketing" in rule["purposes"].split()
            and date.fromisoformat(rule["effective_from"]) <= local_date
            and (not rule["effective_to"] or local_date < date.fromisoformat(rule["effective_to"])))


def expected_violations(directory: Path, daily_cap: int = 3) -> dict[tuple[str, str], tuple[int, str]]:
    leads = {row["lead_id"]: row for row in read(directory, "leads.csv")}
    dnc = {row["phone_hash"].strip().lower() for row in read(directory, "dnc.csv")}
    by_state = state_zones()
    rules, dates = state_rules(), restricted_dates()
    found: dict[tuple[str, str, str], str] = {}
    capped: dict[tuple[str, str], list] = defaultdict(list)  # (state cap rule, lead) -> [(moment, attempt_id)]
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
            found[("outside_allowed_hours", key, "QH-FED-1")] = certainty(hits, len(candidates))
        if lead["opt_out_at"].strip() and moment >= utc(lead["opt_out_at"]):
            # The seed's opt_out_at has no allowance; email falls under CAN-SPAM.
            rule = "OPT-CS-1" if attempt["channel"] == "email" else "OPT-FED-1"
            found[("attempt_after_opt_out", key, rule)] = "definite"
        if lead["phone_hash"].strip().lower() in dnc:
            found[("dnc_match", key, "DNC-FED-1")] = "definite"
        consent = lead["consent_flag"].strip().lower()
        if consent == "false":
            found[("no_consent", key, "CON-FED-1")] = "definite"
        state = lead["state"].strip().upper()
        for rule in rules:
            if rule["jurisdiction"] != state or not in_scope(rule, attempt["channel"], primary_day[key][1]):
                continue
            if rule["violation_type"] == "too_many_attempts_per_day":
                capped[(rule["rule_id"], lead["lead_id"])].append((moment, key))
                continue
            hits = sum(breaks_state_rule(rule, moment.astimezone(ZoneInfo(zone)), consent == "true", dates)
                       for zone in candidates)
            if hits:
                verdict = certainty(hits, len(candidates)) if rule["definite_enabled"] == "true" else "possible"
                found[(rule["violation_type"], key, rule["rule_id"])] = verdict
    found.update(rolling_cap_violations(capped, {rule["rule_id"]: rule for rule in rules}))
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
        found[("too_many_attempts_per_day", attempt_id, "CAP-CCI-1")] = certainty(over, len(candidates_of[attempt_id]))
    return {key: (day_count[primary_day[key[1]]], verdict) for key, verdict in found.items()}

