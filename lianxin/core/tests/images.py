"""Image files for upload tests: real photos made with Pillow, and the hostile files they must stand up to."""

import io
import struct
import zlib

from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112
# An upright photo stored sideways with "rotate 90° clockwise to view" (EXIF orientation 6).
ROTATE_CW = 6
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.cookie)</script></svg>'
HTML = b"<html><script>fetch('/api/v1/members').then(r => r.text()).then(alert)</script></html>"


def photo_bytes(
    fmt: str = "PNG",
    size: tuple[int, int] = (48, 32),
    *,
    mode: str = "RGB",
    gps: bool = False,
    orientation: int | None = None,
) -> bytes:
    """A real image in `fmt` (JPEG, PNG, WEBP): red on the left half, blue on the right."""
    image = Image.new(mode, size, "red" if mode != "L" else 80)
    image.paste("blue" if mode != "L" else 200, (size[0] // 2, 0, size[0], size[1]))
    exif = Image.Exif()
    if gps:
        # 39°54'N 116°23'E, where the phone was.
        exif[GPS_IFD] = {1: "N", 2: (39.0, 54.0, 0.0), 3: "E", 4: (116.0, 23.0, 0.0)}
    if orientation is not None:
        exif[ORIENTATION] = orientation
    out = io.BytesIO()
    extra = {"exif": exif.tobytes()} if len(exif) else {}
    image.save(out, fmt, **extra)
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` × `height` pixels: a decompression bomb's first bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )


def exif_of(content: bytes) -> Image.Exif:
    with Image.open(io.BytesIO(content)) as image:
        return image.getexif()
