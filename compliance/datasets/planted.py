"""Planted ground truth: a native dataset in which every violation
is placed on purpose, each beside its near miss, and ``expected_violations.csv``
listing exactly the mart rows the rules must produce, no more.

One *block* is one person (lead) and their attempts around a random local
day; each block plants one rule's violation or the near miss that must stay
clear (08:00:00 and 21:00:00, the 20:00:01 Florida window, day 7 vs day 8,
the 10th vs the 11th business day, 24 hours vs 24 hours and a second, ...).
Expectations are written here from the rules' statements (docs/rules.md),
not from the SQL: local times with ``zoneinfo``, business days with the
``holidays`` package. Every block keeps its person clear of the other rules
(at most 3 attempts a local day, consent where a text needs it, no list).

Deterministic for a given ``seed``: the set of blocks is repeated ``copies``
times with other days, times and numbers. Expected rows: ``attempt_id``,
``violation_type``, ``rule_id``, ``certainty``.
"""

import csv
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays

from compliance.cases.sla import business_day_after
from compliance.datasets.writing import offset_text, write_rows
from compliance.ingest.formats import NATIVE_FORMAT
from compliance.ingest.phone_identity import normalize_phone

EXPECTED_FILE = "expected_violations.csv"
EXPECTED_COLUMNS = ("attempt_id", "violation_type", "rule_id", "certainty")
FIRST_DAY = date(2025, 5, 1)  # after the 10-business-day allowance took effect (2025-04-11)
DAYS = 540
FEDERAL_HOLIDAYS = holidays.US(years=range(2025, 2028))
UTAH_HOLIDAYS = holidays.US(subdiv="UT", years=range(2025, 2028))


@dataclass(frozen=True)
class Home:
    """A person's state, ZIP, area code and zone: one candidate zone and state each."""

    state: str
    zip_code: str
    area_code: str
    zone: str


NEW_YORK = Home("NY", "10001", "212", "America/New_York")
MIAMI = Home("FL", "33130", "305", "America/New_York")
CHICAGO = Home("IL", "60601", "312", "America/Chicago")
SALT_LAKE = Home("UT", "84101", "801", "America/Denver")


@dataclass
class Planter:
    """Collects the records of every entity and the expected rows."""

    rng: random.Random
    copy: int
    rows: dict[str, list[dict]] = field(default_factory=lambda: {spec.stem: [] for spec in NATIVE_FORMAT})
    expected: list[dict] = field(default_factory=list)
    people: int = 0

    def person(self, block: str, home: Home) -> tuple[str, ZoneInfo]:
        """A new lead at ``home`` with a number no other lead has; returns its id and zone."""
        self.people += 1
        lead_id = f"G{self.copy:03d}-{block}"
        e164 = normalize_phone(f"({home.area_code}) {200 + self.copy % 700}-{self.people:04d}").e164
        self.rows["leads"].append({
            "lead_id": lead_id, "phone": e164, "email": f"{lead_id.lower()}@example.com",
            "address_state": home.state, "address_zip": home.zip_code, "created_at": "2024-01-01T00:00:00Z",
        })
        return lead_id, ZoneInfo(home.zone)

    def attempt(self, lead_id: str, suffix: str, moment: datetime, channel: str = "call",
                purpose: str = "telemarketing", technology: str = "manual", **extra: str) -> str:
        attempt_id = f"{lead_id}-{suffix}"
        self.rows["contact_attempts"].append({
            "attempt_id": attempt_id, "lead_id": lead_id, "channel": channel, "technology": technology,
            "purpose": purpose, "attempted_at": offset_text(moment),
            "outcome": "delivered" if channel in ("sms", "email") else "no_answer", **extra,
        })
        return attempt_id

    def expect(self, attempt_id: str, violation_type: str, rule_id: str, certainty: str = "definite") -> None:
        self.expected.append({"attempt_id": attempt_id, "violation_type": violation_type, "rule_id": rule_id,
                              "certainty": certainty})

    def consent(self, lead_id: str, kind: str) -> None:
        self.rows["consents"].append({
            "consent_id": f"CN-{lead_id}", "lead_id": lead_id, "kind": kind, "channels": "all",
            "seller": "Acme Solar", "captured_at": "2024-01-02T00:00:00Z", "method": "web_form",
            "disclosure_shown": "true",
        })

    def weekday(self) -> date:
        """A random Monday-to-Friday that is not a Federal holiday."""
        while True:
            day = FIRST_DAY + timedelta(days=self.rng.randrange(DAYS))
            if day.weekday() < 5 and day not in FEDERAL_HOLIDAYS:
                return day


def sunday_after(day: date) -> date:
    return day + timedelta(days=6 - day.weekday())


def at(day: date, wall: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, wall, tzinfo=zone)


def federal_window(p: Planter) -> None:
    """QH-FED-1 (47 CFR 64.1200(c)(1)): 07:59:59 and 21:00:01 violate; 08:00:00 and 21:00:00 do not,
    nor does an informational call at 22:00 (not a telephone solicitation, QH-10)."""
    lead, zone = p.person("QH", NEW_YORK)
    day = p.weekday()
    p.expect(p.attempt(lead, "0759", at(day, time(7, 59, 59), zone)), "outside_allowed_hours", "QH-FED-1")
    p.attempt(lead, "0800", at(day, time(8, 0, 0), zone))
    p.attempt(lead, "2100", at(day + timedelta(days=1), time(21, 0, 0), zone))
    p.expect(p.attempt(lead, "2101", at(day + timedelta(days=1), time(21, 0, 1), zone)),
             "outside_allowed_hours", "QH-FED-1")
    p.attempt(lead, "INFO-2200", at(day + timedelta(days=2), time(22), zone), purpose="informational")


def florida_window(p: Planter) -> None:
    """QH-FL-1 (Fla. Stat. 501.616(6)(a)): 20:00:00 is allowed, 20:00:01 is not (federal clear)."""
    lead, zone = p.person("FLW", MIAMI)
    day = p.weekday()
    p.attempt(lead, "2000", at(day, time(20, 0, 0), zone))
    p.expect(p.attempt(lead, "2001", at(day, time(20, 0, 1), zone)), "outside_allowed_hours", "QH-FL-1")


def reg_f_window(p: Planter) -> None:
    """QH-FED-2 (12 CFR 1006.6(b)(1)(i)), CH-03: a collection email sent 20:59:30 is clear, 21:05 is not."""
    lead, zone = p.person("RFW", CHICAGO)
    day = p.weekday()
    p.attempt(lead, "2059", at(day, time(20, 59, 30), zone), channel="email", purpose="debt_collection")
    p.expect(p.attempt(lead, "2105", at(day, time(21, 5), zone), channel="email", purpose="debt_collection"),
             "outside_allowed_hours", "QH-FED-2")


def utah_sunday(p: Planter) -> None:
    """RD-UT-1 (Utah Code 13-25a-103(3)): a Sunday call without consent; the Saturday before is clear."""
    lead, zone = p.person("UT", SALT_LAKE)
    sunday = sunday_after(p.weekday())
    while sunday - timedelta(days=1) in UTAH_HOLIDAYS:  # the Saturday must be an ordinary day
        sunday = sunday_after(p.weekday())
    p.attempt(lead, "SAT", at(sunday - timedelta(days=1), time(12), zone))
    p.expect(p.attempt(lead, "SUN", at(sunday, time(12), zone)), "restricted_day", "RD-UT-1")


def daily_cap(p: Planter) -> None:
    """CAP-CCI-1 (company cap 3 per local day): the 4th attempt of a day; 3 the next day are clear."""
    lead, zone = p.person("CAP", NEW_YORK)
    day = p.weekday()
    for hour in (10, 11, 12):
        p.attempt(lead, f"D1-{hour}", at(day, time(hour), zone))
        p.attempt(lead, f"D2-{hour}", at(day + timedelta(days=1), time(hour), zone))
    p.expect(p.attempt(lead, "D1-13", at(day, time(13), zone)), "too_many_attempts_per_day", "CAP-CCI-1")


def florida_24_hours(p: Planter, near_miss: bool) -> None:
    """CAP-FL-1 (Fla. Stat. 501.616(6)(b)): the 4th call on one subject within 24 hours, any caller
    ID; the near miss places it 24 hours and one second after the first."""
    lead, zone = p.person("FL24N" if near_miss else "FL24", MIAMI)
    day = p.weekday()
    first = at(day, time(9), zone)
    for number, moment in enumerate((first, at(day, time(12), zone), at(day, time(15), zone)), start=1):
        p.attempt(lead, str(number), moment, subject="solar", caller_id=f"+1305555{number:04d}")
    fourth = first + timedelta(hours=24, seconds=1 if near_miss else 0)
    attempt_id = p.attempt(lead, "4", fourth, subject="solar", caller_id="+13055550004")
    if not near_miss:
        p.expect(attempt_id, "too_many_attempts_per_day", "CAP-FL-1")


def reg_f_seven_in_seven(p: Planter, near_miss: bool) -> None:
    """RF-FREQ-1 (12 CFR 1006.14(b)(2)(i)(A)), RF-01/RF-02: 7 calls, then an 8th on day 7 (violation)
    or day 8 (clear)."""
    lead, zone = p.person("RF7N" if near_miss else "RF7", CHICAGO)
    day = p.weekday()
    debt = {"debt_id": f"{lead}-D1"}
    for offset, hours in ((0, (10, 11, 12)), (1, (10, 11)), (3, (10, 11))):
        for hour in hours:
            p.attempt(lead, f"{offset}-{hour}", at(day + timedelta(days=offset), time(hour), zone),
                      purpose="debt_collection", **debt)
    eighth = p.attempt(lead, "8", at(day + timedelta(days=7 if near_miss else 6), time(10), zone),
                       purpose="debt_collection", **debt)
    if not near_miss:
        p.expect(eighth, "reg_f_call_frequency", "RF-FREQ-1")


def reg_f_conversation(p: Planter) -> None:
    """RF-FREQ-2 (12 CFR 1006.14(b)(2)(i)(B)), RF-03: after a conversation (day 1) a call on day 7
    violates, a call on day 8 does not."""
    lead, zone = p.person("RFC", CHICAGO)
    day = p.weekday()
    debt = {"debt_id": f"{lead}-D1"}
    p.attempt(lead, "TALK", at(day, time(14), zone), purpose="debt_collection", outcome="conversation", **debt)
    p.expect(p.attempt(lead, "DAY7", at(day + timedelta(days=6), time(10), zone), purpose="debt_collection",
                       **debt), "reg_f_call_frequency", "RF-FREQ-2")
    p.attempt(lead, "DAY8", at(day + timedelta(days=7), time(10), zone), purpose="debt_collection", **debt)


def opt_out_allowance(p: Planter) -> None:
    """OPT-FED-1/2/3 (47 CFR 64.1200(a)(10)-(12), (d)(3)), CN-04/CN-05: a STOP; a plain confirmation
    3 minutes later is clear; a marketing text on the 10th business day is a warning, on the 11th a
    violation."""
    lead, zone = p.person("OPT", NEW_YORK)
    p.consent(lead, "pewc")
    day = p.weekday()
    stop = at(day, time(15), zone)
    p.rows["opt_outs"].append({"opt_out_id": f"OO-{lead}", "lead_id": lead, "channel_scope": "all",
                               "requested_at": offset_text(stop), "method": "stop_keyword"})
    p.attempt(lead, "CONFIRM", stop + timedelta(minutes=3), channel="sms", purpose="informational")
    tenth = business_day_after(day, 10)
    p.expect(p.attempt(lead, "BD10", at(tenth, time(12), zone), channel="sms"),
             "attempt_after_opt_out", "OPT-FED-2")
    p.expect(p.attempt(lead, "BD11", at(business_day_after(day, 11), time(12), zone), channel="sms"),
             "attempt_after_opt_out", "OPT-FED-1")


def dnc_registry(p: Planter, near_miss: bool) -> None:
    """DNC-FED-1 (47 CFR 64.1200(c)(2)): a call to a registered number; the near miss has a purchase
    17 months before (an established business relationship, (f)(5))."""
    lead, zone = p.person("DNCN" if near_miss else "DNC", NEW_YORK)
    day = p.weekday()
    phone = p.rows["leads"][-1]["phone"]
    p.rows["dnc_entries"].append({"list": "national", "phone": phone,
                                  "registered_at": offset_text(at(day - timedelta(days=730), time(9), zone))})
    if near_miss:
        p.rows["conversions"].append({"conversion_id": f"CV-{lead}", "lead_id": lead, "kind": "purchase",
                                      "occurred_at": offset_text(at(day - timedelta(days=517), time(12), zone)),
                                      "revenue": "250.00"})
    attempt_id = p.attempt(lead, "CALL", at(day, time(12), zone))
    if not near_miss:
        p.expect(attempt_id, "dnc_match", "DNC-FED-1")


def no_consent(p: Planter, near_miss: bool) -> None:
    """CON-FED-1 (47 CFR 64.1200(a)(2)), CN-01: an autodialed marketing text with prior express consent
    only; the near miss has prior express written consent."""
    lead, zone = p.person("CONN" if near_miss else "CON", NEW_YORK)
    p.consent(lead, "pewc" if near_miss else "pec")
    attempt_id = p.attempt(lead, "SMS", at(p.weekday(), time(12), zone), channel="sms", technology="atds")
    if not near_miss:
        p.expect(attempt_id, "no_consent", "CON-FED-1")


BLOCKS = (
    federal_window, florida_window, reg_f_window, utah_sunday, daily_cap,
    lambda p: florida_24_hours(p, False), lambda p: florida_24_hours(p, True),
    lambda p: reg_f_seven_in_seven(p, False), lambda p: reg_f_seven_in_seven(p, True),
    reg_f_conversation, opt_out_allowance,
    lambda p: dnc_registry(p, False), lambda p: dnc_registry(p, True),
    lambda p: no_consent(p, False), lambda p: no_consent(p, True),
)


def generate_planted(out_dir: Path, copies: int, seed: int) -> dict[str, int]:
    """Write the native files and ``expected_violations.csv`` to ``out_dir``
    (created if missing): every block ``copies`` times. Returns the rows per
    file. Raises ValueError if ``copies`` < 1 or > 700."""
    if not 1 <= copies <= 700:
        raise ValueError("copies must be between 1 and 700")
    rng = random.Random(seed)
    rows: dict[str, list[dict]] = {spec.stem: [] for spec in NATIVE_FORMAT}
    expected: list[dict] = []
    for copy in range(copies):
        planter = Planter(rng, copy)
        for block in BLOCKS:
            block(planter)
        for stem, records in planter.rows.items():
            rows[stem] += records
        expected += planter.expected
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for spec in NATIVE_FORMAT:
        write_rows(out_dir / f"{spec.stem}.csv", spec.columns, rows[spec.stem])
    with open(out_dir / EXPECTED_FILE, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=EXPECTED_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(sorted(expected, key=lambda row: (row["attempt_id"], row["rule_id"])))
    counts = {f"{stem}.csv": len(records) for stem, records in rows.items()}
    counts[EXPECTED_FILE] = len(expected)
    return counts


def read_expected(directory: Path) -> set[tuple[str, str, str, str]]:
    """The expected rows written by :func:`generate_planted`, as tuples of EXPECTED_COLUMNS."""
    with open(Path(directory) / EXPECTED_FILE, newline="", encoding="utf-8") as handle:
        return {tuple(row[column] for column in EXPECTED_COLUMNS) for row in csv.DictReader(handle)}
