"""Synthetic datasets in CCI's native format (docs/data-contract.md), for
demos and tests.

Deterministic for a given ``seed``. Writes every native entity: ads, the
random people and their history (:mod:`.native_people`: leads, contact
attempts, consents, opt-outs, DNC entries with list versions, conversions),
then the rule exercises the history alone never shows
(:mod:`.native_exercises`, from a second random stream). Unless ``clean`` is
set, one row per kind of defect is added to each file so the quarantine can
be seen. ``file_type`` is ``csv`` or ``jsonl`` (JSON Lines, same fields).

Rows are written as they are made (:class:`~.writing.RowWriter`): the
generator holds the people and, per attempt, 9 bytes of what the exercises
read (:class:`~.native_people.History`), never the rows, so 3 million leads
fit in about 1 GiB.
"""

import random
from pathlib import Path

from compliance.datasets.native_exercises import add_rule_exercises
from compliance.datasets.native_people import History, add_dnc_lists, add_person, make_person
from compliance.datasets.writing import RowWriter


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

