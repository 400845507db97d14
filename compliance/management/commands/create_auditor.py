"""``manage.py create_auditor USERNAME [--password P]``: an account in the auditor group."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

AUDITOR_GROUP = "auditor"


class Command(BaseCommand):
    help = "Create (or reset the password of) a user in the auditor group; prints the password."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--password", help="Default: a random one, printed.")

    def handle(self, username: str, password: str | None, **options):
        try:
            group = Group.objects.get(name=AUDITOR_GROUP)
        except Group.DoesNotExist as exc:
            raise CommandError(f"No '{AUDITOR_GROUP}' group: run `manage.py migrate` first.") from exc
        password = password or secrets.token_urlsafe(12)
        user, created = get_user_model().objects.get_or_create(username=username)
        user.set_password(password)
        user.save()
        user.groups.add(group)
        verb = "Created" if created else "Updated"
        self.stdout.write(f"{verb} auditor '{username}' with password: {password}")
