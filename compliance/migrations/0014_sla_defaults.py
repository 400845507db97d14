"""Default SLA policy (issue #5: critical 2 business days, high 5, medium 10;
low 20, CCI's choice); the role groups get the SLA policy's permissions
(compliance/roles.py)."""

from django.db import migrations

from ._permissions import sync_role_groups

DEFAULTS = {"critical": 2, "high": 5, "medium": 10, "low": 20}


def create_defaults(apps, schema_editor):
    SlaPolicy = apps.get_model("compliance", "SlaPolicy")
    for severity, days in DEFAULTS.items():
        SlaPolicy.objects.get_or_create(severity=severity, defaults={"business_days": days})
    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [("compliance", "0013_sla")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
