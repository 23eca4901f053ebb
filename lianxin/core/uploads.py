"""Photos people upload as evidence (an order's service, a community service record).

Nothing is kept as it was sent. `photo_clean` decodes every upload with Pillow, within a
byte cap and a pixel cap (the pixel count is read from the header, so a small file that
would unpack into billions of pixels is refused before it is decoded), turns it upright by
its EXIF orientation and encodes it again in its own format: JPEG, PNG or WebP. The new
file holds the pixels and the colour profile only (no EXIF, so no GPS location; no XMP,
comments or bytes after the image) and gets a generated name with the extension of its
format. SVG and anything else Pillow does not decode as one of the three is refused, with
a message naming the file; nothing is stored.

`photo_response` serves a stored photo as the image type Pillow reads in it (photos stored
before uploads were encoded again may carry the uploader's name and bytes), with nosniff,
a sandboxing Content-Security-Policy and a generated file name. A stored file that is not
such an image is only offered as bytes to download.
"""

import io
import uuid
from typing import IO, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

DEFAULT_PHOTO_MAX_BYTES = 5 * 1024 * 1024
# 50 million pixels take 150 MB to decode; a phone's 12-50 megapixel photos fit, a bomb does not.
DEFAULT_PHOTO_MAX_PIXELS = 50_000_000

# Pillow's format → the extension and content type it is stored and served with (MPO: a phone's JPEG).
FORMATS: dict[str, tuple[str, str]] = {
    "JPEG": ("jpg", "image/jpeg"),
    "MPO": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}
OPENERS = ["JPEG", "PNG", "WEBP"]
# The modes each format is written in as they are; any other is converted to RGB (RGBA if it has alpha).
MODES: dict[str, tuple[str, ...]] = {
    "JPEG": ("L", "RGB"),
    "PNG": ("1", "L", "LA", "I;16", "RGB", "RGBA"),
    "WEBP": ("RGB", "RGBA"),
}
SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"RIFF")
# What a photo response may do when opened on its own: show itself, nothing else.
PHOTO_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"

# What can be wrong with a photo; also the ValidationError code.
PhotoProblem = Literal["photo_size", "photo_type", "photo_pixels", "photo_broken"]


def photo_max_bytes(setting: str = "LIANXIN_PHOTO_MAX_BYTES") -> int:
    """The size cap: `setting` when it is set, else LIANXIN_PHOTO_MAX_BYTES, else 5 MB."""
    shared = getattr(settings, "LIANXIN_PHOTO_MAX_BYTES", DEFAULT_PHOTO_MAX_BYTES)
    return int(getattr(settings, setting, shared))


def photo_max_pixels() -> int:
    """The pixel cap: LIANXIN_PHOTO_MAX_PIXELS, else 50 million."""
    return int(getattr(settings, "LIANXIN_PHOTO_MAX_PIXELS", DEFAULT_PHOTO_MAX_PIXELS))


def _refused(problem: PhotoProblem, name: str, *, max_bytes: int = 0, max_pixels: int = 0) -> ValidationError:
    if problem == "photo_size":
        message = _("The photo %(name)s is larger than %(mb)s MB.") % {"name": name, "mb": max_bytes // (1024 * 1024)}
    elif problem == "photo_pixels":
        message = _("The photo %(name)s has more than %(mp)s million pixels; send a smaller one.") % {
            "name": name,
            "mp": f"{max_pixels / 1_000_000:g}",
        }
    elif problem == "photo_broken":
        message = _("The photo %(name)s is damaged or incomplete; send it again.") % {"name": name}
    else:
        message = _("%(name)s is not a JPEG, PNG or WebP photo.") % {"name": name}
    return ValidationError(message, code=problem)


def photo_clean(photo: UploadedFile, *, max_bytes: int, max_pixels: int | None = None) -> ContentFile[bytes]:
    """`photo` decoded and encoded again as a new file with a generated name, or ValidationError (code: PhotoProblem).

    The uploaded name and declared type are not used, except to name the file in a refusal.
    """
    name = photo.name or ""
    max_pixels = photo_max_pixels() if max_pixels is None else max_pixels
    if photo.size is not None and photo.size > max_bytes:
        raise _refused("photo_size", name, max_bytes=max_bytes)
    photo.seek(0)
    content = photo.read(max_bytes + 1)
    photo.seek(0)
    if len(content) > max_bytes:
        raise _refused("photo_size", name, max_bytes=max_bytes)
    try:
        image = Image.open(io.BytesIO(content), formats=OPENERS)
    except Image.DecompressionBombError:
        raise _refused("photo_pixels", name, max_pixels=max_pixels) from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        # Bytes that begin as one of the three but do not open are a damaged photo; the rest are something else.
        damaged = content.startswith(SIGNATURES) and _riff_is_webp(content)
        raise _refused("photo_broken" if damaged else "photo_type", name) from exc
    with image:
        fmt = image.format or ""
        if fmt not in FORMATS:
            raise _refused("photo_type", name)
        if image.width * image.height > max_pixels:
            raise _refused("photo_pixels", name, max_pixels=max_pixels)
        try:
            encoded = _encode(image, "JPEG" if fmt == "MPO" else fmt)
        except Image.DecompressionBombError:
            raise _refused("photo_pixels", name, max_pixels=max_pixels) from None
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise _refused("photo_broken", name) from exc
    return ContentFile(encoded, name=f"{uuid.uuid4().hex}.{FORMATS[fmt][0]}")


def _riff_is_webp(content: bytes) -> bool:
    """RIFF is any RIFF container (WAV, AVI); a WebP says so at bytes 8-12."""
    return not content.startswith(b"RIFF") or content[8:12] == b"WEBP"


def _encode(image: Image.Image, fmt: str) -> bytes:
    """The first frame of `image`, upright, as a new `fmt` file with its colour profile and nothing else."""
    image.load()
    icc_profile = image.info.get("icc_profile")
    has_alpha = "A" in image.getbands() or "transparency" in image.info
    upright = ImageOps.exif_transpose(image)
    if upright.mode not in MODES[fmt] or "transparency" in upright.info:
        target = "RGBA" if has_alpha and "RGBA" in MODES[fmt] else "RGB"
        if upright.mode == "CMYK":
            icc_profile = None  # a CMYK profile does not describe the RGB pixels
        upright = upright.convert(target)
    upright.info = {}
    out = io.BytesIO()
    options: dict[str, object] = {"quality": 85} if fmt in ("JPEG", "WEBP") else {}
    if icc_profile:
        options["icc_profile"] = icc_profile
    upright.save(out, fmt, **options)
    return out.getvalue()


def photo_kind(handle: IO[bytes]) -> tuple[str, str] | None:
    """The extension and content type of the image in `handle` as Pillow reads its header, or None."""
    handle.seek(0)
    try:
        with Image.open(handle, formats=OPENERS) as image:
            kind = FORMATS.get(image.format or "")
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError):
        kind = None
    handle.seek(0)
    return kind


def photo_response(file: File[bytes], *, stem: str, download: bool = False) -> FileResponse:
    """A stored photo as its real image type under the name `stem`.ext; bytes to download if it is no image."""
    handle = file.open("rb")
    kind = photo_kind(handle)
    if kind is None:
        response = FileResponse(handle, as_attachment=True, filename=stem, content_type="application/octet-stream")
    else:
        extension, content_type = kind
        response = FileResponse(
            handle, as_attachment=download, filename=f"{stem}.{extension}", content_type=content_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = PHOTO_CSP
    response["Cache-Control"] = "private"
    return response
