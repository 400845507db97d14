"""Cases: what auditors triage, annotate and close (step 3 of the flow).

``transitions`` (each status change defined once: its statuses, the fields
it sets, its note, its permission), ``workflow`` (every change to one case:
transitions, notes, assignment, the audit event written with it),
``refusals`` (the errors and the checks of a note or a resolution),
``bulk`` (the same changes over a filtered list), ``moves`` (set-based
moves shared by bulk, SLA and sync), ``sync`` (mart rows → cases after a
published build; human decisions are never overwritten), ``sla`` (due
dates in business days), ``evidence`` (a case's evidence as found and as
it changed).
"""
