"""An independent statement, in plain Python, of the rules CCI checks on its
native format: QH-FED-2, DNC-FED-1, CON-FED-1, OPT-FED-1/2/3, OPT-CS-1,
RF-FREQ-1/2.

Written from docs/data-contract.md (which rows count, how loads accumulate,
candidate zones), docs/rules.md (each rule's statement and the decisions D-1
to D-4) and the regulations they cite; the parameters come from the rule
catalog (dbt/seeds/rule_catalog.csv) and the zone seeds, never from the SQL.
Local times come from ``zoneinfo``, business days from ``compliance.cases.sla`` (the ``holidays``
package's Federal calendar), phone numbers from ``compliance.ingest.phone_identity`` (the
Python half of ``cci-phone-v1``, held to the SQL half by
tests/test_phone_identity.py).

    staged = stage([(directory, loaded_at), ...])   # every native load, in load order
    expected(staged)                                # {(attempt_id, rule_id): certainty}

The oracle judges native data only: seed-format rows that share an id or a
number with it (ids share one space across formats; the seed's dnc.csv is the
catalog's ``unspecified`` list) are outside what it states.
"""

import csv
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo, available_timezones

from compliance.cases.sla import business_day_after
from compliance.ingest.phone_identity import PhoneRejected, normalize_hash, normalize_phone, phone_hash

SEEDS = Path(__file__).resolve().parent.parent / "dbt" / "seeds"
RULES = ("QH-FED-2", "DNC-FED-1", "CON-FED-1", "OPT-FED-1", "OPT-FED-2", "OPT-FED-3", "OPT-CS-1",
         "RF-FREQ-1", "RF-FREQ-2")


def seed(name: str) -> list[dict]:
    with open(SEEDS / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


CATALOG = {row["rule_id"]: dict(row, params=json.loads(row["parameters"])) for row in seed("rule_catalog.csv")}
LABELS = {(row["label"].upper(), row["state"].upper()): row["iana_zone"] for row in seed("timezone_labels.csv")}
STATE_ZONES: dict[str, set[str]] = defaultdict(set)
for _row in seed("state_zones.csv"):
    STATE_ZONES[_row["state"]].add(_row["iana_zone"])
ALL_US = set().union(*STATE_ZONES.values())
ZIP3 = seed("zip3_zones.csv")
AREA_CODES = {row["npa"]: set(row["iana_zones"].split()) for row in seed("area_code_zones.csv")}
IANA = {name.lower(): name for name in available_timezones()
        if "/" in name and not name.startswith(("Etc/", "posix/", "right/"))}

# docs/data-contract.md, "The native format": the columns of each file the rules read (ads are not).
COLUMNS = {
    "leads": ("lead_id", "phone", "phone_hash", "email", "address_state", "address_zip", "timezone", "ad_id",
              "created_at"),
    "contact_attempts": ("attempt_id", "lead_id", "to_phone", "channel", "technology", "purpose", "attempted_at",
                         "outcome", "campaign_id", "subject", "debt_id", "caller_id"),
    "consents": ("consent_id", "lead_id", "kind", "channels", "seller", "captured_at", "method", "disclosure_shown",
                 "revoked_at"),
    "opt_outs": ("opt_out_id", "lead_id", "phone", "email", "channel_scope", "requested_at", "method"),
    "dnc_entries": ("list", "phone", "phone_hash", "registered_at", "removed_at"),
    "dnc_list_versions": ("list", "obtained_at"),
    "conversions": ("conversion_id", "lead_id", "kind", "occurred_at", "revenue"),
}
CHANNELS = ("call", "sms", "email", "rvm")
TELEPHONE = {"call", "sms", "rvm"}
# What an opt-out's channel_scope covers (docs/data-contract.md, "Opt-outs"; decision D-4): a ringless
# voicemail is a call (FCC 22-85). An internal DNC entry is a company do-not-call request (47 CFR 64.1200(d)(3)).
SCOPES = {"all": set(CHANNELS), "call": {"call", "rvm"}, "sms": {"sms"}, "rvm": {"rvm"}, "email": {"email"}}

# docs/data-contract.md, "Timestamps": ISO 8601, seconds optional, up to 6 fractional digits, an offset
# (Z, ±hh, ±hh:mm or ±hhmm, at most 14:59) required in the native format; "Plausible range": not before
# the TCPA.
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?"
                       r"(Z|[+-](0\d|1[0-4])(:?[0-5]\d)?)")
# docs/data-contract.md, leads: an email must look like name@domain.tld.
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
EARLIEST = datetime(1991, 12, 20, tzinfo=timezone.utc)
# docs/data-contract.md, "Limits": a longer field is kept and quarantined; the loader reads a CSV field of up
# to 64 MiB (a longer one refuses the whole load), so must this reader.
FIELD_LIMIT = 10_000
csv.field_size_limit(64 * 1024 * 1024)
# A NUL, a byte that is not UTF-8 (read as a lone surrogate) or a \uD800-style escape.
BAD_CHARACTER = re.compile("[\x00\ud800-\udfff]")


class Refused(ValueError):
    """The row is quarantined: staging does not use it."""


# ---- reading one file (docs/data-contract.md, "The native format" and "Loading: lines, limits, links")

def read_entity(directory: Path, stem: str) -> Iterator[dict | None]:
    """The records of one entity's file, in file order: a dict of column -> text (stripped; empty when not
    given), or None for a record the loader keeps but staging quarantines (malformed_record)."""
    csv_path = directory / f"{stem}.csv"
    if csv_path.exists():
        yield from csv_records(csv_path)
    else:
        yield from jsonl_records(directory / f"{stem}.jsonl", COLUMNS[stem])


def csv_records(path: Path) -> Iterator[dict | None]:
    """One record, one line: a record spanning lines (an unmatched quote) or with the wrong number of
    fields is malformed. Blank lines are skipped."""
    with open(path, newline="", encoding="utf-8-sig", errors="surrogateescape") as handle:
        reader = csv.reader(handle)
        header = [name.strip().lower() for name in next(reader)]
        last_line = reader.line_num
        for record in reader:
            spans_lines = reader.line_num > last_line + 1
            last_line = reader.line_num
            if not record:
                continue
            if spans_lines or len(record) != len(header):
                yield None
            else:
                yield well_formed(dict(zip(header, record)))


def jsonl_records(path: Path, columns: tuple[str, ...]) -> Iterator[dict | None]:
    """One JSON object per line (lines end at LF); blank lines are skipped."""
    text = path.read_bytes().decode("utf-8", errors="surrogateescape")
    for line in text.split("\n"):
        if line.strip():
            yield json_record(line, columns)


def json_record(line: str, columns: tuple[str, ...]) -> dict | None:
    """An object whose keys (any case, each once) are the file's columns; a missing key or null is empty,
    numbers keep the text written, true/false are those words, a list of strings is comma-separated. Not
    JSON (NaN included), not an object, an unknown or repeated key or a nested value is malformed."""
    try:
        record = json.loads(line, parse_int=str, parse_float=str, parse_constant=refuse_constant,
                            object_pairs_hook=keys_once)
    except (ValueError, RecursionError):
        return None
    if not isinstance(record, dict) or not record.keys() <= set(columns):
        return None
    values = {column: json_text(record.get(column)) for column in columns}
    if None in values.values():
        return None
    return well_formed(values)


def refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def keys_once(pairs: list[tuple[str, object]]) -> dict:
    record = {}
    for key, value in pairs:
        if key.strip().lower() in record:
            raise ValueError(f"{key} given twice")
        record[key.strip().lower()] = value
    return record


def json_text(value) -> str | None:
    """A JSON value as the text a CSV cell holds, or None when it is nested."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return ",".join(value)
    return None


def well_formed(values: dict) -> dict | None:
    """The record with its values stripped, or None when a value holds a NUL, bytes that are not UTF-8 or a
    lone surrogate, or is over the 10,000-character field limit (kept and quarantined)."""
    if any(BAD_CHARACTER.search(value) or len(value) > FIELD_LIMIT for value in values.values()):
        return None
    return {column: value.strip() for column, value in values.items()}


def records(loads: list[tuple[Path, datetime]], stem: str) -> Iterator[tuple[dict, datetime]]:
    """Every well-formed record of the entity in every load, in load and line order, with the latest
    plausible timestamp for it: one day after its first load, the first load that held the same values
    (docs/data-contract.md, "Plausible range": never moved by a reload)."""
    first_loaded: dict[tuple, datetime] = {}
    for directory, loaded_at in loads:
        for row in read_entity(Path(directory), stem):
            if row is not None:
                yield row, first_loaded.setdefault(tuple(sorted(row.items())), loaded_at) + timedelta(days=1)


# ---- one value

def instant(text: str, latest: datetime, required: bool = True) -> datetime | None:
    """A timestamp with its offset, within 1991-12-20T00:00:00Z .. ``latest``; None when empty and
    optional. Naive, unparseable (2025-02-30 too) or implausible: Refused."""
    if not text:
        if required:
            raise Refused("missing timestamp")
        return None
    if not TIMESTAMP.fullmatch(text):
        raise Refused(f"bad or naive timestamp {text}")
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise Refused(str(exc)) from exc
    if not EARLIEST <= value <= latest:
        raise Refused(f"timestamp out of range {text}")
    return value


def one_of(text: str, values, required: bool = True) -> str:
    """An enumeration value, any case."""
    value = text.lower()
    if value in values or (not value and not required):
        return value
    raise Refused(f"{text!r} is not one of {values}")


def e164(text: str) -> str:
    try:
        return normalize_phone(text).e164
    except PhoneRejected as exc:
        raise Refused(str(exc)) from exc


def number_hash(row: dict) -> tuple[str | None, str]:
    """(E.164 or None, hash) from ``phone`` and/or ``phone_hash`` (cci-phone-v1): one of them is required,
    each must be valid, and when both are given they must agree (phone_hash_mismatch)."""
    number = e164(row["phone"]) if row["phone"] else None
    digest = normalize_hash(row["phone_hash"]) if row["phone_hash"] else None
    if row["phone_hash"] and not digest:
        raise Refused("bad phone_hash")
    if not (number or digest) or (number and digest and phone_hash(number) != digest):
        raise Refused("no phone, or phone and phone_hash disagree")
    return number, digest or phone_hash(number)


def given(text: str) -> str:
    """A required value (an id)."""
    if not text:
        raise Refused("missing value")
    return text


def stated_zone(label: str, state: str) -> str | None:
    """A zone label (dbt/seeds/timezone_labels.csv, MST in Arizona is America/Phoenix) or an IANA name."""
    if not label:
        return None
    zone = LABELS.get((label.upper(), state)) or LABELS.get((label.upper(), "")) or IANA.get(label.lower())
    if zone is None:
        raise Refused(f"unknown zone {label}")
    return zone


# ---- the rows in use

@dataclass
class Lead:
    lead_id: str
    e164: str | None
    hash: str
    email: str | None
    state: str
    zip5: str
    stated: str | None


@dataclass
class Attempt:
    attempt_id: str
    lead: Lead
    channel: str
    technology: str
    purpose: str
    at: datetime
    outcome: str
    debt_id: str
    to_e164: str | None
    to_hash: str
    zones: list[str] = field(default_factory=list)
    primary: str = ""

    def local_date(self, zone: str | None = None) -> date:
        return self.at.astimezone(ZoneInfo(zone or self.primary)).date()


@dataclass
class Consent:
    kind: str
    channels: set[str]
    captured: datetime
    revoked: datetime | None
    disclosure: bool


@dataclass
class Request:
    """A request to stop: an opt-out, or an internal DNC entry (a company do-not-call request)."""
    request_id: str
    at: datetime | None
    channels: set[str]
    lead_id: str | None = None
    hash: str | None = None
    email: str | None = None
    removed: datetime | None = None


@dataclass
class Listing:
    registered: datetime | None
    removed: datetime | None


@dataclass
class Staged:
    """The valid current version of every native row (docs/data-contract.md: for each key, the latest load,
    then the latest line, among valid versions; a row naming an unknown or quarantined lead is refused)."""
    attempts: dict[str, Attempt]
    consents: dict[str, list[Consent]]
    opt_outs: list[Request]
    dnc: dict[tuple[str, str], Listing]
    versions: dict[str, list[datetime]]
    conversions: dict[str, list[tuple[str, datetime]]]


def lead_of(row: dict, latest: datetime) -> tuple[str, Lead]:
    number, digest = number_hash(row)
    state = row["address_state"].upper()
    if state and state not in STATE_ZONES:      # USPS codes of the states, DC and the territories
        raise Refused(f"bad state {state}")
    if row["address_zip"] and not re.fullmatch(r"\d{5}(-?\d{4})?", row["address_zip"]):
        raise Refused(f"bad ZIP {row['address_zip']}")
    if row["email"] and not EMAIL.fullmatch(row["email"]):
        raise Refused(f"bad email {row['email']}")
    instant(row["created_at"], latest)
    lead_id = given(row["lead_id"])
    return lead_id, Lead(lead_id, number, digest, row["email"].lower() or None, state, row["address_zip"][:5],
                         stated_zone(row["timezone"], state))


def attempt_of(row: dict, latest: datetime, leads: dict[str, Lead]) -> tuple[str, Attempt]:
    lead = known_lead(row["lead_id"], leads)
    to_e164 = e164(row["to_phone"]) if row["to_phone"] else lead.e164
    attempt = Attempt(
        given(row["attempt_id"]), lead, one_of(row["channel"], CHANNELS),
        one_of(row["technology"], ("manual", "atds", "prerecorded", "ai_voice"), required=False),
        one_of(row["purpose"], ("telemarketing", "informational", "debt_collection")),
        instant(row["attempted_at"], latest),
        one_of(row["outcome"], ("conversation", "voicemail", "no_answer", "busy", "network_fail", "sent",
                                "delivered"), required=False),
        row["debt_id"], to_e164, phone_hash(to_e164) if row["to_phone"] else lead.hash)
    attempt.zones, attempt.primary = candidate_zones(attempt)
    return attempt.attempt_id, attempt


def known_lead(lead_id: str, leads: dict[str, Lead]) -> Lead:
    if lead_id not in leads:
        raise Refused(f"unknown or quarantined lead {lead_id!r}")
    return leads[lead_id]


def consent_of(row: dict, latest: datetime, leads: dict[str, Lead]) -> tuple[str, tuple[str, Consent]]:
    known_lead(row["lead_id"], leads)
    listed = {channel.strip().lower() for channel in row["channels"].split(",") if channel.strip()}
    if not listed or not listed <= {*CHANNELS, "all"}:
        raise Refused(f"bad channels {row['channels']}")
    captured, revoked = instant(row["captured_at"], latest), instant(row["revoked_at"], latest, required=False)
    if revoked and revoked < captured:
        raise Refused("revoked_at before captured_at")
    disclosure = one_of(row["disclosure_shown"], ("true", "false"), required=False) == "true"
    channels = set(CHANNELS) if "all" in listed else listed
    consent = Consent(one_of(row["kind"], ("pec", "pewc")), channels, captured, revoked, disclosure)
    return given(row["consent_id"]), (row["lead_id"], consent)


def opt_out_of(row: dict, latest: datetime, leads: dict[str, Lead]) -> tuple[str, Request]:
    if not (row["lead_id"] or row["phone"] or row["email"]):
        raise Refused("names no one")
    if row["lead_id"]:
        known_lead(row["lead_id"], leads)
    one_of(row["method"], ("stop_keyword", "verbal", "email", "web", "letter"), required=False)
    opt_out_id = given(row["opt_out_id"])
    return opt_out_id, Request(opt_out_id, instant(row["requested_at"], latest),
                               SCOPES[one_of(row["channel_scope"], tuple(SCOPES))], row["lead_id"] or None,
                               phone_hash(e164(row["phone"])) if row["phone"] else None,
                               row["email"].lower() or None)


def dnc_list(text: str) -> str:
    """national, internal, litigator or state:XX (XX a state, DC or territory code)."""
    name = text.lower()
    if name in ("national", "internal", "litigator") or (name[:6] == "state:" and name[6:].upper() in STATE_ZONES):
        return name
    raise Refused(f"unknown list {text}")


def listing_of(row: dict, latest: datetime) -> tuple[tuple[str, str], Listing]:
    """Keyed by (list, phone hash)."""
    name, (_, digest) = dnc_list(row["list"]), number_hash(row)
    registered = instant(row["registered_at"], latest, required=False)
    removed = instant(row["removed_at"], latest, required=False)
    if registered and removed and removed < registered:
        raise Refused("removed_at before registered_at")
    return (name, digest), Listing(registered, removed)


def version_of(row: dict, latest: datetime) -> tuple[tuple[str, datetime], None]:
    """Keyed by (list, obtained_at)."""
    return (dnc_list(row["list"]), instant(row["obtained_at"], latest)), None


def conversion_of(row: dict, latest: datetime, leads: dict[str, Lead]) -> tuple[str, tuple[str, str, datetime]]:
    known_lead(row["lead_id"], leads)
    if row["revenue"] and not re.fullmatch(r"-?\d+(\.\d+)?", row["revenue"]):
        raise Refused(f"bad revenue {row['revenue']}")
    kind = one_of(row["kind"], ("purchase", "inquiry", "application"))
    return given(row["conversion_id"]), (row["lead_id"], kind, instant(row["occurred_at"], latest))


def current(loads: list[tuple[Path, datetime]], stem: str, parse, **context) -> dict:
    """Key -> value of the entity's latest valid version: ``parse(row, latest, **context)`` returns
    (key, value) or raises Refused; a refused newer version leaves the last valid one in use."""
    rows = {}
    for row, latest in records(loads, stem):
        try:
            key, value = parse(row, latest, **context)
        except Refused:
            continue
        rows[key] = value
    return rows


def stage(loads: list[tuple[Path, datetime]]) -> Staged:
    """The rows in use after ``loads``: (directory, first load time) of every native load, in load order."""
    leads = current(loads, "leads", lead_of)
    consents, conversions, versions = defaultdict(list), defaultdict(list), defaultdict(list)
    for lead_id, consent in current(loads, "consents", consent_of, leads=leads).values():
        consents[lead_id].append(consent)
    for lead_id, kind, occurred in current(loads, "conversions", conversion_of, leads=leads).values():
        conversions[lead_id].append((kind, occurred))
    for name, obtained in current(loads, "dnc_list_versions", version_of):
        versions[name].append(obtained)
    return Staged(current(loads, "contact_attempts", attempt_of, leads=leads), dict(consents),
                  list(current(loads, "opt_outs", opt_out_of, leads=leads).values()),
                  current(loads, "dnc_entries", listing_of), dict(versions), dict(conversions))


# ---- where the called party is (docs/data-contract.md, "Candidate time zones"; README "Where is the called party?")

def candidate_zones(attempt: Attempt) -> tuple[list[str], str]:
    """The lead's stated zone, its address's zones (the ZIP3 where dbt/seeds/zip3_zones.csv narrows a split
    state, else every zone of the state) and the called number's area-code zones; no evidence at all: every
    US zone. Also the primary zone, in which date-level rules count days: the stated zone, else the
    address's only zone, else the area code's only zone, else the first candidate by name."""
    lead = attempt.lead
    by_zip = {row["iana_zone"] for row in ZIP3
              if row["state"] == lead.state and lead.zip5 and row["zip3_from"] <= lead.zip5[:3] <= row["zip3_to"]}
    address = by_zip or STATE_ZONES.get(lead.state, set())
    area = AREA_CODES.get(attempt.to_e164[2:5], set()) if attempt.to_e164 else set()
    zones = ({lead.stated} if lead.stated else set()) | address | area or ALL_US
    primary = (lead.stated or (min(address) if len(address) == 1 else None)
               or (min(area) if len(area) == 1 else None) or min(zones))
    return sorted(zones), primary


def applies(rule_id: str, attempt: Attempt) -> bool:
    """The rule covers the attempt's channel and purpose and is in effect on its local date."""
    rule, day = CATALOG[rule_id], attempt.local_date()
    return (attempt.channel in rule["channels"].split() and attempt.purpose in rule["purposes"].split()
            and date.fromisoformat(rule["effective_from"]) <= day
            and (not rule["effective_to"] or day < date.fromisoformat(rule["effective_to"])))


def zone_verdict(hits: set[str], zones: list[str]) -> str | None:
    """definite when the rule is broken in every candidate zone, possible when in some (docs/rules.md)."""
    return None if not hits else "definite" if len(hits) == len(zones) else "possible"


# ---- QH-FED-2: 12 CFR 1006.6(b)(1)(i), 15 U.S.C. 1692c(a)(1)

def quiet_hours(staged: Staged) -> dict:
    """A debt collector's communication before window_start or after window_end (both allowed) local time,
    in every candidate zone."""
    params = CATALOG["QH-FED-2"]["params"]
    start, end = time.fromisoformat(params["window_start"]), time.fromisoformat(params["window_end"])
    found = {}
    for a in staged.attempts.values():
        if applies("QH-FED-2", a):
            hits = {z for z in a.zones if not start <= a.at.astimezone(ZoneInfo(z)).time().replace(tzinfo=None) <= end}
            if verdict := zone_verdict(hits, a.zones):
                found[(a.attempt_id, "QH-FED-2")] = verdict
    return found


# ---- consent: 47 U.S.C. 227(b)(1)(A); 47 CFR 64.1200(a)(1)-(3), (a)(10), (f)(9); FCC 22-85, 24-24

def revoked_at(consent: Consent, lead_consents: list[Consent]) -> datetime | None:
    """When a telephone consent stops counting: the first revocation of any of the lead's telephone consents
    at or after it was captured (a revoked_at carries no scope, decision D-4; FCC 24-24)."""
    times = [c.revoked for c in lead_consents
             if c.revoked and c.channels & TELEPHONE and c.revoked >= consent.captured and consent.channels & TELEPHONE]
    return min(times + ([consent.revoked] if consent.revoked else []), default=None)


def consent_on_file(a: Attempt, staged: Staged, written_only: bool, skew: timedelta = timedelta(0)) -> bool:
    """Consent for the attempt's channel captured by the attempt (+ ``skew``) and not yet revoked: prior
    express written consent with the disclosure shown when ``written_only`` (telemarketing, 64.1200(a)(2),
    (f)(9)), else any prior express consent."""
    lead_consents = staged.consents.get(a.lead.lead_id, [])
    for c in lead_consents:
        kind_counts = (c.kind == "pewc" and c.disclosure) if written_only else True
        revoked = revoked_at(c, lead_consents)
        in_effect = c.captured <= a.at + skew and (revoked is None or revoked > a.at)
        if kind_counts and a.channel in c.channels and in_effect:
            return True
    return False


def no_consent(staged: Staged) -> dict:
    """CON-FED-1 (decision D-1): an autodialed, prerecorded or AI-voice call or text, and every ringless
    voicemail, without the consent its purpose needs; a text of unknown technology may have been autodialed
    (unknown_technology_texts); a consent captured within clock_skew_seconds after the attempt is possible."""
    params = CATALOG["CON-FED-1"]["params"]
    skew, unknown_texts = timedelta(seconds=params["clock_skew_seconds"]), params["unknown_technology_texts"]
    found = {}
    for a in staged.attempts.values():
        if not applies("CON-FED-1", a):
            continue
        if a.technology in ("atds", "prerecorded", "ai_voice") or a.channel == "rvm":
            doubt = False
        elif a.channel == "sms" and not a.technology and unknown_texts != "clear":
            doubt = unknown_texts == "possible"
        else:
            continue
        written_only = a.purpose == "telemarketing"
        if not consent_on_file(a, staged, written_only):
            close = consent_on_file(a, staged, written_only, skew)
            found[(a.attempt_id, "CON-FED-1")] = "possible" if close or doubt else "definite"
    return found


# ---- opt-outs: 47 CFR 64.1200(a)(10)-(12), (d)(3); 15 U.S.C. 7704(a)(4), 16 CFR 316.5; decisions D-2, D-4

def stop_requests(staged: Staged) -> list[Request]:
    """The opt-outs, and each internal DNC entry as a company do-not-call request from registered_at
    covering calls, texts and ringless voicemail (docs/data-contract.md) until removed_at."""
    internal = [Request(f"internal:{digest}", listing.registered, set(TELEPHONE), hash=digest, removed=listing.removed)
                for (name, digest), listing in staged.dnc.items() if name == "internal"]
    return staged.opt_outs + internal


def request_for(a: Attempt, requests: list[Request]) -> Request | None:
    """The earliest request in effect at the attempt (at its very instant too, D-2) that names its lead,
    the called number or the lead's email and covers its channel."""
    def in_effect(r: Request) -> bool:
        names = r.lead_id == a.lead.lead_id or (r.hash and r.hash == a.to_hash) or (r.email and r.email == a.lead.email)
        return bool(names) and a.channel in r.channels and (r.at is None or r.at <= a.at) \
            and not (r.removed and r.removed <= a.at)
    covering = [r for r in requests if in_effect(r)]
    return min(covering, key=lambda r: (r.at or EARLIEST, r.request_id), default=None)


def allowance_ends(r: Request, a: Attempt, params: dict) -> date | None:
    """The last local day to honor the request: business_days after receipt from business_days_from,
    calendar_days_before before it; None when the request has no time (always past)."""
    if r.at is None:
        return None
    receipt = r.at.astimezone(ZoneInfo(a.primary)).date()
    if receipt >= date.fromisoformat(params["business_days_from"]):
        return business_day_after(receipt, params["business_days"])
    return receipt + timedelta(days=params["calendar_days_before"])


def after_opt_out(staged: Staged) -> dict:
    """After the allowance: OPT-FED-1 (OPT-CS-1 for email); within it: OPT-FED-2, except the first text
    after the request, its confirmation: clear without marketing within confirmation_minutes, OPT-FED-3
    with marketing (definite) or later (possible); a later marketing text is just within the allowance."""
    requests = stop_requests(staged)
    minutes = timedelta(minutes=CATALOG["OPT-FED-3"]["params"]["confirmation_minutes"])
    matched = {a.attempt_id: r for a in staged.attempts.values() if (r := request_for(a, requests))}
    texts_after: dict[str, int] = defaultdict(int)
    found = {}
    for a in sorted((staged.attempts[i] for i in matched), key=lambda a: (a.at, a.attempt_id)):
        r, rule = matched[a.attempt_id], "OPT-CS-1" if a.channel == "email" else "OPT-FED-1"
        if not applies(rule, a):
            continue
        if a.channel == "sms":
            texts_after[r.request_id] += 1
        deadline = allowance_ends(r, a, CATALOG[rule]["params"])
        if deadline is None or a.local_date() > deadline:
            found[(a.attempt_id, rule)] = "definite"
            continue
        marketing, late = a.purpose == "telemarketing", a.at > r.at + minutes
        if a.channel == "sms" and texts_after[r.request_id] == 1 and not (marketing and late):
            if marketing or late:
                found[(a.attempt_id, "OPT-FED-3")] = "definite" if marketing else "possible"
            continue
        found[(a.attempt_id, "OPT-FED-2")] = "definite"
    return found


# ---- DNC-FED-1: 47 CFR 64.1200(c)(2), (c)(2)(i)(D), (c)(2)(ii), (f)(5)

def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, the day clamped to the month's last."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def relationship(a: Attempt, staged: Staged, params: dict) -> str | None:
    """The established business relationship at the attempt (64.1200(f)(5)): 'holds' (a purchase within
    ebr_purchase_months, an inquiry or application within ebr_inquiry_months, counted on local days),
    'anniversary' (the attempt falls on the day it ends: possible) or None. A do-not-call request or
    opt-out of the lead or number after the conversion ends it."""
    ended = [r.at for r in stop_requests(staged)
             if r.at and (r.lead_id == a.lead.lead_id or (r.hash and r.hash == a.to_hash))]
    found = None
    for kind, occurred in staged.conversions.get(a.lead.lead_id, []):
        if occurred > a.at or any(occurred < at <= a.at for at in ended):
            continue
        months = params["ebr_purchase_months"] if kind == "purchase" else params["ebr_inquiry_months"]
        ends = add_months(occurred.astimezone(ZoneInfo(a.primary)).date(), months)
        if a.local_date() < ends:
            return "holds"
        if a.local_date() == ends:
            found = "anniversary"
    return found


def safe_harbor(a: Attempt, listing: Listing, staged: Staged, max_age_days: int) -> bool:
    """Registered after the registry version the scrub used (the latest obtained by the attempt), that
    version at most max_age_days old on the attempt's local date (64.1200(c)(2)(i)(D))."""
    used = max((v for v in staged.versions.get("national", []) if v <= a.at), default=None)
    return (used is not None and listing.registered is not None and listing.registered > used
            and (a.local_date() - used.astimezone(ZoneInfo(a.primary)).date()).days <= max_age_days)


def national_registry(staged: Staged) -> dict:
    """A telephone solicitation to a number on the national list at the attempt (registered by it, not
    removed), without PEWC or an established business relationship; the anniversary and the safe harbor
    are possible. The catalog's other list, `unspecified`, is the seed export's dnc.csv (docs/rules.md)."""
    params = CATALOG["DNC-FED-1"]["params"]
    found = {}
    for a in staged.attempts.values():
        listing = staged.dnc.get(("national", a.to_hash))
        if not applies("DNC-FED-1", a) or listing is None or (listing.registered and listing.registered > a.at) \
                or (listing.removed and listing.removed <= a.at) or consent_on_file(a, staged, written_only=True):
            continue
        exemption = relationship(a, staged, params)
        if exemption == "holds" and params["exemption_effect"] == "exempt":
            continue
        doubt = exemption is not None or safe_harbor(a, listing, staged, params["safe_harbor_max_age_days"])
        found[(a.attempt_id, "DNC-FED-1")] = "possible" if doubt else "definite"
    return found


# ---- Reg F: 12 CFR 1006.14(b)(2)(i)(A)-(B), (b)(2)(ii), (b)(3); decision D-3

def call_frequency(staged: Staged) -> dict:
    """Per person and debt, the placed calls (busy and network failures not counted), in every candidate
    zone's local days: RF-FREQ-1 for a call that is more than max_calls within window_days; RF-FREQ-2 for a
    call within window_days of a telephone conversation about the debt (its day the first), a ringless
    voicemail recorded as a conversation judged by rvm_conversation."""
    window, max_calls = CATALOG["RF-FREQ-1"]["params"]["window_days"], CATALOG["RF-FREQ-1"]["params"]["max_calls"]
    talk_window = CATALOG["RF-FREQ-2"]["params"]["window_days"]
    rvm_talk = CATALOG["RF-FREQ-2"]["params"]["rvm_conversation"]
    series = defaultdict(list)
    for a in staged.attempts.values():
        if a.debt_id and a.outcome not in ("busy", "network_fail") and applies("RF-FREQ-1", a):
            series[(a.lead.lead_id, a.debt_id)].append(a)
    found = {}
    for calls in series.values():
        calls.sort(key=lambda c: (c.at, c.attempt_id))
        for n, call in enumerate(calls):
            too_many, talked, surely_talked = set(), set(), set()
            for z in call.zones:
                day = call.local_date(z)
                if sum((day - earlier.local_date(z)).days < window for earlier in calls[:n + 1]) > max_calls:
                    too_many.add(z)
                for earlier in calls[:n]:
                    if earlier.outcome == "conversation" and (day - earlier.local_date(z)).days < talk_window \
                            and not (earlier.channel == "rvm" and rvm_talk == "ignored"):
                        talked.add(z)
                        if earlier.channel != "rvm" or rvm_talk == "counts":
                            surely_talked.add(z)
            if verdict := zone_verdict(too_many, call.zones):
                found[(call.attempt_id, "RF-FREQ-1")] = verdict
            if talked:
                found[(call.attempt_id, "RF-FREQ-2")] = "definite" if surely_talked == set(call.zones) else "possible"
    return found


def expected(staged: Staged) -> dict[tuple[str, str], str]:
    """{(attempt_id, rule_id): certainty} for every rule of RULES; a rule whose definite_enabled is false
    only gives possible (docs/rules.md)."""
    found = {**quiet_hours(staged), **no_consent(staged), **after_opt_out(staged), **national_registry(staged),
             **call_frequency(staged)}
    return {(attempt_id, rule_id): certainty if CATALOG[rule_id]["definite_enabled"] == "true" else "possible"
            for (attempt_id, rule_id), certainty in found.items()}
