"""The nightly build: dbt over ``raw`` → mart → cases → views (step 2 of the flow).

``runs`` (one pipeline run end to end, recorded as a ``PipelineRun``),
``build_plan`` (full, incremental or nothing new), ``dbt_runner`` (dbt in a
subprocess, its node results), ``lock`` (one build at a time per database),
``data_quality`` (quarantine counts and file balances per load and per run),
``alerts`` (failed or degraded runs), ``health`` (``/healthz``),
``relations`` (whether a relation a build creates exists yet). Case sync,
called by a run, lives with the cases (:mod:`compliance.cases.sync`).
"""
