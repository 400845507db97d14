"""Rows the benchmark writes itself, in the generators' formats (the generators stay as they are).

* :func:`append_skewed_lead`: one more lead, called ``attempts`` times within
  July 2025 by a runaway dialer (evenly spread, any hour), appended to
  ``leads.csv`` and ``contact_attempts.csv``.
* :func:`write_increment`: the nightly export after the full build, as a
  directory of the same files: 1% more attempts (copies of random attempts
  with new ids, most on the day after the generated period, a fifth on old
  days: late arrivals), a few changed leads, new opt-outs and consents
  (seed: ``opt_out_at`` and ``consent_flag`` of changed leads; native:
  opt-out and consent rows, and consents revoked), new conversions and DNC
  entries. Every other file has only its header.

"A few" is 0.1% of the leads, at least 3, per kind of change.
"""

import csv
import hashlib
import random
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

from compliance.datasets.seed import PERIOD_DAYS, PERIOD_START

SKEW_MONTH_START = datetime(2025, 7, 1, tzinfo=timezone.utc)
SKEW_MONTH_SECONDS = 31 * 86400
NEW_DAY = PERIOD_START + timedelta(days=PERIOD_DAYS)  # the first day after the generated period
INCREMENT_SHARE = 0.01
LATE_SHARE = 0.2
# Per format: the attempt's timestamp column and the prefix of new attempt ids.
ATTEMPT_COLUMNS = {"seed": ("attempt_ts", "AINC"), "native": ("attempted_at", "NAINC")}


def count_rows(path: Path) -> int:
    """Records in a generated CSV file (lines after the header: the generators write one line per record)."""
    with open(path, "rb") as handle:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    return max(0, lines - 1)


def header_of(path: Path) -> list[str]:
    with open(path, newline="", encoding="utf-8") as handle:
        return next(csv.reader(handle))


def write_rows(path: Path, rows: list[dict], header: list[str] | None = None) -> None:
    """Append ``rows`` to the CSV file ``path`` under its header, or, with
    ``header``, write a new file; a column a row lacks is written empty."""
    mode = "w" if header else "a"
    header = header or header_of(path)
    with open(path, mode, newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, header, restval="", extrasaction="ignore")
        if mode == "w":
            writer.writeheader()
        writer.writerows(rows)


def sample_rows(path: Path, count: int, rng: random.Random) -> list[dict]:
    """``count`` random records of a CSV file (all of them if fewer), read in one streamed pass."""
    total = count_rows(path)
    chosen = set(rng.sample(range(total), min(count, total)))
    with open(path, newline="", encoding="utf-8") as handle:
        return [row for index, row in enumerate(csv.DictReader(handle)) if index in chosen]


def skewed_seed_lead(moments: list[datetime]) -> tuple[dict, list[dict]]:
    """The skewed person in the seed format: the lead row and its attempt rows."""
    lead = {"lead_id": "LSKEW000001", "phone_hash": hashlib.sha256(b"+12125550100").hexdigest(), "state": "NY",
            "timezone": "EST", "source": "partner", "created_at": "2025-06-01T12:00:00", "consent_flag": "true"}
    attempts = [{"attempt_id": f"ASKEW{n:07d}", "lead_id": lead["lead_id"], "channel": "call",
                 "attempt_ts": moment.strftime("%Y-%m-%dT%H:%M:%S"), "outcome": "no_answer", "campaign_id": "CMP-01"}
                for n, moment in enumerate(moments, 1)]
    return lead, attempts


def skewed_native_lead(moments: list[datetime]) -> tuple[dict, list[dict]]:
    """The skewed person in the native format: the lead row and its attempt rows."""
    lead = {"lead_id": "NSKEW000001", "phone": "(212) 555-0100", "email": "nskew000001@example.com",
            "address_state": "NY", "address_zip": "10001", "timezone": "America/New_York", "ad_id": "AD-01",
            "created_at": "2025-06-01T12:00:00Z"}
    attempts = [{"attempt_id": f"NASKEW{n:07d}", "lead_id": lead["lead_id"], "channel": "call", "technology": "atds",
                 "purpose": "telemarketing", "attempted_at": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
                 "outcome": "no_answer", "campaign_id": "CMP-01", "subject": "solar quote",
                 "caller_id": "+18005550100"}
                for n, moment in enumerate(moments, 1)]
    return lead, attempts


SKEWED_LEADS: dict[str, Callable[[list[datetime]], tuple[dict, list[dict]]]] = {
    "seed": skewed_seed_lead, "native": skewed_native_lead,
}


def append_skewed_lead(directory: Path, file_format: str, attempts: int) -> int:
    """Append the skewed person (module docstring) to ``directory``'s files; returns the attempts added."""
    if attempts < 1:
        return 0
    moments = [SKEW_MONTH_START + timedelta(seconds=n * SKEW_MONTH_SECONDS / attempts) for n in range(attempts)]
    lead, rows = SKEWED_LEADS[file_format](moments)
    write_rows(directory / "leads.csv", [lead])
    write_rows(directory / "contact_attempts.csv", rows)
    return len(rows)


def moved_attempt(row: dict, number: int, file_format: str, rng: random.Random) -> dict:
    """A copy of attempt ``row`` as a new attempt: a new id, and its date moved to
    :data:`NEW_DAY` or, for a :data:`LATE_SHARE` of them, to a random old day."""
    column, prefix = ATTEMPT_COLUMNS[file_format]
    late = rng.random() < LATE_SHARE
    day = PERIOD_START + timedelta(days=rng.randrange(PERIOD_DAYS)) if late else NEW_DAY
    return dict(row, attempt_id=f"{prefix}{number:08d}", **{column: day.isoformat() + row[column][10:]})


def seed_changes(source: Path, leads: list[dict], few: int, rng: random.Random) -> dict[str, list[dict]]:
    """Seed format: changed leads (source; consent flipped: new consents and
    revocations; new opt-outs), new conversions and DNC rows."""
    flipped = {"true": "false", "false": "true"}
    return {
        "leads.csv": [dict(row, source="reimported") for row in leads[:few]]
        + [dict(row, consent_flag=flipped.get(row["consent_flag"], "true")) for row in leads[few:2 * few]]
        + [dict(row, opt_out_at=f"{NEW_DAY}T12:00:00") for row in leads[2 * few:3 * few]],
        "conversions.csv": [{"conversion_id": f"CINC{n:06d}", "lead_id": row["lead_id"],
                             "conversion_ts": f"{NEW_DAY}T15:00:00", "conversion_type": "purchase", "revenue": "99.00"}
                            for n, row in enumerate(leads[3 * few:], 1)],
        "dnc.csv": [{"phone_hash": row["phone_hash"]} for row in leads[3 * few:]],
    }


def native_changes(source: Path, leads: list[dict], few: int, rng: random.Random) -> dict[str, list[dict]]:
    """Native format: changed leads (their ad), new consents and revocations,
    new opt-outs, DNC entries, a registry download and conversions."""
    noon = f"{NEW_DAY}T12:00:00Z"
    return {
        "leads.csv": [dict(row, ad_id="AD-01" if row["ad_id"] == "AD-06" else "AD-06") for row in leads[:few]],
        "consents.csv": [{"consent_id": f"CN-INC-{row['lead_id']}", "lead_id": row["lead_id"], "kind": "pewc",
                          "channels": "all", "seller": "Acme Solar", "captured_at": noon, "method": "web_form",
                          "disclosure_shown": "true"} for row in leads[few:2 * few]]
        + [dict(row, revoked_at=noon) for row in sample_rows(source / "consents.csv", few, rng)],
        "opt_outs.csv": [{"opt_out_id": f"OO-INC-{row['lead_id']}", "lead_id": row["lead_id"], "channel_scope": "all",
                          "requested_at": noon, "method": "web"} for row in leads[2 * few:3 * few]],
        "dnc_entries.csv": [{"list": "national", "phone": row["phone"], "registered_at": f"{NEW_DAY}T00:00:00Z"}
                            for row in leads[3 * few:]],
        "dnc_list_versions.csv": [{"list": "national", "obtained_at": f"{NEW_DAY}T06:00:00Z"}],
        "conversions.csv": [{"conversion_id": f"CV-INC-{row['lead_id']}", "lead_id": row["lead_id"], "kind": "purchase",
                             "occurred_at": noon, "revenue": "99.00"} for row in leads[3 * few:]],
    }


CHANGES = {"seed": seed_changes, "native": native_changes}


def write_increment(source: Path, out: Path, file_format: str, seed: int) -> dict[str, int]:
    """Write the nightly increment (module docstring) of the export in ``source``
    to ``out``; returns the rows written per file."""
    rng = random.Random(f"{seed}:increment")
    out.mkdir(parents=True, exist_ok=True)
    attempts_file = source / "contact_attempts.csv"
    new_attempts = max(1, round(count_rows(attempts_file) * INCREMENT_SHARE))
    attempts = [moved_attempt(row, n, file_format, rng)
                for n, row in enumerate(sample_rows(attempts_file, new_attempts, rng), 1)]
    few = max(3, count_rows(source / "leads.csv") // 1000)
    leads = sample_rows(source / "leads.csv", 4 * few, rng)
    rng.shuffle(leads)
    files = {"contact_attempts.csv": attempts, **CHANGES[file_format](source, leads, few, rng)}
    for path in sorted(source.glob("*.csv")):
        write_rows(out / path.name, files.get(path.name, []), header=header_of(path))
    return {path.name: len(files.get(path.name, [])) for path in sorted(source.glob("*.csv"))}
