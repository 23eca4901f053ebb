"""Send a test message through every channel a person has, and say what each answered."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lianxin.accounts.models import User
from lianxin.notifications.trial import test_message_send


class Command(BaseCommand):
    help = (
        "Send one test message to USERNAME in the app, by e-mail, by text message and to the group robots "
        "of the organizations they administer, printing each channel's answer. Exits 1 when any failed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user named {options['username']!r}.")
        tried = test_message_send(user=user)
        for line in tried:
            mark = "ok    " if line.ok else "FAILED"
            self.stdout.write(f"{mark} {line.channel}: {line.answer}")
        failed = sum(1 for line in tried if not line.ok)
        if failed:
            raise CommandError(f"{failed} of {len(tried)} channels failed.")
        self.stdout.write(f"All {len(tried)} channels delivered.")
