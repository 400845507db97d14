"""The native rules of the shared build against an independent Python
statement of them (tests/oracle_native.py), on the synthetic native dataset
(``pipeline_build.native_dir``, with its defects).

The build also loads other native data (the native scenarios, the planted
set) and seed data into the same tables. Native loads share DNC lists, list
versions and numbers, so the oracle reads every native load of the build, in
load order; seed rows could only reach these attempts through a shared id or
a number on the seed's dnc.csv (the catalog's ``unspecified`` list), which the
oracle does not state, so the test first checks there is none. The
comparison is then restricted to the dataset's own attempts and leads.
"""

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from compliance.ingest.phone_identity import normalize_hash
from compliance.models import RawLoad

from .oracle_native import RULES, expected, read_entity, stage


def build_loads(pipeline_build, file_format: str) -> list[RawLoad]:
    """The loads of ``file_format`` the build's pipeline run saw, in load order."""
    return list(RawLoad.objects.filter(file_format=file_format, started_at__lte=pipeline_build.run.started_at)
                .order_by("started_at", "pk"))


def column_values(directory: Path, stem: str, column: str) -> set[str]:
    return {row[column] for row in read_entity(directory, stem) if row is not None and row[column]}


def seed_column(directory: Path, name: str, column: str) -> set[str]:
    """The values of one column of a seed-format file (its malformed rows included: bad bytes kept)."""
    with open(directory / name, newline="", encoding="utf-8-sig", errors="surrogateescape") as handle:
        return {(row[column] or "").strip() for row in csv.DictReader(handle)}


def seed_identities(directory: Path) -> tuple[set[str], set[str]]:
    """The ids (leads, attempts, conversions) and DNC hashes of a seed-format directory."""
    ids = (seed_column(directory, "leads.csv", "lead_id") | seed_column(directory, "contact_attempts.csv", "attempt_id")
           | seed_column(directory, "conversions.csv", "conversion_id"))
    return ids, {normalize_hash(text) for text in seed_column(directory, "dnc.csv", "phone_hash")} - {None}


def by_rule(rows: set[tuple[str, str, str]]) -> dict[str, set[tuple[str, str]]]:
    grouped = defaultdict(set)
    for attempt_id, rule_id, certainty in rows:
        grouped[rule_id].add((attempt_id, certainty))
    return grouped


def assert_no_seed_row_reaches(pipeline_build, directory: Path, numbers: set[str]) -> None:
    """No id of ``directory`` (its own or a lead it names) is a seed id, and none of ``numbers`` (phone
    hashes) is on a seed dnc.csv, in any seed load of the build."""
    ids = column_values(directory, "contact_attempts", "attempt_id") | column_values(directory, "conversions",
                                                                                     "conversion_id")
    ids |= {lead for stem in ("leads", "contact_attempts", "consents", "opt_outs", "conversions")
            for lead in column_values(directory, stem, "lead_id")}
    for load in build_loads(pipeline_build, "seed"):
        seed_ids, seed_hashes = seed_identities(Path(load.source_dir))
        assert not ids & seed_ids, f"ids shared with the seed data of {load.source_dir}"
        assert not numbers & seed_hashes, f"numbers on the seed dnc.csv of {load.source_dir}"


@pytest.mark.rules("QH-FED-2", "DNC-FED-1", "CON-FED-1", "OPT-FED-1", "OPT-FED-2", "OPT-FED-3", "OPT-CS-1",
                   "RF-FREQ-1", "RF-FREQ-2")
def test_native_rules_match_the_independent_oracle(pipeline_build, mart_rows):
    """(attempt_id, rule_id, certainty) per rule: the oracle's for the dataset's attempts, the mart's for
    the dataset's leads."""
    # A load's start is within its transaction, milliseconds from its raw rows' first-load time.
    loads = [(Path(load.source_dir), load.started_at) for load in build_loads(pipeline_build, "native")]
    directory = pipeline_build.native_dir.resolve()
    assert directory in [path for path, _ in loads]
    staged = stage(loads)
    attempt_ids = column_values(directory, "contact_attempts", "attempt_id")
    lead_ids = column_values(directory, "leads", "lead_id")
    assert_no_seed_row_reaches(
        pipeline_build, directory, {a.to_hash for a in staged.attempts.values() if a.attempt_id in attempt_ids})

    predicted = by_rule({(attempt_id, rule_id, certainty) for (attempt_id, rule_id), certainty
                         in expected(staged).items() if attempt_id in attempt_ids})
    found = by_rule({(row["attempt_id"], row["rule_id"], row["certainty"])
                     for row in mart_rows if row["rule_id"] in RULES and row["lead_id"] in lead_ids})
    differences = {rule: {"mart only": sorted(found[rule] - predicted[rule]),
                          "oracle only": sorted(predicted[rule] - found[rule])}
                   for rule in RULES if found[rule] != predicted[rule]}
    assert not differences, differences
    assert any(predicted.values()), "the dataset exercises none of the native rules"
