"""``manage.py create_auditor USERNAME [--password P] [--role auditor|compliance_manager|viewer] [--staff|--no-staff]``:
an account in one role's group. Compliance managers are staff
(Django admin: the SLA policy, schedules); viewers and auditors are not unless
``--staff`` says so."""

import argparse
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

ROLES = ("auditor", "compliance_manager", "viewer")
STAFF_ROLES = ("compliance_manager",)


class Command(BaseCommand):
    help = (
        "Create (or reset the password and role of) a user in a role's group (default auditor); prints the "
        "password. viewer: read-only, identifiers masked; auditor: notes, triage of own and unassigned cases; "
        "compliance_manager: also assign, close, reopen, bulk actions, pipeline runs and, as staff, the SLA "
        "policy in Django admin. --staff / --no-staff overrides who may log in to admin (what they see there "
        "is still their role's permissions)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--password", help="Default: a random one, printed.")
        parser.add_argument("--role", choices=ROLES, default="auditor")
        parser.add_argument(
            "--staff",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="May log in to Django admin. Default: yes for compliance_manager, no for the other roles.",
        )

    def handle(self, username: str, password: str | None, role: str, staff: bool | None, **options):
        try:
            group = Group.objects.get(name=role)
        except Group.DoesNotExist as exc:
            raise CommandError(f"No '{role}' group: run `manage.py migrate` first.") from exc
        password = password or secrets.token_urlsafe(12)
        user, created = get_user_model().objects.get_or_create(username=username)
        user.set_password(password)
        # A superuser keeps admin access whatever the role.
        user.is_staff = staff if staff is not None else (role in STAFF_ROLES or user.is_superuser)
        user.save()
        user.groups.set([group])
        verb = "Created" if created else "Updated"
        staff_note = " (staff: may use Django admin)" if user.is_staff else ""
        self.stdout.write(f"{verb} {role} '{username}'{staff_note} with password: {password}")
