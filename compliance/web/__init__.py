"""The auditor UI (step 4 of the flow), views thin (the work is in
:mod:`compliance.cases`; a view works out which actions the user may take,
the templates check no permission): ``case_page`` (a case and its
actions), ``queue`` (the case list and bulk changes), ``pipeline_pages``
(pipeline runs, data quality, the rule catalog), ``actions`` (what the
action views share), ``forms`` (a transition's built from its
definition), ``filters`` (the case queue's django-filter set),
``masking`` (identifiers masked for viewers), ``navigation`` (the
header's links), ``middleware``, ``urls``. Templates are in
``compliance/templates/``; the template tags Django looks up by app are in
``compliance/templatetags/``.
"""
