"""The roles of CCI, defined once.

Each :class:`Role` is a Django group of that name holding exactly its
``compliance`` permissions (codenames). :data:`ROLES` is read by the data
migration that creates the groups, by ``manage.py create_role_user`` (its
``--role`` choices, help text and staff default) and by the URL sweep of
``tests/test_roles.py``; a role added here is a new group after ``migrate``.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Role:
    """One role: ``group`` is the Django group's name, ``permissions`` the
    codenames of its ``compliance`` permissions, ``staff`` whether a user made
    in the role may log in to Django admin by default, ``description`` what the
    role may do, in plain words (shown by ``create_role_user --help``)."""

    group: str
    permissions: tuple[str, ...]
    staff: bool
    description: str


_VIEWER = ("view_case", "view_casenote", "view_caseevent", "view_pipelinerun", "view_complianceviolation",
           "view_slapolicy")
_AUDITOR = _VIEWER + ("view_identifiers", "view_internal_casenote", "view_quarantinedrow", "add_casenote",
                      "triage_case")
_MANAGER = _AUDITOR + ("assign_case", "close_case", "reopen_case", "bulk_change_case", "add_pipelinerun",
                       "change_slapolicy")

ROLES: dict[str, Role] = {role.group: role for role in (
    Role("viewer", _VIEWER, staff=False, description=(
        "read-only: the case queue, cases, notes (not internal ones), pipeline runs and the rule catalog, "
        "with phone hashes, lead ids and other identifiers masked")),
    Role("auditor", _AUDITOR, staff=False, description=(
        "a viewer's pages unmasked, internal notes and the data-quality page; adds notes, and claims, "
        "triages and reviews cases that are unassigned or their own")),
    Role("compliance_manager", _MANAGER, staff=True, description=(
        "an auditor's, plus assigning any case, closing, reopening, bulk actions, starting pipeline runs and "
        "editing the SLA policy in Django admin (a staff role)")),
)}
