"""Data model, split by area (the import path stays ``compliance.models``).

Managed (owned by Django migrations): :class:`Case`, :class:`CaseNote`,
:class:`CaseEvent` (audit trail), :class:`PipelineRun`, :class:`RawLoad` and
:class:`RawLoadFile`.

Unmanaged (owned by dbt, read-only here): :class:`ComplianceViolation` over
``analytics.mart_compliance_risk`` and :class:`QuarantinedRow` over
``staging.stg_quarantine``. :class:`CaseQueueItem` is a
django-pgviews-redux view joining cases to their current mart row.

Modules: ``choices`` (severity, priority), ``pipeline`` (runs,
loads), ``cases`` (the case workflow's tables), ``mart`` (dbt-owned tables
and the case queue view). django-pghistory sets the history models it
generates (``CaseHistory``, ``CaseNoteHistory``) on this module."""

from .cases import BulkOperation, Case, CaseEvent, CaseNote, SlaPolicy
from .choices import PRIORITY_OF_SEVERITY, ExactDecimalDecoder, Priority, Severity
from .mart import CaseQueueItem, ComplianceViolation, QuarantinedRow, RuleCatalogEntry
from .pipeline import AlertDelivery, PipelineNodeResult, PipelineRun, RawLoad, RawLoadFile

__all__ = ["ExactDecimalDecoder", "PRIORITY_OF_SEVERITY", "Priority", "Severity",
    "AlertDelivery", "PipelineNodeResult", "PipelineRun", "RawLoad", "RawLoadFile", "BulkOperation", "Case",
    "CaseEvent", "CaseNote", "SlaPolicy", "CaseQueueItem",
    "ComplianceViolation", "QuarantinedRow", "RuleCatalogEntry"]
