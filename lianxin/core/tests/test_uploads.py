"""Tests for lianxin.core.uploads: which uploads are photos, what is kept of them, and how they are served."""

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from lianxin.core.tests.images import GPS_IFD, HTML, ORIENTATION, ROTATE_CW, SVG, exif_of, photo_bytes, png_claiming
from lianxin.core.uploads import (
    DEFAULT_PHOTO_MAX_BYTES,
    DEFAULT_PHOTO_MAX_PIXELS,
    photo_clean,
    photo_max_bytes,
    photo_max_pixels,
    photo_response,
)

GENERATED = re.compile(r"^[0-9a-f]{32}\.(jpg|png|webp)$")


def upload(content: bytes, name: str = "p.png", content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def refusal(photo: SimpleUploadedFile, **caps: int) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        photo_clean(photo, max_bytes=caps.get("max_bytes", DEFAULT_PHOTO_MAX_BYTES), max_pixels=caps.get("max_pixels"))
    return caught.value


def opened(content: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(content))
    image.load()
    return image


# ------------------------------------------------------------------ what is kept


@pytest.mark.parametrize(("fmt", "extension"), [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp")])
def test_a_photo_is_decoded_and_encoded_again_under_a_generated_name_with_its_own_extension(
    fmt: str, extension: str
) -> None:
    content = photo_bytes(fmt, (64, 40))
    # Neither the uploaded name nor the declared type counts: only what the bytes decode as.
    clean = photo_clean(upload(content, "现场 照片.gif", "text/html"), max_bytes=DEFAULT_PHOTO_MAX_BYTES)
    assert GENERATED.match(clean.name or "") and (clean.name or "").endswith("." + extension)
    image = opened(clean.read())
    assert image.format == fmt and image.size == (64, 40)


def test_two_uploads_of_the_same_name_get_different_names() -> None:
    first, second = (photo_clean(upload(photo_bytes()), max_bytes=DEFAULT_PHOTO_MAX_BYTES) for _ in range(2))
    assert first.name != second.name


def test_a_png_carrying_a_web_page_after_its_image_keeps_only_the_image() -> None:
    polyglot = photo_bytes("PNG") + HTML
    clean = photo_clean(upload(polyglot, "evil.html", "image/png"), max_bytes=DEFAULT_PHOTO_MAX_BYTES)
    stored = clean.read()
    assert (clean.name or "").endswith(".png") and b"<script" not in stored and b"<html" not in stored
    assert opened(stored).size == opened(polyglot).size


def test_a_jpeg_loses_its_gps_location_and_every_other_exif_tag() -> None:
    content = photo_bytes("JPEG", gps=True)
    assert exif_of(content).get_ifd(GPS_IFD)  # the upload says where the phone was
    stored = photo_clean(upload(content, "p.jpg", "image/jpeg"), max_bytes=DEFAULT_PHOTO_MAX_BYTES).read()
    assert not exif_of(stored) and b"Exif" not in stored


def test_a_sideways_phone_photo_is_stored_upright() -> None:
    content = photo_bytes("JPEG", (48, 32), orientation=ROTATE_CW)
    stored = opened(photo_clean(upload(content, "p.jpg"), max_bytes=DEFAULT_PHOTO_MAX_BYTES).read())
    assert stored.size == (32, 48) and ORIENTATION not in stored.getexif()
    # Red was on the left; turned a quarter clockwise it is on top.
    top, bottom = (stored.convert("RGB").getpixel((16, y)) for y in (4, 44))
    assert top[0] > 200 and top[2] < 60 and bottom[2] > 200 and bottom[0] < 60  # type: ignore[index]


def test_a_greyscale_or_transparent_photo_keeps_what_it_is() -> None:
    grey = opened(photo_clean(upload(photo_bytes("JPEG", mode="L")), max_bytes=DEFAULT_PHOTO_MAX_BYTES).read())
    clear = opened(photo_clean(upload(photo_bytes("PNG", mode="RGBA")), max_bytes=DEFAULT_PHOTO_MAX_BYTES).read())
    assert grey.mode == "L" and clear.mode == "RGBA"


# ------------------------------------------------------------------ what is refused


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        (SVG, "logo.svg", "image/svg+xml"),
        (SVG, "logo.png", "image/png"),
        (b"%PDF-1.7\n" + b"\x00" * 64, "x.pdf", "application/pdf"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 32, "x.webp", "image/webp"),
        (photo_bytes("GIF"), "x.gif", "image/gif"),
        (b"", "empty.jpg", "image/jpeg"),
    ],
)
def test_anything_that_is_not_a_jpeg_png_or_webp_image_is_refused(content: bytes, name: str, content_type: str) -> None:
    error = refusal(upload(content, name, content_type))
    assert error.code == "photo_type" and error.messages == [f"{name} is not a JPEG, PNG or WebP photo."]


def test_a_web_page_behind_the_first_bytes_of_a_png_is_refused_as_a_damaged_photo() -> None:
    error = refusal(upload(b"\x89PNG\r\n\x1a\n" + HTML, "evil.html", "image/png"))
    assert error.code == "photo_broken"
    assert error.messages == ["The photo evil.html is damaged or incomplete; send it again."]


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_a_truncated_photo_is_refused_as_damaged(fmt: str) -> None:
    content = photo_bytes(fmt, (400, 300))
    error = refusal(upload(content[: len(content) * 2 // 3], "cut.img"))
    assert error.code == "photo_broken"
    assert error.messages == ["The photo cut.img is damaged or incomplete; send it again."]


def test_a_png_whose_image_data_is_corrupt_is_refused_as_damaged() -> None:
    content = bytearray(photo_bytes("PNG", (400, 300)))
    start = content.index(b"IDAT") + 20
    content[start : start + 16] = b"\xff" * 16
    assert refusal(upload(bytes(content))).code == "photo_broken"


@pytest.mark.parametrize(("width", "height"), [(100_000, 100_000), (8_000, 7_000)])
def test_a_decompression_bomb_is_refused_before_it_is_decoded(width: int, height: int) -> None:
    bomb = png_claiming(width, height)
    assert len(bomb) < 200 and width * height > DEFAULT_PHOTO_MAX_PIXELS
    error = refusal(upload(bomb, "bomb.png"))
    assert error.code == "photo_pixels"
    assert error.messages == ["The photo bomb.png has more than 50 million pixels; send a smaller one."]


def test_the_pixel_cap_can_be_set_lower(settings: Any) -> None:
    settings.LIANXIN_PHOTO_MAX_PIXELS = 48 * 32 - 1
    assert photo_max_pixels() == 48 * 32 - 1
    assert refusal(upload(photo_bytes("PNG", (48, 32))), max_pixels=photo_max_pixels()).code == "photo_pixels"
    settings.LIANXIN_PHOTO_MAX_PIXELS = 48 * 32
    assert photo_clean(upload(photo_bytes("PNG", (48, 32))), max_bytes=1 << 20, max_pixels=photo_max_pixels())


def test_a_photo_over_the_byte_cap_is_too_large_whatever_it_holds() -> None:
    content = photo_bytes("JPEG")
    error = refusal(upload(content, "big.jpg"), max_bytes=len(content) - 1)
    assert error.code == "photo_size" and "big.jpg is larger than" in error.messages[0]
    assert photo_clean(upload(content), max_bytes=len(content))


def test_the_refusals_read_in_chinese() -> None:
    with translation.override("zh-hans"):
        assert refusal(upload(SVG, "logo.svg")).messages == ["logo.svg不是JPEG、PNG或WebP格式的照片。"]
        damaged = refusal(upload(b"\xff\xd8\xff\xe0" + b"\x00" * 64, "a.jpg"))
        assert damaged.messages == ["照片a.jpg已损坏或不完整，请重新上传。"]
        assert "50百万像素" in refusal(upload(png_claiming(9_000, 9_000), "b.png")).messages[0]


def test_the_byte_cap_is_5_mb_unless_the_shared_setting_or_the_named_one_says_otherwise(settings: Any) -> None:
    for name in ("LIANXIN_PHOTO_MAX_BYTES", "LIANXIN_ORDER_PHOTO_MAX_BYTES"):
        if hasattr(settings, name):
            delattr(settings, name)
    assert photo_max_bytes() == photo_max_bytes("LIANXIN_ORDER_PHOTO_MAX_BYTES") == DEFAULT_PHOTO_MAX_BYTES == 5 << 20

    settings.LIANXIN_PHOTO_MAX_BYTES = 2048
    assert photo_max_bytes() == photo_max_bytes("LIANXIN_ORDER_PHOTO_MAX_BYTES") == 2048

    settings.LIANXIN_ORDER_PHOTO_MAX_BYTES = 1024
    assert photo_max_bytes("LIANXIN_ORDER_PHOTO_MAX_BYTES") == 1024 and photo_max_bytes() == 2048


# ------------------------------------------------------------------ serving


def stored(tmp_path: Path, name: str, content: bytes) -> File[bytes]:
    path = tmp_path / name
    path.write_bytes(content)
    return File(path.open("rb"), name=name)


def served_bytes(response: Any) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("fmt", "extension", "content_type"),
    [("JPEG", "jpg", "image/jpeg"), ("PNG", "png", "image/png"), ("WEBP", "webp", "image/webp")],
)
def test_a_photo_is_served_as_its_real_type_inline_under_a_generated_name(
    tmp_path: Path, fmt: str, extension: str, content_type: str
) -> None:
    # A photo stored before uploads were encoded again: the stored name says web page.
    content = photo_bytes(fmt)
    response = photo_response(stored(tmp_path, "evil.html", content), stem="order-3-photo-1")
    assert response["Content-Type"] == content_type and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'inline; filename="order-3-photo-1.{extension}"'
    policy = response["Content-Security-Policy"]
    assert "sandbox" in policy and "default-src 'none'" in policy
    assert served_bytes(response) == content


def test_a_photo_can_be_served_as_a_download() -> None:
    response = photo_response(File(io.BytesIO(photo_bytes("PNG")), name="x"), stem="record-7", download=True)
    assert response["Content-Disposition"] == 'attachment; filename="record-7.png"'


@pytest.mark.parametrize(
    ("name", "content"), [("evil.html", b"\x89PNG\r\n\x1a\n" + HTML), ("logo.svg", SVG), ("x.png", b"")]
)
def test_a_stored_file_that_is_not_an_image_is_only_offered_as_bytes_to_download(
    tmp_path: Path, name: str, content: bytes
) -> None:
    response = photo_response(stored(tmp_path, name, content), stem="order-3-photo-1")
    assert response["Content-Type"] == "application/octet-stream" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'attachment; filename="order-3-photo-1"'
    assert "sandbox" in response["Content-Security-Policy"]
