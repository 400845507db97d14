"""Synthetic datasets in the seed CSV format, for demos and tests.

Deterministic for a given ``seed``. Every rule of the mart fires: attempts
before 08:00 and after 21:00 local (and exactly on both boundaries), bursts of
4+ attempts on one local day, attempts after opt-out, DNC hashes written in
mixed case with spaces, leads without consent, Arizona leads with a Mountain
label, and attempts on the US daylight-saving transition dates (15 U.S.C. 260a:
2025-03-09, 2025-11-02, 2026-03-08, 2026-11-01). Unless ``clean`` is set, a
few malformed rows (bad timestamp, unknown lead, bad boolean, unknown zone
label) are added so the quarantine can be seen.
"""

import csv
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from compliance.ingest.formats import SEED_FORMAT
from compliance.ingest.phone_identity import normalize_phone, phone_hash

UTC = ZoneInfo("UTC")

# (state, zone label as customers write it, IANA zone it means, area code)
PROFILES = (
    ("CA", "PST", "America/Los_Angeles", "213"),
    ("WA", "PT", "America/Los_Angeles", "206"),
    ("NY", "EST", "America/New_York", "212"),
    ("FL", "ET", "America/New_York", "305"),
    ("TX", "CST", "America/Chicago", "512"),
    ("IL", "CT", "America/Chicago", "312"),
    ("CO", "MST", "America/Denver", "303"),
    ("UT", "MT", "America/Denver", "801"),
    ("AZ", "MST", "America/Phoenix", "602"),
    ("AZ", "America/Phoenix", "America/Phoenix", "480"),
    ("AK", "AKST", "America/Anchorage", "907"),
    ("HI", "HST", "Pacific/Honolulu", "808"),
    ("IN", "America/Indiana/Indianapolis", "America/Indiana/Indianapolis", "317"),
    ("ID", "America/Boise", "America/Boise", "208"),
)
DST_DATES = (date(2025, 3, 9), date(2025, 11, 2), date(2026, 3, 8), date(2026, 11, 1))
PERIOD_START = date(2025, 1, 1)
PERIOD_DAYS = 680  # through 2026-11-11
BOUNDARY_TIMES = (time(7, 59, 59), time(8, 0, 0), time(21, 0, 0), time(21, 0, 1))


@dataclass
class Lead:
    """A synthetic lead: id, E.164 phone, state, zone label as exported and the zone it means."""

    lead_id: str
    phone_e164: str
    state: str
    label: str
    zone: ZoneInfo


def utc_text(moment: datetime) -> str:
    """ISO 8601 without offset, in UTC (the seed contract)."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds")


def local_moment(zone: ZoneInfo, day: date, at: time) -> datetime:
    """The instant of wall-clock ``at`` on ``day`` in ``zone`` (first fold)."""
    return datetime.combine(day, at, tzinfo=zone)


def random_local_time(rng: random.Random) -> time:
    """Mostly business hours, sometimes early morning or late evening."""
    roll = rng.random()
    if roll < 0.12:
        hour = rng.choice((5, 6, 7))
    elif roll < 0.24:
        hour = rng.choice((21, 22, 23))
    else:
        hour = rng.randint(8, 20)
    return time(hour, rng.randint(0, 59), rng.randint(0, 59))


def generate(out_dir: Path, leads: int, seed: int, clean: bool = False) -> dict[str, int]:
    """Write leads.csv, contact_attempts.csv, conversions.csv and dnc.csv to
    ``out_dir`` (created if missing). Returns the number of rows per file.
    Raises ValueError if ``leads`` < 1."""
    if leads < 1:
        raise ValueError("leads must be at least 1")
    rng = random.Random(seed)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = {spec.file_name: [] for spec in SEED_FORMAT}
    people = [make_lead(rng, n) for n in range(1, leads + 1)]
    attempt_counter = iter(range(1, 10**9))
    for person in people:
        moments = attempt_moments(rng, person)
        opt_out = rng.choice(moments) if rng.random() < 0.12 else None
        rows["leads.csv"].append(lead_row(rng, person, moments[0], opt_out))
        for moment in moments:
            rows["contact_attempts.csv"].append(
                [f"A{next(attempt_counter):07d}", person.lead_id, rng.choice(("call", "call", "sms")),
                 utc_text(moment), rng.choice(("answered", "no_answer", "voicemail", "busy", "delivered")),
                 f"CMP-{rng.randint(1, 6):02d}"]
            )
        if rng.random() < 0.2:
            rows["conversions.csv"].append(
                [f"C{len(rows['conversions.csv']) + 1:06d}", person.lead_id, utc_text(moments[-1] + timedelta(days=2)),
                 rng.choice(("purchase", "inquiry", "application")), f"{rng.randint(10, 900)}.{rng.randint(0, 99):02d}"]
            )
        if rng.random() < 0.08:
            rows["dnc.csv"].append([dnc_spelling(rng, phone_hash(person.phone_e164))])
    # Listed numbers that belong to no lead (area code 646 is not in PROFILES):
    # one per 20 leads, up to the 10,000 numbers 555-0000..9999 there are.
    rows["dnc.csv"].extend(
        [phone_hash(normalize_phone(f"(646) 555-{n:04d}").e164)] for n in range(min(10_000, max(3, leads // 20)))
    )
    if not clean:
        add_malformed_rows(rows, people[0].lead_id)
    for spec in SEED_FORMAT:
        write_csv(out_dir / spec.file_name, spec.columns, rows[spec.file_name])
    return {name: len(file_rows) for name, file_rows in rows.items()}


def make_lead(rng: random.Random, number: int) -> Lead:
    """Lead number ``number`` with a random zone profile and a fictional 555 number."""
    state, label, zone, area_code = rng.choice(PROFILES)
    e164 = normalize_phone(f"({area_code}) 555-{rng.randint(0, 9999):04d}").e164
    return Lead(f"L{number:06d}", e164, state, label, ZoneInfo(zone))


def lead_row(rng: random.Random, person: Lead, first_attempt: datetime, opt_out: datetime | None) -> list[str]:
    """The leads.csv row of ``person`` (about 10% without consent)."""
    created = first_attempt - timedelta(days=rng.randint(1, 30), minutes=rng.randint(0, 600))
    return [
        person.lead_id,
        phone_hash(person.phone_e164),
        person.state,
        person.label,
        rng.choice(("web_form", "partner", "inbound_call", "event")),
        utc_text(created),
        "false" if rng.random() < 0.1 else "true",
        utc_text(opt_out) if opt_out else "",
    ]


def attempt_moments(rng: random.Random, person: Lead) -> list[datetime]:
    """Attempt instants for one lead, sorted: random days, plus sometimes a
    burst of 4-6 on one local day, a DST transition day, or a boundary time."""
    moments = []
    for _ in range(rng.randint(1, 5)):
        day = PERIOD_START + timedelta(days=rng.randrange(PERIOD_DAYS))
        moments.append(local_moment(person.zone, day, random_local_time(rng)))
    if rng.random() < 0.12:
        day = PERIOD_START + timedelta(days=rng.randrange(PERIOD_DAYS))
        moments += [local_moment(person.zone, day, random_local_time(rng)) for _ in range(rng.randint(4, 6))]
    if rng.random() < 0.15:
        day = rng.choice(DST_DATES)
        moments.append(local_moment(person.zone, day, time(rng.choice((7, 8)), 30)))
    if rng.random() < 0.1:
        day = PERIOD_START + timedelta(days=rng.randrange(PERIOD_DAYS))
        moments.append(local_moment(person.zone, day, rng.choice(BOUNDARY_TIMES)))
    return sorted(moments)


def dnc_spelling(rng: random.Random, digest: str) -> str:
    """The same hash as a customer's file might spell it: case and spaces vary."""
    spelled = digest.upper() if rng.random() < 0.3 else digest
    return f"  {spelled} " if rng.random() < 0.3 else spelled


def add_malformed_rows(rows: dict[str, list[list[str]]], known_lead: str) -> None:
    """One row per kind of defect the loader must quarantine, not drop."""
    rows["leads.csv"] += [
        ["LBAD01", phone_hash("+12125550199"), "NY", "Mars/Olympus", "web_form", "2025-05-01T10:00:00", "true", ""],
        ["LBAD02", phone_hash("+12125550198"), "NY", "EST", "web_form", "2025-05-01T10:00:00", "maybe", ""],
    ]
    rows["contact_attempts.csv"] += [
        ["ABAD01", known_lead, "call", "2025-13-45T99:00:00", "answered", "CMP-01"],
        ["ABAD02", "L_UNKNOWN", "sms", "2025-05-02T15:00:00", "delivered", "CMP-01"],
    ]


def write_csv(path: Path, header: tuple[str, ...], rows: list[list[str]]) -> None:
    """Write ``rows`` under ``header`` as UTF-8 CSV."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
