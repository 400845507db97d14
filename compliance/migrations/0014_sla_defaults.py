"""Default SLA policy (issue #5: critical 2 business days, high 5, medium 10;
low 20, CCI's choice) and the permission to edit it for compliance managers."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

DEFAULTS = {"critical": 2, "high": 5, "medium": 10, "low": 20}


def create_defaults(apps, schema_editor):
    SlaPolicy = apps.get_model("compliance", "SlaPolicy")
    for severity, days in DEFAULTS.items():
        SlaPolicy.objects.get_or_create(severity=severity, defaults={"business_days": days})
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    sla = Permission.objects.filter(content_type__app_label="compliance", codename__endswith="_slapolicy")
    view = sla.filter(codename="view_slapolicy")
    Group.objects.get(name="compliance_manager").permissions.add(*sla.filter(codename__in=["view_slapolicy",
                                                                                        "change_slapolicy"]))
    for name in ("auditor", "viewer"):
        Group.objects.get(name=name).permissions.add(*view)


class Migration(migrations.Migration):
    dependencies = [("compliance", "0013_sla")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
