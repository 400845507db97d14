"""``manage.py create_role_user USERNAME --role ROLE [--password P] [--staff|--no-staff]``:
an account in one role's group, a role of :data:`compliance.roles.ROLES`
(viewer, auditor, compliance_manager). Whether the user may log in to Django
admin follows the role (compliance managers are staff) unless ``--staff`` or
``--no-staff`` says otherwise. Running it again for the same user resets the
password and the role."""

import argparse
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from compliance.roles import ROLES


class Command(BaseCommand):
    help = (
        "Create (or reset the password and role of) a user in a role's group; prints the password. Roles: "
        + "; ".join(f"{name}: {role.description}" for name, role in ROLES.items())
        + ". --staff / --no-staff overrides who may log in to Django admin (what they see there is still "
        "their role's permissions)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", choices=list(ROLES), required=True)
        parser.add_argument("--password", help="Default: a random one, printed.")
        parser.add_argument(
            "--staff",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="May log in to Django admin. Default: "
            + ", ".join(f"{'yes' if role.staff else 'no'} for {name}" for name, role in ROLES.items()) + ".",
        )

    def handle(self, username: str, password: str | None, role: str, staff: bool | None, **options):
        """Create or update the user; raises CommandError when the role's group is missing (not migrated)."""
        try:
            group = Group.objects.get(name=ROLES[role].group)
        except Group.DoesNotExist as exc:
            raise CommandError(f"No '{role}' group: run `manage.py migrate` first.") from exc
        password = password or secrets.token_urlsafe(12)
        user, created = get_user_model().objects.get_or_create(username=username)
        user.set_password(password)
        # A superuser keeps admin access whatever the role.
        user.is_staff = staff if staff is not None else (ROLES[role].staff or user.is_superuser)
        user.save()
        user.groups.set([group])
        verb = "Created" if created else "Updated"
        staff_note = " (staff: may use Django admin)" if user.is_staff else ""
        self.stdout.write(f"{verb} {role} '{username}'{staff_note} with password: {password}")
