"""The rule catalog: parameters are configuration (a changed cap changes
exactly the rows it should, without a code change), a misspelt or mistyped
parameter stops the build naming the rule and the key, every mart row names
its catalog rule, the catalog is shown read-only, and docs/rules.md is
generated from it."""

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import dj_database_url
import pytest
from django.urls import reverse
from django.utils.html import escape

from compliance.datasets.seed import generate
from compliance.models import Case, RuleCatalogEntry

from .conftest import REPO, manage, project_copy, query, user_in_role
from .oracle import expected_violations

CAP = "too_many_attempts_per_day"


def mart(url: str) -> dict[tuple[str, str, str], tuple[int, str]]:
    rows = query(url, "select violation_type, attempt_id, rule_id, attempts_on_local_day, certainty "
                      "from analytics.mart_compliance_risk")
    return {(kind, attempt, rule): (count, certainty) for kind, attempt, rule, count, certainty in rows}


def set_parameter(project, rule_id: str, parameters: str) -> None:
    """Change one rule's parameters in a project copy's catalog, and give the
    catalog a new column (as a later release might): the seed must rebuild."""
    path = project / "seeds" / "rule_catalog.csv"
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    (rule,) = [row for row in rows if row["rule_id"] == rule_id]
    rule["parameters"] = parameters
    for row in rows:
        row["review_note"] = "reviewed"
    with open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.rules("CAP-CCI-1")
@pytest.mark.slow
def test_changing_the_daily_cap_changes_exactly_the_cap_rows(scratch_database, tmp_path):
    url, data = scratch_database, tmp_path / "data"
    generate(data, leads=80, seed=11, clean=True)
    manage(url, "migrate", "--verbosity", "0")
    manage(url, "load_raw", "--format", "seed", str(data))
    manage(url, "run_pipeline")
    before = mart(url)

    project = project_copy(tmp_path / "dbt")
    set_parameter(project, "CAP-CCI-1", '{"max_attempts_per_local_day": 2}')
    manage(url, "run_pipeline", extra_env={"CCI_DBT_PROJECT_DIR": str(project)})
    after = mart(url)

    assert {k: v for k, v in after.items() if k[0] != CAP} == {k: v for k, v in before.items() if k[0] != CAP}
    for cap, rows in ((3, before), (2, after)):
        expected = {k: v for k, v in expected_violations(data, daily_cap=cap).items() if k[0] == CAP}
        assert {k: v for k, v in rows.items() if k[0] == CAP} == expected, f"cap {cap}"
    assert {k for k in after if k[0] == CAP} != {k for k in before if k[0] == CAP}  # the change did something


def build_catalog(url: str, project: Path, target: Path) -> tuple[int, dict[str, tuple[str, str]]]:
    """``dbt build`` of the catalog seed, its tests and the daily-cap rule
    model on the database at ``url``: dbt's exit code and, per node name, its
    status and message."""
    db = dj_database_url.parse(url)
    env = dict(os.environ, CCI_DB_HOST=db["HOST"] or "127.0.0.1", CCI_DB_PORT=str(db["PORT"] or 5432),
               CCI_DB_USER=db["USER"] or "postgres", CCI_DB_PASSWORD=db["PASSWORD"] or "", CCI_DB_NAME=db["NAME"],
               DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    result = subprocess.run(
        [str(Path(sys.executable).with_name("dbt")), "build",
         "--select", "rule_catalog", "int_violations__too_many_attempts_per_day", "--exclude", "mart_compliance_risk",
         "--project-dir", str(project), "--profiles-dir", str(project),
         "--target-path", str(target), "--log-path", str(target / "logs")],
        env=env, capture_output=True, text=True,
    )
    nodes = json.loads((target / "run_results.json").read_text())["results"]
    return result.returncode, {node["unique_id"].split(".")[2]: (node["status"], node["message"]) for node in nodes}


def test_a_misspelt_or_mistyped_parameter_stops_the_build_naming_rule_and_key(scratch_database, tmp_path):
    """The keys and types of each family's parameters are declared with the
    catalog (seeds/seeds.yml, test rule_catalog_parameters): the real catalog
    passes; a copy with a misspelt key (read as NULL, the rule would stop
    firing), a time that is not one and a number written as text fails, naming
    each rule and key, and the rule model downstream is not built."""
    code, nodes = build_catalog(scratch_database, REPO / "dbt", tmp_path / "real")
    assert nodes["rule_catalog_parameters"] == ("pass", None)

    project = project_copy(tmp_path / "dbt")
    set_parameter(project, "CAP-CCI-1", '{"max_attempts_per_local_dy": 3}')
    set_parameter(project, "QH-FED-2", '{"window_start": "08:00:00", "window_end": "9pm"}')
    set_parameter(project, "RF-FREQ-1", '{"max_calls": "7", "window_days": 7}')
    code, nodes = build_catalog(scratch_database, project, tmp_path / "broken")
    assert code != 0
    status, message = nodes["rule_catalog_parameters"]
    assert status == "error"
    for problem in ("CAP-CCI-1: unknown parameter max_attempts_per_local_dy",
                    "CAP-CCI-1: missing parameter max_attempts_per_local_day",
                    'QH-FED-2: parameter window_end must be time, got "9pm"',
                    'RF-FREQ-1: parameter max_calls must be integer, got "7"'):
        assert problem in message, problem
    assert nodes["int_violations__too_many_attempts_per_day"][0] == "skipped"


@pytest.mark.rules("QH-FED-1", "QH-FED-2", "CAP-CCI-1", "OPT-FED-1", "DNC-FED-1", "CON-FED-1")
def test_every_mart_row_names_a_catalog_rule_of_its_family(pipeline_build, db, mart_rows):
    families = dict(RuleCatalogEntry.objects.values_list("rule_id", "violation_type"))
    for row in mart_rows:
        assert families[row["rule_id"]] == row["violation_type"]
        assert row["rule_statement"] and row["rule_id"] in row["details"]
    assert {row["rule_id"] for row in mart_rows} == set(families)


def test_catalog_page_lists_every_rule_read_only(client, pipeline_build, db):
    client.force_login(user_in_role("auditor", "rita"))
    page = client.get(reverse("compliance:rule_catalog")).content.decode()
    for rule in RuleCatalogEntry.objects.all():
        assert f'id="{rule.rule_id}"' in page and escape(rule.citation) in page
    assert "<form" not in page.split("<main>")[1]


def test_rules_doc_is_generated_from_the_catalog():
    result = subprocess.run([sys.executable, "scripts/generate_rules_doc.py", "--check"], cwd=REPO,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_case_page_shows_rule_citation_certainty_and_exposure(client, pipeline_build, db):
    client.force_login(user_in_role("auditor", "ines"))
    case = Case.objects.filter(violation_type="dnc_match", lead_id="E-SEV02").first()
    page = client.get(reverse("compliance:case_detail", args=[case.pk])).content.decode()
    rule = RuleCatalogEntry.objects.get(rule_id="DNC-FED-1")
    for text in ("Rule DNC-FED-1", escape(rule.statement), escape(rule.citation), "definite", "$500.00", "$1500.00"):
        assert text in page, text
