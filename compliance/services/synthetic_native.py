"""Synthetic datasets in CCI's native format (docs/data-contract.md), for
demos and tests.

Deterministic for a given ``seed``. Writes every native entity: ads, leads
(phones in many spellings, emails, addresses, stated zones), contact attempts
(all channels, technologies and purposes; timestamps with the local offset),
consents, opt-outs, DNC entries (a national list of plain phones, an internal
list pre-hashed with the canary number, a state list) with list versions, and
conversions. Zone evidence covers multi-zone area codes (850, 208, 812, 928),
Arizona, territories (Puerto Rico, Guam), a toll-free number (no evidence)
and leads whose stated zone conflicts with their address. Unless ``clean`` is
set, one row per kind of defect is added to each file so the quarantine can
be seen. ``file_type`` is ``csv`` or ``jsonl`` (JSON Lines, same fields).
"""

import csv
import json
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from .phone_identity import normalize_phone, phone_hash
from .raw_formats import NATIVE_FORMAT
from .synthetic import DST_DATES, PERIOD_DAYS, PERIOD_START, random_local_time

# The canary every pre-hashed DNC list carries (dbt var dnc_canary_phone).
CANARY_E164 = "+12025550123"


@dataclass(frozen=True)
class Profile:
    """Where a synthetic person lives: address state and ZIP, the zone label
    the lead record states (empty: none), the zone their day is lived in,
    and their phone's area code."""

    state: str
    zip_code: str
    stated: str
    lives_in: str
    area_code: str


PROFILES = (
    Profile("NY", "10001", "America/New_York", "America/New_York", "212"),
    Profile("CA", "90012", "PST", "America/Los_Angeles", "213"),
    Profile("IL", "60601", "", "America/Chicago", "312"),
    Profile("FL", "33101", "ET", "America/New_York", "305"),
    Profile("FL", "32501", "", "America/Chicago", "850"),      # Pensacola: 850 is Central and Eastern
    Profile("ID", "83702", "", "America/Boise", "208"),        # Boise: 208 spans Mountain and Pacific
    Profile("IN", "47708", "CT", "America/Chicago", "812"),    # Evansville: 812 spans Eastern and Central
    Profile("AZ", "85004", "MST", "America/Phoenix", "602"),   # Phoenix: no DST
    Profile("AZ", "86515", "", "America/Phoenix", "928"),      # Window Rock: Navajo Nation keeps DST
    Profile("HI", "96813", "HST", "Pacific/Honolulu", "808"),
    Profile("PR", "00901", "", "America/Puerto_Rico", "787"),
    Profile("GU", "96910", "", "Pacific/Guam", "671"),
    Profile("NY", "10001", "America/Los_Angeles", "America/New_York", "212"),  # stated zone conflicts with address
    Profile("", "", "", "America/Chicago", "800"),             # toll-free, no address: every US zone
)
PHONE_SPELLINGS = ("({a}) {b}-{c}", "{a}.{b}.{c}", "+1 {a} {b} {c}", "1-{a}-{b}-{c}", "+1{a}{b}{c}", "{a}{b}{c} x12")
CHANNELS = ("call", "call", "sms", "sms", "email", "rvm")
TECHNOLOGIES = ("manual", "atds", "prerecorded", "ai_voice")
PURPOSES = ("telemarketing", "telemarketing", "informational", "debt_collection")
OUTCOMES = ("conversation", "voicemail", "no_answer", "busy", "network_fail")


@dataclass
class Person:
    lead_id: str
    e164: str
    profile: Profile

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.profile.lives_in)


def offset_text(moment: datetime) -> str:
    """ISO 8601 with the local UTC offset, as a dialer in that zone writes it."""
    return moment.isoformat(timespec="seconds")


def spell_phone(rng: random.Random, e164: str) -> str:
    """The number as a CRM might have typed it."""
    digits = e164[2:]
    return rng.choice(PHONE_SPELLINGS).format(a=digits[:3], b=digits[3:6], c=digits[6:])


def generate_native(
    out_dir: Path, leads: int, seed: int, clean: bool = False, file_type: str = "csv"
) -> dict[str, int]:
    """Write one file per native entity to ``out_dir`` (created if missing).
    Returns the number of rows per file. Raises ValueError if ``leads`` < 1
    or ``file_type`` is not csv or jsonl."""
    if leads < 1:
        raise ValueError("leads must be at least 1")
    if file_type not in ("csv", "jsonl"):
        raise ValueError("file_type must be csv or jsonl")
    rng = random.Random(seed)
    rows: dict[str, list[dict]] = {spec.stem: [] for spec in NATIVE_FORMAT}
    rows["ads"] = [
        {"ad_id": f"AD-{n:02d}", "campaign_id": f"CMP-{(n - 1) // 2 + 1:02d}",
         "platform": ("facebook", "google", "tiktok")[n % 3], "name": f"Spring offer {n}",
         "started_at": "2025-01-01T00:00:00Z"}
        for n in range(1, 7)
    ]
    people = [make_person(rng, n) for n in range(1, leads + 1)]
    for person in people:
        add_person(rng, rows, person)
    add_dnc_lists(rng, rows, people)
    if not clean:
        add_defects(rows, people[0].lead_id)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for spec in NATIVE_FORMAT:
        write_rows(out_dir / f"{spec.stem}.{file_type}", spec.columns, rows[spec.stem])
    return {f"{stem}.{file_type}": len(entity_rows) for stem, entity_rows in rows.items()}


def make_person(rng: random.Random, number: int) -> Person:
    """Person ``number`` with a random profile and a fictional 555 number."""
    profile = rng.choice(PROFILES)
    e164 = normalize_phone(f"({profile.area_code}) 555-{rng.randint(100, 9999):04d}").e164
    return Person(f"N{number:06d}", e164, profile)


def add_person(rng: random.Random, rows: dict[str, list[dict]], person: Person) -> None:
    """The lead, its attempts, and sometimes consent, opt-out and conversion."""
    moments = attempt_moments(rng, person.zone)
    created = moments[0] - timedelta(days=rng.randint(1, 30))
    rows["leads"].append({
        "lead_id": person.lead_id,
        "phone": spell_phone(rng, person.e164),
        "phone_hash": phone_hash(person.e164) if rng.random() < 0.3 else "",
        "email": f"{person.lead_id.lower()}@example.com",
        "address_state": person.profile.state,
        "address_zip": person.profile.zip_code,
        "timezone": person.profile.stated,
        "ad_id": f"AD-{rng.randint(1, 6):02d}",
        "created_at": offset_text(created),
    })
    for moment in moments:
        rows["contact_attempts"].append(attempt_row(rng, person, moment, len(rows["contact_attempts"]) + 1))
    if rng.random() < 0.85:
        rows["consents"].append({
            "consent_id": f"CN-{person.lead_id}", "lead_id": person.lead_id,
            "kind": rng.choice(("pewc", "pewc", "pec")), "channels": rng.choice(("call,sms", "all", "sms", "call")),
            "seller": "Acme Solar", "captured_at": offset_text(created + timedelta(minutes=5)),
            "method": "web_form", "disclosure_shown": "true", "revoked_at": "",
        })
    if rng.random() < 0.12:
        rows["opt_outs"].append({
            "opt_out_id": f"OO-{person.lead_id}", "lead_id": person.lead_id, "phone": "", "email": "",
            "channel_scope": rng.choice(("all", "sms", "call")), "requested_at": offset_text(rng.choice(moments)),
            "method": rng.choice(("stop_keyword", "verbal", "web")),
        })
    if rng.random() < 0.2:
        rows["conversions"].append({
            "conversion_id": f"CV-{person.lead_id}", "lead_id": person.lead_id,
            "kind": rng.choice(("purchase", "inquiry", "application")),
            "occurred_at": offset_text(moments[-1] + timedelta(days=2)),
            "revenue": f"{rng.randint(10, 900)}.{rng.randint(0, 99):02d}",
        })


def attempt_moments(rng: random.Random, zone: ZoneInfo) -> list[datetime]:
    """Attempt instants for one person, sorted: random days, sometimes a burst
    of 4-6 on one local day or an attempt on a daylight-saving transition day."""
    days = [PERIOD_START + timedelta(days=rng.randrange(PERIOD_DAYS)) for _ in range(rng.randint(1, 4))]
    moments = [datetime.combine(day, random_local_time(rng), tzinfo=zone) for day in days]
    if rng.random() < 0.12:
        burst_day = PERIOD_START + timedelta(days=rng.randrange(PERIOD_DAYS))
        moments += [datetime.combine(burst_day, random_local_time(rng), tzinfo=zone) for _ in range(rng.randint(4, 6))]
    if rng.random() < 0.15:
        moments.append(datetime.combine(rng.choice(DST_DATES), time(rng.choice((7, 8)), 30), tzinfo=zone))
    return sorted(moments)


def attempt_row(rng: random.Random, person: Person, moment: datetime, number: int) -> dict:
    """One contact attempt; about 1 in 10 calls another number of the same person."""
    channel = rng.choice(CHANNELS)
    purpose = rng.choice(PURPOSES)
    other_number = rng.random() < 0.1 and channel != "email"
    return {
        "attempt_id": f"NA{number:07d}",
        "lead_id": person.lead_id,
        "to_phone": spell_phone(rng, person.e164[:-4] + f"{rng.randint(0, 99):04d}") if other_number else "",
        "channel": channel,
        "technology": "" if channel == "email" else rng.choice(TECHNOLOGIES),
        "purpose": purpose,
        "attempted_at": offset_text(moment),
        "outcome": rng.choice(("sent", "delivered")) if channel in ("sms", "email") else rng.choice(OUTCOMES),
        "campaign_id": f"CMP-{rng.randint(1, 3):02d}",
        "subject": rng.choice(("solar quote", "follow-up")),
        "debt_id": f"D-{person.lead_id}" if purpose == "debt_collection" else "",
        "caller_id": f"+1800555{rng.randint(1000, 9999)}",
    }


def add_dnc_lists(rng: random.Random, rows: dict[str, list[dict]], people: list[Person]) -> None:
    """A national list of plain phones, an internal list pre-hashed (with the
    canary), a Florida state list, and the list versions the scrubs used."""
    for person in people:
        roll = rng.random()
        if roll < 0.06:
            rows["dnc_entries"].append({"list": "national", "phone": spell_phone(rng, person.e164), "phone_hash": "",
                                        "registered_at": "2024-06-01T00:00:00Z", "removed_at": ""})
        elif roll < 0.10:
            rows["dnc_entries"].append({"list": "internal", "phone": "", "phone_hash": phone_hash(person.e164).upper(),
                                        "registered_at": offset_text(datetime(2025, 6, 1, tzinfo=person.zone)),
                                        "removed_at": ""})
        elif roll < 0.12 and person.profile.state == "FL":
            rows["dnc_entries"].append({"list": "state:FL", "phone": person.e164, "phone_hash": "",
                                        "registered_at": "2024-01-15T00:00:00Z", "removed_at": "2026-01-15T00:00:00Z"})
    rows["dnc_entries"].append({"list": "internal", "phone": "", "phone_hash": phone_hash(CANARY_E164),
                                "registered_at": "2020-01-01T00:00:00Z", "removed_at": ""})
    rows["dnc_list_versions"] += [
        {"list": "national", "obtained_at": f"{day.isoformat()}T06:00:00Z"}
        for day in (date(2025, 1, 2), date(2025, 2, 1), date(2025, 3, 3))
    ] + [{"list": "state:FL", "obtained_at": "2025-01-10T06:00:00Z"}]


def add_defects(rows: dict[str, list[dict]], known_lead: str) -> None:
    """One row per kind of defect each file's staging must quarantine, not drop."""
    lead = rows["leads"][0]
    rows["ads"].append({"ad_id": "", "campaign_id": "CMP-09", "platform": "x", "name": "no id",
                        "started_at": "2025-01-01T00:00:00Z"})
    rows["leads"] += [
        dict(lead, lead_id="NBAD-PHONE", phone="+44 20 7946 0958", phone_hash=""),
        dict(lead, lead_id="NBAD-ZONE", timezone="Mars/Olympus"),
        dict(lead, lead_id="NBAD-NAIVE", created_at="2025-05-01T10:00:00"),
        dict(lead, lead_id="NBAD-HASH", phone_hash="0" * 64),
    ]
    attempt = rows["contact_attempts"][0]
    rows["contact_attempts"] += [
        dict(attempt, attempt_id="NABAD-NAIVE", attempted_at="2025-05-02T15:00:00"),
        dict(attempt, attempt_id="NABAD-LEAD", lead_id="N_UNKNOWN"),
        dict(attempt, attempt_id="NABAD-CHANNEL", channel="fax"),
        dict(attempt, campaign_id="CMP-CHANGED"),  # same attempt_id, different content, same load
    ]
    rows["consents"].append({"consent_id": "CNBAD", "lead_id": known_lead, "kind": "verbal-ish", "channels": "fax",
                             "seller": "", "captured_at": "yesterday", "method": "", "disclosure_shown": "maybe",
                             "revoked_at": ""})
    rows["opt_outs"].append({"opt_out_id": "OOBAD", "lead_id": "", "phone": "", "email": "", "channel_scope": "all",
                             "requested_at": "2025-05-01T10:00:00Z", "method": "web"})
    rows["dnc_entries"].append({"list": "national", "phone": "555-0107", "phone_hash": "", "registered_at": "",
                                "removed_at": ""})
    rows["dnc_list_versions"].append({"list": "county:Dade", "obtained_at": "2025-01-10T06:00:00Z"})
    rows["conversions"].append({"conversion_id": "CVBAD", "lead_id": known_lead, "kind": "purchase",
                                "occurred_at": "2025-05-01T10:00:00Z", "revenue": "12,50"})


def write_rows(path: Path, columns: tuple[str, ...], rows: list[dict]) -> None:
    """Write ``rows`` as CSV with a header, or as JSON Lines (``.jsonl``); a
    column a row does not have is written empty (left out in JSON Lines)."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        if path.suffix == ".jsonl":
            for row in rows:
                handle.write(json.dumps({c: row[c] for c in columns if row.get(c, "") != ""}) + "\n")
            return
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows([row.get(c, "") for c in columns] for row in rows)
