"""The auditor UI (step 4 of the flow): ``views`` (pages and actions, thin: the
work is in :mod:`compliance.cases`), ``forms``, ``filters`` (the case queue's
django-filter set), ``masking`` (identifiers masked for viewers),
``middleware``, ``urls``. Templates are in ``compliance/templates/``; the
template tags Django looks up by app are in ``compliance/templatetags/``.
"""
