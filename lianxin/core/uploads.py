"""Photos people upload as evidence (an order's service, a community service record).

One check for all of them: the kinds a phone takes, sniffed from the first bytes rather than
trusted from the declared type, under a size cap. Each caller words the refusal for its page.
"""

from typing import Literal

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

# Declared content type → the bytes such a file starts with.
PHOTO_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/webp": (b"RIFF",),
}
DEFAULT_PHOTO_MAX_BYTES = 5 * 1024 * 1024

# What can be wrong with a photo; also the ValidationError code the callers raise.
PhotoProblem = Literal["photo_size", "photo_type"]


def photo_max_bytes(setting: str = "LIANXIN_PHOTO_MAX_BYTES") -> int:
    """The size cap: `setting` when it is set, else LIANXIN_PHOTO_MAX_BYTES, else 5 MB."""
    shared = getattr(settings, "LIANXIN_PHOTO_MAX_BYTES", DEFAULT_PHOTO_MAX_BYTES)
    return int(getattr(settings, setting, shared))


def photo_problem(photo: UploadedFile, *, max_bytes: int) -> PhotoProblem | None:
    """What is wrong with `photo`, or None: more than `max_bytes`, or bytes that are not its declared kind."""
    if photo.size is not None and photo.size > max_bytes:
        return "photo_size"
    photo.seek(0)
    head = photo.read(12)
    photo.seek(0)
    declared = (photo.content_type or "").lower()
    matches = head.startswith(PHOTO_SIGNATURES.get(declared, ()))
    if declared == "image/webp":
        # RIFF is any RIFF container (WAV, AVI); a WebP says so at bytes 8-12.
        matches = matches and head[8:12] == b"WEBP"
    return None if matches else "photo_type"
