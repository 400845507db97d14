"""Business logic, one module per concern: ``raw_load`` (files → raw schema),
``dbt_runner`` (dbt in a subprocess), ``case_sync`` (mart → cases),
``pipeline`` (build → sync → views), ``cases`` (auditor actions),
``synthetic`` (test/demo data generator)."""
