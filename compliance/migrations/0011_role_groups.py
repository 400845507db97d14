"""The role groups of compliance/roles.py with their permissions (0014 and
0017 set them again once the SLA policy's and internal notes' permissions
exist). Re-running the migration sets each group to exactly its role's list."""

from django.db import migrations

from ._permissions import sync_role_groups


def remove_new_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["viewer", "auditor", "compliance_manager"]).delete()


class Migration(migrations.Migration):
    dependencies = [("compliance", "0010_roles")]

    operations = [migrations.RunPython(sync_role_groups, remove_new_groups)]
