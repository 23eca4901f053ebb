"""Files only the application reads: uploaded rosters and their error copies.

Kept under `MEDIA_ROOT` (whose location follows the setting), but owner-only: files 0600,
the directories they are written into 0700, and no URL. They are served only through
views that check who is asking.
"""

import os
from pathlib import Path
from typing import IO, Any

from django.core.files.storage import FileSystemStorage

FILE_MODE = 0o600
DIRECTORY_MODE = 0o700


class PrivateStorage(FileSystemStorage):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("file_permissions_mode", FILE_MODE)
        kwargs.setdefault("directory_permissions_mode", DIRECTORY_MODE)
        super().__init__(**kwargs)

    def save(self, name: str | None, content: IO[Any], max_length: int | None = None) -> str:
        name = super().save(name, content, max_length=max_length)
        # Directories made before (by an older release, or by hand) are tightened as well.
        root = Path(self.location).resolve()
        directory = Path(self.path(name)).parent
        while directory != root and root in directory.parents:
            if directory.stat().st_mode & 0o777 != DIRECTORY_MODE:
                os.chmod(directory, DIRECTORY_MODE)
            directory = directory.parent
        return name

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no URL; a view serves them to whoever may see them.")


_storage = PrivateStorage()


def private_storage() -> PrivateStorage:
    """The storage of private files (a callable, so migrations do not record its settings)."""
    return _storage
