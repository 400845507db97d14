"""load_raw no longer builds staging: a load's staged / superseded /
quarantined counts are filled by the next successful pipeline run."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("compliance", "0019_case_closer")]

    operations = [
        migrations.RenameField("rawloadfile", "rows_loaded", "rows_staged"),
        migrations.AlterField(
            "rawloadfile", "rows_staged",
            models.IntegerField(
                null=True, blank=True, help_text="lines whose row is staged as the current valid version of its id"
            ),
        ),
        migrations.AddField(
            "rawloadfile", "rows_superseded",
            models.IntegerField(
                null=True, blank=True,
                help_text="lines whose row is a valid older version, replaced by a later row of its id",
            ),
        ),
        migrations.AlterField(
            "rawloadfile", "rows_quarantined",
            models.IntegerField(null=True, blank=True, help_text="lines whose row staging refused"),
        ),
        migrations.AddField(
            "rawloadfile", "counted_by_run",
            models.ForeignKey(
                null=True, blank=True, on_delete=django.db.models.deletion.PROTECT, related_name="counted_files",
                to="compliance.pipelinerun",
                help_text="the pipeline run whose build judged these rows (NULL: pending until the next successful run)",
            ),
        ),
    ]
