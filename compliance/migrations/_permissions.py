"""Helpers for the migrations that give role groups their permissions
(a module starting with "_" is not a migration)."""

from django.contrib.auth.management import create_permissions


def ensure_permissions(apps) -> None:
    """Create the permissions of every model now, not after ``migrate`` ends,
    so a data migration can hand them to groups."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None


def grant(apps, group_names, codenames) -> None:
    """Add the ``compliance`` permissions ``codenames`` to each group of ``group_names``."""
    ensure_permissions(apps)
    permissions = apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="compliance", codename__in=codenames)
    for group in apps.get_model("auth", "Group").objects.filter(name__in=group_names):
        group.permissions.add(*permissions)
