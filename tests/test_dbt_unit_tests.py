"""dbt unit tests of the rule models (``unit_tests:`` in
``dbt/models/intermediate/int_violations__<family>.unit_tests.yml``): the
boundary cases of each rule family, on fixture rows, beside the SQL they test.

dbt reads the column types of a unit test's inputs from the built relations,
so they run against the session's build (``pipeline_build``). The verdict is
read from ``run_results.json``, not from dbt's exit status alone: every unit
test must pass, and every rule family model must have at least one.
"""

import json

from compliance.pipeline.dbt_runner import run_dbt

from .conftest import REPO

RULE_MODELS = sorted(path.stem for path in (REPO / "dbt" / "models" / "intermediate").glob("int_violations__*.sql"))


def test_every_rule_model_has_passing_dbt_unit_tests(pipeline_build):
    result = run_dbt(["test", "--select", "test_type:unit"])
    results = json.loads((result.target / "run_results.json").read_text())["results"]
    unit_tests = json.loads((result.target / "manifest.json").read_text())["unit_tests"]

    ran = {r["unique_id"]: r for r in results if r["unique_id"].startswith("unit_test.")}
    failed = {unique_id: r["message"] for unique_id, r in ran.items() if r["status"] != "pass"}
    assert not failed, f"dbt unit tests did not pass: {failed}\n{result.log_tail}"
    assert result.success, result.log_tail
    assert set(ran) == set(unit_tests), "every unit test of the project ran"
    tested_models = {unit_tests[unique_id]["model"] for unique_id in ran}
    untested = [model for model in RULE_MODELS if model not in tested_models]
    assert RULE_MODELS and not untested, f"rule models without a dbt unit test: {untested}"


def test_pipeline_builds_do_not_run_unit_tests(pipeline_build):
    """The pipeline's build excludes them (they read fixtures, not the data)."""
    kinds = set(pipeline_build.run.nodes.values_list("resource_type", flat=True))
    assert {"model", "test"} <= kinds and "unit_test" not in kinds
