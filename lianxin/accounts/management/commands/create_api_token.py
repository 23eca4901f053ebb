from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lianxin.accounts.models import User
from lianxin.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Create an API bearer token for a user; the value is printed once and never stored."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="API", help="what the token is for, e.g. 台账同步")

    def handle(self, *args: Any, username: str, name: str, **options: Any) -> None:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {username}.")
        token, value = api_token_create(user=user, name=name)
        self.stdout.write(value)
        self.stderr.write(f"Token {token.prefix}… for {username}: send it as 'Authorization: Bearer <token>'.")
