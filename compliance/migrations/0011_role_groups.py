"""The three roles of issue #5 as groups with their permissions:

* ``viewer``: read-only; identifiers (phone hashes, lead and attempt ids) masked;
* ``auditor``: the viewer's pages unmasked, the data-quality page, notes, and
  claim / triage / review of cases that are unassigned or their own;
* ``compliance_manager``: the auditor's, plus assign any case, close, reopen,
  bulk actions and pipeline runs on request.

Re-running the migration sets each group to exactly this list.
"""

from django.db import migrations

from ._permissions import ensure_permissions

VIEWER = [
    "view_case", "view_casenote", "view_caseevent", "view_pipelinerun", "view_complianceviolation",
]
AUDITOR = VIEWER + ["view_identifiers", "view_quarantinedrow", "add_casenote", "triage_case"]
MANAGER = AUDITOR + ["assign_case", "close_case", "reopen_case", "bulk_change_case", "add_pipelinerun"]
ROLES = {"viewer": VIEWER, "auditor": AUDITOR, "compliance_manager": MANAGER}


def create_role_groups(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(Permission.objects.filter(content_type__app_label="compliance", codename__in=codenames))


def remove_new_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["viewer", "compliance_manager"]).delete()


class Migration(migrations.Migration):
    dependencies = [("compliance", "0010_roles")]

    operations = [migrations.RunPython(create_role_groups, remove_new_groups)]
