"""What the notifications tests share."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

# pytest-django's django_capture_on_commit_callbacks fixture: call it to run (or keep) on_commit work.
CommitCallbacks = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]
