"""CCI's scale benchmark: the instrument behind ``scripts/benchmark.py``.

Modules: ``process`` (a step as a subprocess: wall time, time limit, peak
memory of its processes), ``postgres`` (the fresh benchmark database, and
the memory and sampled query time of its server backends), ``datasets``
(the skewed lead and the nightly increment, written beside the generators'
files), ``output`` (reading a step's output: pipeline phases, dbt node
times), ``sources`` (which code was measured), ``runner`` (the steps of one
run), ``report`` (the Markdown table and the ratios), ``cli`` (the command
line and the ratios with their goals). ``naive.sql`` is the naive one-pass
floor, ``case_floor.sql`` the plain ``insert ... select`` that case sync is
compared with.
"""
