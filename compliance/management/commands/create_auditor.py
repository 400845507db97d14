"""``manage.py create_auditor USERNAME [--password P] [--role auditor|compliance_manager|viewer]``:
an account in one role's group (issue #5 roles)."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

ROLES = ("auditor", "compliance_manager", "viewer")


class Command(BaseCommand):
    help = (
        "Create (or reset the password of) a user in a role's group (default auditor); prints the password. "
        "viewer: read-only, identifiers masked; auditor: notes, triage of own and unassigned cases; "
        "compliance_manager: also assign, close, reopen, bulk actions and pipeline runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--password", help="Default: a random one, printed.")
        parser.add_argument("--role", choices=ROLES, default="auditor")

    def handle(self, username: str, password: str | None, role: str, **options):
        try:
            group = Group.objects.get(name=role)
        except Group.DoesNotExist as exc:
            raise CommandError(f"No '{role}' group: run `manage.py migrate` first.") from exc
        password = password or secrets.token_urlsafe(12)
        user, created = get_user_model().objects.get_or_create(username=username)
        user.set_password(password)
        user.save()
        user.groups.set([group])
        verb = "Created" if created else "Updated"
        self.stdout.write(f"{verb} {role} '{username}' with password: {password}")
