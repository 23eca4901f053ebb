"""QR codes drawn on the server as inline SVG (segno), so the venue screen works offline."""

import segno


def qr_svg(data: str, *, scale: int = 6) -> str:
    """An <svg> element encoding `data`, medium error correction, quiet zone included."""
    return str(segno.make(data, error="m", micro=False).svg_inline(scale=scale, dark="#1f2328", light="#fff"))
