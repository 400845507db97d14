"""Synthetic export data for tests, the demo and the benchmark (not business logic).

``seed`` (the seed format's four files), ``native`` (the native format's JSON
Lines and CSV files, streamed: ``native_people``, the random people and their
history, then ``native_exercises``, the rule exercises the history never
shows), ``writing`` (native rows as CSV or JSON Lines), ``planted`` (a native
dataset whose expected violations are known row for row: the planted ground
truth). Written through ``manage.py generate_synthetic``.
"""
