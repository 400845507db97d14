"""Choices and decoders shared by the models: severity, priority. (The rule
families are not choices: the rule catalog, dbt/seeds/rule_catalog.csv, lists
them; see :meth:`compliance.models.RuleCatalogEntry.families`.)"""

import json
from decimal import Decimal

from django.db import models


class Severity(models.TextChoices):
    """Severity of a rule or a case (critical > high > medium > low; docs/rules.md#severities)."""

    CRITICAL = "critical", "Critical"
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class Priority(models.IntegerChoices):
    """Work order of cases, derived from severity: P1 first."""

    P1 = 1, "P1 (critical)"
    P2 = 2, "P2 (high)"
    P3 = 3, "P3 (medium)"
    P4 = 4, "P4 (low)"


PRIORITY_OF_SEVERITY = {Severity.CRITICAL: Priority.P1, Severity.HIGH: Priority.P2, Severity.MEDIUM: Priority.P3,
                        Severity.LOW: Priority.P4}


class ExactDecimalDecoder(json.JSONDecoder):
    """Reads JSON numbers with a fraction as :class:`~decimal.Decimal`, so money
    in a case's evidence (exposure in USD) is never a float."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("parse_float", Decimal)
        super().__init__(*args, **kwargs)

