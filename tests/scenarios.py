"""Hand-written seed-format scenarios with the violations each must produce.

Each scenario is named after the worked example of
``docs/worked_examples.csv`` it follows (QH-xx) or after the rule it
pins down. ``expected`` lists ``(violation_type, attempt_id)`` pairs: the mart
rows for the scenario's leads must be exactly these. Times in attempts are UTC
(the seed contract); comments give the local wall-clock time.
"""

import csv
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from compliance.ingest.formats import SEED_FORMAT

OUTSIDE = "outside_allowed_hours"
CAP = "too_many_attempts_per_day"
OPT_OUT = "attempt_after_opt_out"
DNC = "dnc_match"
NO_CONSENT = "no_consent"


def digest(e164: str) -> str:
    return hashlib.sha256(e164.encode()).hexdigest()


@dataclass
class Scenario:
    name: str
    lead_id: str
    state: str
    timezone: str
    attempts: list[tuple[str, str, str]]  # (attempt_id, attempt_ts UTC, channel)
    expected: set[tuple[str, str]]  # definite violations
    consent: str = "true"
    opt_out_at: str = ""
    phone: str = ""
    phone_hash_as_written: str | None = None
    day_counts: dict[str, int] = field(default_factory=dict)  # attempt_id -> attempts that local day
    local_times: dict[str, str] = field(default_factory=dict)  # attempt_id -> expected local wall clock
    possible: set[tuple[str, str]] = field(default_factory=set)  # possible violations (another candidate zone)

    def phone_hash(self) -> str:
        return digest(self.phone or f"tel:{self.lead_id}")


SCENARIOS = [
    Scenario(
        "QH-01/QH-02 boundary 21:00:00 is allowed, 21:00:01 is not", "QH-NY", "NY", "EST",
        [("QH-01", "2025-06-11T01:00:00", "call"),     # Tue 21:00:00 EDT
         ("QH-02", "2025-06-11T01:00:01", "call"),     # 21:00:01 EDT
         ("QH-08AM", "2025-06-11T12:00:00", "call"),   # 08:00:00 EDT
         ("QH-0759", "2025-06-12T11:59:59", "sms")],   # 07:59:59 EDT
        {(OUTSIDE, "QH-02"), (OUTSIDE, "QH-0759")},
        local_times={"QH-01": "2025-06-10 21:00:00", "QH-02": "2025-06-10 21:00:01"},
    ),
    Scenario(
        "QH-03/QH-04 daylight saving: spring forward is EDT, fall back is EST", "QH-DST", "NY", "ET",
        [("QH-03", "2025-03-09T12:30:00", "call"),     # 08:30 EDT (a fixed UTC-5 would say 07:30)
         ("QH-04", "2025-11-02T12:30:00", "call")],    # 07:30 EST (a fixed UTC-4 would say 08:30)
        {(OUTSIDE, "QH-04")},
        local_times={"QH-03": "2025-03-09 08:30:00", "QH-04": "2025-11-02 07:30:00"},
    ),
    Scenario(
        "Arizona seed lead (state only) with MST label: America/Phoenix, but possibly the Navajo Nation",
        "QH-AZ", "AZ", "MST",
        [("QH-06", "2025-07-15T14:30:00", "call"),     # 07:30 MST Phoenix (08:30 in Denver)
         ("AZ-2030", "2025-07-16T03:30:00", "call")],  # 20:30 Phoenix (21:30 in Denver)
        set(),
        local_times={"QH-06": "2025-07-15 07:30:00", "AZ-2030": "2025-07-15 20:30:00"},
        # The seed export gives only the state, and an Arizona address may be in
        # the Navajo Nation, which keeps DST (EDGE-08): both calls are possible
        # violations. QH-06 itself (a Phoenix address) is definite: see the
        # native scenario Z-AZ in tests/native_scenarios.py.
        possible={(OUTSIDE, "QH-06"), (OUTSIDE, "AZ-2030")},
    ),
    Scenario(
        "Colorado lead with MST label uses America/Denver (DST in summer)", "QH-CO", "CO", "MST",
        [("CO-SUMMER", "2025-07-15T14:30:00", "call"),  # 08:30 MDT
         ("CO-WINTER", "2025-01-15T14:30:00", "call")], # 07:30 MST
        {(OUTSIDE, "CO-WINTER")},
    ),
    Scenario(
        "IANA name as given (any case)", "QH-IANA", "IL", "america/chicago",
        [("IANA-2030", "2025-12-01T02:30:00", "call"),  # Sun Nov 30 20:30 CST
         ("IANA-2130", "2025-12-01T03:30:00", "sms")],  # 21:30 CST
        {(OUTSIDE, "IANA-2130")},
        local_times={"IANA-2130": "2025-11-30 21:30:00"},
    ),
    Scenario(
        "Legacy IANA zone with DST (PST8PDT) is accepted", "QH-LEGACY", "CA", "PST8PDT",
        [("LEGACY-0730", "2025-07-15T14:30:00", "call")],  # 07:30 PDT
        {(OUTSIDE, "LEGACY-0730")},
        local_times={"LEGACY-0730": "2025-07-15 07:30:00"},
    ),
    Scenario(
        "HST: Hawaii keeps standard time all year", "QH-HI", "HI", "HST",
        [("HI-SUMMER", "2025-07-15T17:30:00", "call"),  # 07:30 HST
         ("HI-MARCH", "2025-03-09T18:30:00", "call")],  # 08:30 HST
        {(OUTSIDE, "HI-SUMMER")},
    ),
    Scenario(
        "PST label in summer means Pacific daylight time", "QH-CA", "CA", "PST",
        [("CA-0830", "2025-07-15T15:30:00", "call")],   # 08:30 PDT (a fixed UTC-8 would say 07:30)
        set(),
    ),
    Scenario(
        "AKST label follows Alaska daylight time", "QH-AK", "AK", "AKST",
        [("AK-SUMMER", "2025-07-15T16:30:00", "call"),  # 08:30 AKDT
         ("AK-WINTER", "2025-01-15T16:30:00", "call")], # 07:30 AKST
        {(OUTSIDE, "AK-WINTER")},
        # An Alaska address may be west of 169°30'W (Hawaii-Aleutian time): 07:30 HDT there.
        possible={(OUTSIDE, "AK-SUMMER")},
    ),
    Scenario(
        "Daily cap counts the lead's local day, not the UTC day", "CAP-LA", "CA", "PT",
        [("CAP-LA1", "2025-07-10T16:00:00", "call"),   # Jul 10 09:00 PDT
         ("CAP-LA2", "2025-07-10T19:00:00", "sms"),    # 12:00
         ("CAP-LA3", "2025-07-10T22:00:00", "call"),   # 15:00
         ("CAP-LA4", "2025-07-11T03:30:00", "sms"),    # 20:30, still Jul 10 locally
         ("CAP-LA5", "2025-07-11T16:00:00", "call")],  # Jul 11 09:00
        {(CAP, "CAP-LA4")},
        day_counts={"CAP-LA4": 4},
    ),
    Scenario(
        "Four attempts on one UTC day but three on the local day: no cap", "CAP-NEG", "NY", "EST",
        [("CAP-NEG1", "2025-07-10T03:00:00", "call"),  # Jul 9 23:00 EDT
         ("CAP-NEG2", "2025-07-10T13:00:00", "call"),  # Jul 10 09:00
         ("CAP-NEG3", "2025-07-10T15:00:00", "call"),
         ("CAP-NEG4", "2025-07-10T17:00:00", "call")],
        {(OUTSIDE, "CAP-NEG1")},
    ),
    Scenario(
        "Fall-back day has 25 local hours; all four attempts are on Nov 2", "CAP-DST", "NY", "America/New_York",
        [("CAP-DST1", "2025-11-02T04:30:00", "call"),  # 00:30 EDT
         ("CAP-DST2", "2025-11-02T05:30:00", "call"),  # 01:30 EDT
         ("CAP-DST3", "2025-11-02T06:30:00", "call"),  # 01:30 EST (second 01:30)
         ("CAP-DST4", "2025-11-02T14:00:00", "call")], # 09:00 EST
        {(OUTSIDE, "CAP-DST1"), (OUTSIDE, "CAP-DST2"), (OUTSIDE, "CAP-DST3"), (CAP, "CAP-DST4")},
        day_counts={"CAP-DST4": 4},
        local_times={"CAP-DST2": "2025-11-02 01:30:00", "CAP-DST3": "2025-11-02 01:30:00"},
    ),
    Scenario(
        "Five attempts in a day: one row, at the 4th (ties broken by attempt_id)", "CAP-5", "IL", "CST",
        [("CAP-5-1", "2025-08-05T14:00:00", "call"),
         ("CAP-5-2", "2025-08-05T15:00:00", "sms"),
         ("CAP-5-3", "2025-08-05T16:00:00", "call"),
         ("CAP-5-4", "2025-08-05T16:00:00", "sms"),
         ("CAP-5-5", "2025-08-05T18:00:00", "call")],
        {(CAP, "CAP-5-4")},
        day_counts={"CAP-5-4": 5},
    ),
    Scenario(
        "Opt-out: at or after opt_out_at is a violation, a second before is not", "OPT", "NY", "EST",
        [("OPT-1", "2025-05-01T14:59:59", "call"),
         ("OPT-2", "2025-05-01T15:00:00", "call"),
         ("OPT-3", "2025-05-02T15:00:00", "sms")],
        {(OPT_OUT, "OPT-2"), (OPT_OUT, "OPT-3")},
        opt_out_at="2025-05-01T15:00:00",
    ),
    Scenario(
        "DNC list written in uppercase with spaces still matches", "DNC-1", "NY", "EST",
        [("DNC-1-A", "2025-05-01T15:00:00", "call")],
        {(DNC, "DNC-1-A")},
        phone="+17005550101",
    ),
    Scenario(
        "Lead's own hash in uppercase with spaces still matches", "DNC-2", "NY", "EST",
        [("DNC-2-A", "2025-05-01T15:00:00", "sms")],
        {(DNC, "DNC-2-A")},
        phone="+17005550102",
        phone_hash_as_written=" " + digest("+17005550102").upper() + " ",
    ),
    Scenario(
        "consent_flag FALSE (any case) is no consent", "NOC", "TX", "CST",
        [("NOC-A", "2025-05-01T15:00:00", "call")],
        {(NO_CONSENT, "NOC-A")},
        consent="FALSE",
    ),
    Scenario(
        "One attempt can carry several violations", "MULTI", "CA", "PST",
        [("MULTI-A", "2025-05-02T05:30:00", "call")],   # May 1 22:30 PDT, after opt-out, DNC, no consent
        {(OUTSIDE, "MULTI-A"), (OPT_OUT, "MULTI-A"), (DNC, "MULTI-A"), (NO_CONSENT, "MULTI-A")},
        consent="false",
        opt_out_at="2025-04-01T00:00:00",
        phone="+17005550103",
    ),
    Scenario(
        "A clean lead: nothing fires (for a repeated attempt_id the later line is used)", "CLEAN", "FL", "EST",
        [("CLEAN-1", "2025-05-01T15:00:00", "call"),
         ("DUP-1", "2025-05-02T03:00:00", "call"),      # 23:00 EDT: the earlier, quarantined line
         ("DUP-1", "2025-05-02T15:00:00", "call"),      # 11:00 EDT: the line that is used
         ("DUP-2", "2025-05-03T16:00:00", "call"),      # 12:00 EDT
         ("DUP-2", "2025-05-04T03:00:00", "call"),      # 23:00 EDT: quarantined, a later line wins
         ("DUP-2", "2025-05-03T16:00:00", "call")],     # the first line again, exactly: it is the later line
        set(),
        consent=" True ",
    ),
]

# DNC file as customers send it: the same digests in other spellings.
DNC_ROWS = [
    ["  " + digest("+17005550101").upper() + "  "],
    ["  " + digest("+17005550101").upper() + "  "],     # the same line twice: the first is superseded
    [digest("+17005550102")],
    [digest("+17005550103")],
    [digest("+17005550000")],
    ["not-hex!"],                                        # quarantined
]

# Rows staging must quarantine (and why), beside the scenarios' own leads.
BAD_LEADS = [
    ["BAD-ZONE", digest("+17005550190"), "NY", "XST", "web", "2025-01-01T00:00:00", "true", ""],
    ["BAD-BOOL", digest("+17005550191"), "NY", "EST", "web", "2025-01-01T00:00:00", "yes", ""],
    ["BAD-TS", digest("+17005550192"), "NY", "EST", "web", "2025-02-30T10:00:00", "true", ""],
    # Implausible timestamps (timestamp_out_of_range, docs/data-contract.md "Plausible range"):
    # created before the TCPA; an opt-out in year 10000 UTC (Python cannot hold it).
    ["TS-PRE-TCPA", digest("+17005550193"), "NY", "EST", "web", "1900-01-01T00:00:00", "true", ""],
    ["TS-OPT-OUT", digest("+17005550194"), "NY", "EST", "web", "2025-01-01T00:00:00", "true",
     "9999-12-31T23:59:59-12:00"],
]
BAD_ATTEMPTS = [
    ["BAD-A1", "NOPE", "call", "2025-05-01T15:00:00", "answered", "C1"],
    ["BAD-A2", "CLEAN", "call", "06/11/2025 01:00", "answered", "C1"],
    ["BAD-A3", "BAD-ZONE", "call", "2025-05-01T15:00:00", "answered", "C1"],
    ["BAD-A4", "CLEAN", "call", "2025-05-01T15:00:00", "answered", "C1", "extra"],
    ["BAD-A5", "CLEAN", "fax", "2025-05-01T15:00:00", "answered", "C1"],
    # Implausible timestamps of a valid lead (timestamp_out_of_range): 10000-01-01T11:59:59Z, and before the TCPA.
    ["TS-FAR-FUTURE", "CLEAN", "call", "9999-12-31T23:59:59-12:00", "answered", "C1"],
    ["TS-1900", "CLEAN", "call", "1900-01-01T00:00:00", "answered", "C1"],
]
CONVERSIONS = [
    ["CONV-1", "CLEAN", "2025-05-03T15:00:00", "purchase", "129.90"],
    ["CONV-2", "CLEAN", "2025-05-03T16:00:00", "purchase", "abc"],  # quarantined
    ["CONV-FUTURE", "CLEAN", "2999-01-01T00:00:00Z", "purchase", "10.00"],  # quarantined: timestamp_out_of_range
]
# Lines that cannot be written through the csv module: bytes that are not
# UTF-8 and a NUL byte. Both are loaded (shown as \xNN) and quarantined.
RAW_CONVERSION_LINES = [
    b"CONV-3,CLEAN,2025-05-03T15:00:00,purchase\xff,10.00\r\n",
    b"CONV-4,CLEAN,2025-05-03T15:00:00,pur\x00chase,10.00\r\n",
]
EXPECTED_QUARANTINE = {"leads.csv": 5, "contact_attempts.csv": 9, "conversions.csv": 4, "dnc.csv": 1}
EXPECTED_REPEATED = {"leads.csv": 0, "contact_attempts.csv": 1, "conversions.csv": 0, "dnc.csv": 1}


def write_scenarios(directory: Path, consent_override: dict[str, str] | None = None) -> None:
    """Write all scenarios as one seed-format export in ``directory``.
    ``consent_override`` maps lead_id → consent_flag to write a changed export."""
    directory.mkdir(parents=True, exist_ok=True)
    leads, attempts = [], []
    for s in SCENARIOS:
        consent = (consent_override or {}).get(s.lead_id, s.consent)
        leads.append([s.lead_id, s.phone_hash_as_written or s.phone_hash(), s.state, s.timezone, "web",
                      "2025-01-01T00:00:00", consent, s.opt_out_at])
        attempts += [[attempt_id, s.lead_id, channel, ts, "answered", "C1"] for attempt_id, ts, channel in s.attempts]
    rows = {
        "leads.csv": leads + BAD_LEADS,
        "contact_attempts.csv": attempts + BAD_ATTEMPTS,
        "conversions.csv": CONVERSIONS,
        "dnc.csv": DNC_ROWS,
    }
    for spec in SEED_FORMAT:
        with open(directory / spec.file_name, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(spec.columns)
            writer.writerows(rows[spec.file_name])
    with open(directory / "conversions.csv", "ab") as handle:
        handle.writelines(RAW_CONVERSION_LINES)
