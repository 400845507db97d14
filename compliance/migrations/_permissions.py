"""Helpers for the migrations that give role groups their permissions
(a module starting with "_" is not a migration)."""

from django.contrib.auth.management import create_permissions

from compliance.roles import ROLES


def ensure_permissions(apps) -> None:
    """Create the permissions of every model now, not after ``migrate`` ends,
    so a data migration can hand them to groups."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None


def sync_role_groups(apps, schema_editor=None) -> None:
    """Make one group per role of :data:`compliance.roles.ROLES` holding exactly
    that role's ``compliance`` permissions (those whose models exist at this
    point of the migrations). Running it again sets each group anew."""
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role in ROLES.values():
        group, _ = Group.objects.get_or_create(name=role.group)
        group.permissions.set(Permission.objects.filter(content_type__app_label="compliance",
                                                        codename__in=role.permissions))
