"""CCI's compliance app: cases built from the dbt mart, the pipeline that builds
them, raw loads and the auditor UI."""
