"""Raw files → the ``raw`` schema, kept as received (step 1 of the flow).

``formats`` (the two export formats' files and columns), ``load`` (one load
of a directory, in one transaction), ``files`` (the directory's files checked,
each one's reader), ``reading`` (opening files, lines, limits, quoting what
was received), ``csv_records`` and ``jsonl_records`` (records kept with their
parse error), ``store`` (COPY into ``raw``, append-only),
``plain_csv`` (files PostgreSQL's CSV parser takes directly),
``phone_identity`` (the phone-number identity contract shared with dbt's
staging and the web search). Nothing here runs dbt: typing and quarantine are
the pipeline's build (:mod:`compliance.pipeline`).
"""
