"""The random people of the native generator (:mod:`.native`) and their
contact history: one lead each (phones in many spellings, emails, addresses,
stated zones), its attempts (all channels, technologies and purposes;
timestamps with the local offset), and sometimes a consent, an opt-out and a
conversion; then the DNC lists (a national list of plain phones, an internal
list pre-hashed with the canary number, a state list) and the list versions
the scrubs used. Zone evidence covers multi-zone area codes (850, 208, 812,
928), Arizona, territories (Puerto Rico, Guam), a toll-free number (no
evidence) and leads whose stated zone conflicts with their address.

Of the history only :class:`History` is kept (9 bytes per attempt), for the
rule exercises (:mod:`.native_exercises`).
"""

import random
from array import array
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from compliance.datasets.seed import DST_DATES, PERIOD_DAYS, PERIOD_START, random_local_time
from compliance.datasets.writing import RowWriter, offset_text
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


def spell_phone(rng: random.Random, e164: str) -> str:
    """The number as a CRM might have typed it."""
    digits = e164[2:]
    return rng.choice(PHONE_SPELLINGS).format(a=digits[:3], b=digits[3:6], c=digits[6:])


class History:
    """What the rule exercises (:mod:`.native_exercises`) read of the random
    history, per person (by ``Person.number``): their attempts' instants
    (epoch seconds), purpose and channel, in order, and whether they opted
    out or gave written consent (PEWC)."""

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
