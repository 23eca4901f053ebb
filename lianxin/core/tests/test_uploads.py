"""Tests for lianxin.core.uploads: which uploads are photos, and how large they may be."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lianxin.core.uploads import DEFAULT_PHOTO_MAX_BYTES, photo_max_bytes, photo_problem

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 32


@pytest.mark.parametrize(
    ("content", "content_type"),
    [(JPEG, "image/jpeg"), (PNG, "image/png"), (WEBP, "image/webp"), (PNG, "IMAGE/PNG")],
)
def test_a_photo_whose_bytes_match_its_kind_passes_and_is_rewound(content: bytes, content_type: str) -> None:
    photo = SimpleUploadedFile("p", content, content_type=content_type)
    photo.read(5)
    assert photo_problem(photo, max_bytes=1024) is None
    assert photo.read() == content


@pytest.mark.parametrize(
    ("content", "content_type"),
    [(PNG, "image/jpeg"), (WAV, "image/webp"), (b"%PDF-1.7", "application/pdf"), (JPEG, "")],
)
def test_bytes_that_are_not_the_declared_kind_of_photo_are_the_wrong_type(content: bytes, content_type: str) -> None:
    assert photo_problem(SimpleUploadedFile("p", content, content_type=content_type), max_bytes=1024) == "photo_type"


def test_a_photo_over_the_cap_is_too_large() -> None:
    photo = SimpleUploadedFile("p.jpg", JPEG, content_type="image/jpeg")
    assert photo_problem(photo, max_bytes=len(JPEG) - 1) == "photo_size"
    assert photo_problem(photo, max_bytes=len(JPEG)) is None


def test_the_cap_is_5_mb_unless_the_shared_setting_or_the_named_one_says_otherwise(settings: Any) -> None:
    for name in ("LIANXIN_PHOTO_MAX_BYTES", "LIANXIN_ORDER_PHOTO_MAX_BYTES"):
        if hasattr(settings, name):
            delattr(settings, name)
    assert photo_max_bytes() == photo_max_bytes("LIANXIN_ORDER_PHOTO_MAX_BYTES") == DEFAULT_PHOTO_MAX_BYTES == 5 << 20

    settings.LIANXIN_PHOTO_MAX_BYTES = 2048
    assert photo_max_bytes() == photo_max_bytes("LIANXIN_ORDER_PHOTO_MAX_BYTES") == 2048

    settings.LIANXIN_ORDER_PHOTO_MAX_BYTES = 1024
    assert photo_max_bytes("LIANXIN_ORDER_PHOTO_MAX_BYTES") == 1024 and photo_max_bytes() == 2048
