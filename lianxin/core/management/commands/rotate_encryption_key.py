"""Re-encrypt every ID and mobile number with a new key: see docs/operations.md."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lianxin.core.crypto import DecryptionError
from lianxin.core.key_rotation import DEFAULT_BATCH_SIZE, encryption_key_rotate, rotation_is_configured


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value with the first key of LIANXIN_ENCRYPTION_KEY and recompute the "
        "lookup hashes. Set LIANXIN_ENCRYPTION_KEY=NEW,OLD first; afterwards set it to NEW alone."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="rows read and written at once")

    def handle(self, *args: Any, batch_size: int, **options: Any) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        if not rotation_is_configured():
            raise CommandError(
                "LIANXIN_ENCRYPTION_KEY holds one key. Set it to the new key and the old one, "
                "comma-separated (NEW,OLD), run this command, then set it to NEW alone. Nothing was changed."
            )
        try:
            result = encryption_key_rotate(batch_size=batch_size)
        except DecryptionError as exc:
            raise CommandError(
                "A stored value opens with none of the keys in LIANXIN_ENCRYPTION_KEY; is the old key right? "
                "Nothing was changed."
            ) from exc
        for label, rows in result.rows.items():
            self.stdout.write(f"{label}: {rows} rows re-encrypted")
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: {result.total} rows. Now set LIANXIN_ENCRYPTION_KEY to the new key alone and restart; "
                "API tokens were hashed with the old key, so issue new ones (create_api_token)."
            )
        )
