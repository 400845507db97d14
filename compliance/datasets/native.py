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

Besides the random contact history, a second random stream (so the rows
above stay the same for a given seed) adds what the history alone never
shows (``add_rule_exercises``): series of debt-collection calls on one debt
over 7 local days, of 8 to 10 counted calls (Reg F, 12 CFR
1006.14(b)(2)(i)(A): RF-FREQ-1) or exactly 7 (the near miss), busy and
network failures beside them not counted; numbers registered on the national
registry during the period, some with a purchase, inquiry or application
before their calls (an established business relationship, 47 CFR
64.1200(f)(5): exempt, possible on the anniversary, or expired); and monthly
registry downloads with gaps, so a number registered after the version a
scrub used is safe-harbor eligible when that version is at most 31 days old
and not when older (64.1200(c)(2)(i)(D)).

Rows are written as they are made (:class:`RowWriter`): the generator holds
the people and, per attempt, 9 bytes of what ``add_rule_exercises`` reads
(:class:`History`), never the rows, so 3 million leads fit in about 1 GiB.
"""

import csv
import json
import random
from array import array
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from compliance.datasets.seed import DST_DATES, PERIOD_DAYS, PERIOD_START, random_local_time
from compliance.ingest.formats import NATIVE_FORMAT
from compliance.ingest.phone_identity import normalize_phone, phone_hash

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


@dataclass(slots=True)
class Person:
    """Synthetic person ``number`` (1, 2, ...), lead ``lead_id``."""

    number: int
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
    with RowWriter(Path(out_dir), file_type) as rows:
        for n in range(1, 7):
            rows.add("ads", {"ad_id": f"AD-{n:02d}", "campaign_id": f"CMP-{(n - 1) // 2 + 1:02d}",
                             "platform": ("facebook", "google", "tiktok")[n % 3], "name": f"Spring offer {n}",
                             "started_at": "2025-01-01T00:00:00Z"})
        people = [make_person(rng, n) for n in range(1, leads + 1)]
        history = History(len(people))
        for person in people:
            add_person(rng, rows, history, person)
        listed = add_dnc_lists(rng, rows, people)
        add_rule_exercises(random.Random(f"{seed}:rule-exercises"), rows, history, people, listed)
        if not clean:
            add_defects(rows, people[0].lead_id)
    return {f"{stem}.{file_type}": count for stem, count in rows.counts.items()}


class RowWriter:
    """One open file per native entity in ``out_dir`` (created if missing),
    rows written in the order they are added (:func:`write_rows`' format);
    ``counts`` per entity and the ``first`` row of each are kept."""

    def __init__(self, out_dir: Path, file_type: str):
        out_dir.mkdir(parents=True, exist_ok=True)
        self.handles, self.writers = {}, {}
        for spec in NATIVE_FORMAT:
            handle = open(out_dir / f"{spec.stem}.{file_type}", "w", newline="", encoding="utf-8")
            self.handles[spec.stem] = handle
            self.writers[spec.stem] = row_writer(handle, spec.columns, jsonl=file_type == "jsonl")
        self.counts = dict.fromkeys(self.handles, 0)
        self.first: dict[str, dict] = {}

    def add(self, stem: str, row: dict) -> None:
        """Write ``row`` to the entity's file (a missing column is empty)."""
        self.writers[stem](row)
        self.counts[stem] += 1
        self.first.setdefault(stem, row)

    def __enter__(self) -> "RowWriter":
        return self

    def __exit__(self, *exc) -> None:
        for handle in self.handles.values():
            handle.close()


class History:
    """What ``add_rule_exercises`` reads of the random history, per person
    (by ``Person.number``): their attempts' instants (epoch seconds), purpose
    and channel, in order, and whether they opted out or gave written
    consent (PEWC)."""

    def __init__(self, people: int):
        self.starts = array("q", [0])
        self.instants = array("q")
        self.kinds = bytearray()
        self.opted_out = bytearray(people + 1)
        self.written = bytearray(people + 1)

    def add_attempt(self, row: dict) -> None:
        """Record an attempt of the person being added (``end_person`` after the last)."""
        self.instants.append(int(datetime.fromisoformat(row["attempted_at"]).timestamp()))
        self.kinds.append(ATTEMPT_KINDS.index((row["purpose"], row["channel"])))

    def end_person(self) -> None:
        self.starts.append(len(self.instants))

    def attempts(self, person: Person) -> list[dict]:
        """The person's attempts as ``attempted_at`` (in their zone), ``purpose`` and ``channel``."""
        return [
            {"attempted_at": offset_text(datetime.fromtimestamp(self.instants[i], person.zone)),
             "purpose": ATTEMPT_KINDS[self.kinds[i]][0], "channel": ATTEMPT_KINDS[self.kinds[i]][1]}
            for i in range(self.starts[person.number - 1], self.starts[person.number])
        ]


ATTEMPT_KINDS = tuple((purpose, channel) for purpose in sorted(set(PURPOSES)) for channel in sorted(set(CHANNELS)))


def make_person(rng: random.Random, number: int) -> Person:
    """Person ``number`` with a random profile and a fictional 555 number."""
    profile = rng.choice(PROFILES)
    e164 = normalize_phone(f"({profile.area_code}) 555-{rng.randint(100, 9999):04d}").e164
    return Person(number, f"N{number:06d}", e164, profile)


def add_person(rng: random.Random, rows: RowWriter, history: History, person: Person) -> None:
    """The lead, its attempts, and sometimes consent, opt-out and conversion."""
    moments = attempt_moments(rng, person.zone)
    created = moments[0] - timedelta(days=rng.randint(1, 30))
    rows.add("leads", {
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
        attempt = attempt_row(rng, person, moment, rows.counts["contact_attempts"] + 1)
        rows.add("contact_attempts", attempt)
        history.add_attempt(attempt)
    history.end_person()
    if rng.random() < 0.85:
        consent = {
            "consent_id": f"CN-{person.lead_id}", "lead_id": person.lead_id,
            "kind": rng.choice(("pewc", "pewc", "pec")), "channels": rng.choice(("call,sms", "all", "sms", "call")),
            "seller": "Acme Solar", "captured_at": offset_text(created + timedelta(minutes=5)),
            "method": "web_form", "disclosure_shown": "true", "revoked_at": "",
        }
        rows.add("consents", consent)
        history.written[person.number] = consent["kind"] == "pewc"
    if rng.random() < 0.12:
        history.opted_out[person.number] = True
        rows.add("opt_outs", {
            "opt_out_id": f"OO-{person.lead_id}", "lead_id": person.lead_id, "phone": "", "email": "",
            "channel_scope": rng.choice(("all", "sms", "call")), "requested_at": offset_text(rng.choice(moments)),
            "method": rng.choice(("stop_keyword", "verbal", "web")),
        })
    if rng.random() < 0.2:
        rows.add("conversions", {
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


def add_dnc_lists(rng: random.Random, rows: RowWriter, people: list[Person]) -> dict[str, str]:
    """A national list of plain phones, an internal list pre-hashed (with the
    canary), a Florida state list, and the list versions the scrubs used.
    Returns the list each listed person's number is on (lead id -> list)."""
    listed = {}
    for person in people:
        roll = rng.random()
        if roll < 0.06:
            listed[person.lead_id] = "national"
            rows.add("dnc_entries", {"list": "national", "phone": spell_phone(rng, person.e164), "phone_hash": "",
                                     "registered_at": "2024-06-01T00:00:00Z", "removed_at": ""})
        elif roll < 0.10:
            listed[person.lead_id] = "internal"
            rows.add("dnc_entries", {"list": "internal", "phone": "", "phone_hash": phone_hash(person.e164).upper(),
                                     "registered_at": offset_text(datetime(2025, 6, 1, tzinfo=person.zone)),
                                     "removed_at": ""})
        elif roll < 0.12 and person.profile.state == "FL":
            listed[person.lead_id] = "state:FL"
            rows.add("dnc_entries", {"list": "state:FL", "phone": person.e164, "phone_hash": "",
                                     "registered_at": "2024-01-15T00:00:00Z", "removed_at": "2026-01-15T00:00:00Z"})
    rows.add("dnc_entries", {"list": "internal", "phone": "", "phone_hash": phone_hash(CANARY_E164),
                             "registered_at": "2020-01-01T00:00:00Z", "removed_at": ""})
    for version in FIRST_NATIONAL_VERSIONS:
        rows.add("dnc_list_versions", {"list": "national", "obtained_at": version})
    rows.add("dnc_list_versions", {"list": "state:FL", "obtained_at": "2025-01-10T06:00:00Z"})
    return listed


# The first national registry downloads the scrubs used (add_dnc_lists).
FIRST_NATIONAL_VERSIONS = tuple(f"{day.isoformat()}T06:00:00Z"
                                for day in (date(2025, 1, 2), date(2025, 2, 1), date(2025, 3, 3)))


# Monthly national registry downloads after the first three, with gaps: a scrub
# in a gap uses a version more than 31 days old (no safe harbor). List versions
# are not per lead, so generated data loaded beside other data shares them:
# June 2025 is skipped so that the 2025-05-01 download stays the latest one in
# early June, as the DNC-02 worked example built beside this data in the test
# suite (tests/native_scenarios.py) needs.
SKIPPED_DOWNLOADS = {(2025, 6), (2025, 8), (2025, 9), (2026, 2), (2026, 6), (2026, 7)}


def add_rule_exercises(rng: random.Random, rows: RowWriter, history: History, people: list[Person],
                       listed: dict[str, str]) -> None:
    """Rows the random history never produces (module docstring): monthly
    registry downloads with gaps, Reg F call series for about 1 person in 100
    (at least 2) and national registrations for about 3 in 100 (at least 6),
    people taken in a random order. Each kind cycles through its variants, so
    even a small dataset has every one. Uses its own ``rng``; attempts are
    numbered after the others."""
    monthly = [f"{year}-{month:02d}-01T06:00:00Z" for year in (2025, 2026) for month in range(1, 13)
               if (2025, 4) <= (year, month) <= (2026, 11) and (year, month) not in SKIPPED_DOWNLOADS]
    for version in monthly:
        rows.add("dnc_list_versions", {"list": "national", "obtained_at": version})
    versions = sorted(datetime.fromisoformat(v) for v in FIRST_NATIONAL_VERSIONS + tuple(monthly))
    # Numbers already on the national list (two people may share a fictional number): one entry per number.
    registered = {person.e164 for person in people if listed.get(person.lead_id) == "national"}
    series_left, registrations_left = max(2, round(len(people) / 100)), max(6, round(len(people) * 3 / 100))
    order = list(people)
    rng.shuffle(order)
    for person in order:
        if not (series_left or registrations_left):
            break
        attempts = history.attempts(person)
        marketing = [a for a in attempts if a["purpose"] == "telemarketing" and a["channel"] in ("call", "sms", "rvm")]
        if (series_left and person.profile.state and not history.opted_out[person.number]
                and person.lead_id not in listed):
            series_left -= 1
            add_reg_f_series(rng, rows, person, attempts, counted=(8, 7, 9, 10)[series_left % 4])
        # An established business relationship is only seen where no written consent exempts the calls already.
        elif (registrations_left and marketing and person.lead_id not in listed and person.e164 not in registered
              and (EBR_VARIANTS[(registrations_left - 1) % 5] is None or not history.written[person.number])):
            registrations_left -= 1
            registered.add(person.e164)
            add_registration(rng, rows, person, marketing, versions, variant=registrations_left)


def add_reg_f_series(rng: random.Random, rows: RowWriter, person: Person, history: list[dict],
                     counted: int) -> None:
    """Manual debt-collection calls on the person's debt over 7 local days none of
    their other attempts falls on, at most 2 a day, 12:00-17:59 local: ``counted``
    calls that count (RF-FREQ-1 from the 8th in 7 days; 7 is the near miss)
    and 0-2 busy or network failures, which do not (12 CFR 1006.14(b)(3))."""
    busy_days = {datetime.fromisoformat(a["attempted_at"]).astimezone(person.zone).date() for a in history}
    while True:
        start = PERIOD_START + timedelta(days=rng.randrange(PERIOD_DAYS - 7))
        if not busy_days & {start + timedelta(days=n) for n in range(7)}:
            break
    outcomes = [rng.choice(("voicemail", "no_answer")) for _ in range(counted)]
    outcomes += [rng.choice(("busy", "network_fail")) for _ in range(rng.randint(0, 2))]
    per_day: dict[int, int] = {}
    for _ in outcomes:
        day = rng.choice([n for n in range(7) if per_day.get(n, 0) < 2])
        per_day[day] = per_day.get(day, 0) + 1
    moments = sorted(
        datetime.combine(start + timedelta(days=day), time(12 + 3 * n + rng.randint(0, 2), rng.randint(0, 59)),
                         tzinfo=person.zone)
        for day, count in per_day.items() for n in range(count)
    )
    rng.shuffle(outcomes)
    for moment, outcome in zip(moments, outcomes):
        rows.add("contact_attempts", {
            "attempt_id": f"NA{rows.counts['contact_attempts'] + 1:07d}", "lead_id": person.lead_id, "to_phone": "",
            "channel": "call", "technology": "manual", "purpose": "debt_collection",
            "attempted_at": offset_text(moment), "outcome": outcome, "campaign_id": "CMP-03",
            "subject": "balance due", "debt_id": f"D-{person.lead_id}",
            "caller_id": f"+1800555{rng.randint(1000, 9999)}",
        })


def months_before(day: date, months: int) -> date:
    """``day`` minus ``months`` calendar months, the day clamped to the month's last."""
    month = day.month - 1 - months
    year, month = day.year + month // 12, month % 12 + 1
    following = date(year + month // 12, month % 12 + 1, 1)
    return date(year, month, min(day.day, (following - timedelta(days=1)).day))


# What a registration comes with (variant % 5): no conversion; a purchase 1-17 months before the
# attempt (an established business relationship: exempt); a purchase 18 months or an inquiry or
# application 3 months before it (the anniversary: possible); an inquiry 4-6 months before (expired).
EBR_VARIANTS = (None, ("purchase", (1, 17)), ("purchase", (18, 18)), ("inquiry", (3, 3)), ("inquiry", (4, 6)))


def add_registration(rng: random.Random, rows: RowWriter, person: Person, marketing: list[dict],
                     versions: list[datetime], variant: int) -> None:
    """The person's number registered on the national registry before one of
    their marketing attempts (earlier attempts are not listed): for an even
    ``variant`` after the registry version a scrub at that attempt used
    (missed by the scrub: safe-harbor eligible when the version is at most 31
    days old), for an odd one before it; and a conversion (EBR_VARIANTS)."""
    daytime = [a for a in marketing if 9 <= datetime.fromisoformat(a["attempted_at"]).astimezone(person.zone).hour < 20]
    target = rng.choice(daytime or marketing)
    moment = datetime.fromisoformat(target["attempted_at"])
    version = max((v for v in versions if v < moment), default=None)
    if version is not None and variant % 2 == 0:
        registered = version + (moment - version) * rng.uniform(0.1, 0.9)
    else:
        registered = (version or moment) - timedelta(days=rng.randint(1, 60), hours=rng.randint(1, 12))
    rows.add("dnc_entries", {"list": "national", "phone": spell_phone(rng, person.e164), "phone_hash": "",
                             "registered_at": offset_text(registered.astimezone(person.zone).replace(microsecond=0)),
                             "removed_at": ""})
    if EBR_VARIANTS[variant % 5] is None:
        return
    kind, (fewest, most) = EBR_VARIANTS[variant % 5]
    if kind == "inquiry" and fewest == 3:
        kind = rng.choice(("inquiry", "application"))
    day = moment.astimezone(person.zone).date()
    rows.add("conversions", {
        "conversion_id": f"CV-{person.lead_id}-EBR", "lead_id": person.lead_id, "kind": kind,
        "occurred_at": offset_text(datetime.combine(months_before(day, rng.randint(fewest, most)), time(12),
                                                    tzinfo=person.zone)),
        "revenue": f"{rng.randint(10, 900)}.{rng.randint(0, 99):02d}",
    })


def add_defects(rows: RowWriter, known_lead: str) -> None:
    """One row per kind of defect each file's staging must quarantine, not drop."""
    lead, attempt = rows.first["leads"], rows.first["contact_attempts"]
    rows.add("ads", {"ad_id": "", "campaign_id": "CMP-09", "platform": "x", "name": "no id",
                     "started_at": "2025-01-01T00:00:00Z"})
    for bad_lead in (
        dict(lead, lead_id="NBAD-PHONE", phone="+44 20 7946 0958", phone_hash=""),
        dict(lead, lead_id="NBAD-ZONE", timezone="Mars/Olympus"),
        dict(lead, lead_id="NBAD-NAIVE", created_at="2025-05-01T10:00:00"),
        dict(lead, lead_id="NBAD-HASH", phone_hash="0" * 64),
    ):
        rows.add("leads", bad_lead)
    for bad_attempt in (
        dict(attempt, attempt_id="NABAD-NAIVE", attempted_at="2025-05-02T15:00:00"),
        dict(attempt, attempt_id="NABAD-LEAD", lead_id="N_UNKNOWN"),
        dict(attempt, attempt_id="NABAD-CHANNEL", channel="fax"),
        dict(attempt, campaign_id="CMP-CHANGED"),  # same attempt_id, different content, same load
    ):
        rows.add("contact_attempts", bad_attempt)
    rows.add("consents", {"consent_id": "CNBAD", "lead_id": known_lead, "kind": "verbal-ish", "channels": "fax",
                          "seller": "", "captured_at": "yesterday", "method": "", "disclosure_shown": "maybe",
                          "revoked_at": ""})
    rows.add("opt_outs", {"opt_out_id": "OOBAD", "lead_id": "", "phone": "", "email": "", "channel_scope": "all",
                          "requested_at": "2025-05-01T10:00:00Z", "method": "web"})
    rows.add("dnc_entries", {"list": "national", "phone": "555-0107", "phone_hash": "", "registered_at": "",
                             "removed_at": ""})
    rows.add("dnc_list_versions", {"list": "county:Dade", "obtained_at": "2025-01-10T06:00:00Z"})
    rows.add("conversions", {"conversion_id": "CVBAD", "lead_id": known_lead, "kind": "purchase",
                             "occurred_at": "2025-05-01T10:00:00Z", "revenue": "12,50"})


def write_rows(path: Path, columns: tuple[str, ...], rows: list[dict]) -> None:
    """Write ``rows`` as CSV with a header, or as JSON Lines (``.jsonl``); a
    column a row does not have is written empty (left out in JSON Lines)."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        write = row_writer(handle, columns, jsonl=path.suffix == ".jsonl")
        for row in rows:
            write(row)


def row_writer(handle, columns: tuple[str, ...], jsonl: bool):
    """A function writing one row to ``handle``, as :func:`write_rows` says
    (a CSV file gets its header now)."""
    if jsonl:
        return lambda row: handle.write(json.dumps({c: row[c] for c in columns if row.get(c, "") != ""}) + "\n")
    writer = csv.writer(handle)
    writer.writerow(columns)
    return lambda row: writer.writerow([row.get(c, "") for c in columns])
