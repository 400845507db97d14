"""Internal notes are for the compliance team (issue #5): the permission to
read them, given to auditors and compliance managers (not viewers)."""

from django.db import migrations

from ._permissions import grant


def grant_internal_notes(apps, schema_editor):
    grant(apps, ["auditor", "compliance_manager"], ["view_internal_casenote"])


class Migration(migrations.Migration):
    dependencies = [("compliance", "0016_note_edits")]

    operations = [
        migrations.AlterModelOptions(
            name="casenote",
            options={"ordering": ["created_at", "id"],
                     "permissions": [("view_internal_casenote", "Can read internal notes (the compliance team)")]},
        ),
        migrations.RunPython(grant_internal_notes, migrations.RunPython.noop),
    ]
