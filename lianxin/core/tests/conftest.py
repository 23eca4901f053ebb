"""Fixtures the kernel's plain-function tests share."""

import os
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture
def english_messages() -> Iterator[None]:
    """Render messages in English, whatever translations exist.

    Lazy messages need settings; when run without pytest-django (``-p no:django``)
    a bare configuration with translations off is enough.
    """
    if not settings.configured and "DJANGO_SETTINGS_MODULE" not in os.environ:
        settings.configure(USE_I18N=False)
    with translation.override("en"):
        yield
