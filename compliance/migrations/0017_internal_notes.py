"""Internal notes are for the compliance team: the permission to read them,
held by the roles of compliance/roles.py that list it (auditors and
compliance managers, not viewers)."""

from django.db import migrations

from ._permissions import sync_role_groups


class Migration(migrations.Migration):
    dependencies = [("compliance", "0016_note_edits")]

    operations = [
        migrations.AlterModelOptions(
            name="casenote",
            options={"ordering": ["created_at", "id"],
                     "permissions": [("view_internal_casenote", "Can read internal notes (the compliance team)")]},
        ),
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
    ]
