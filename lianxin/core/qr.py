"""QR codes drawn on the server as inline SVG (segno), so the venue screen works offline."""

import segno


def qr_svg(data: str) -> str:
    """An <svg> element encoding `data`, medium error correction, quiet zone included.

    It has a viewBox and no fixed size, so the page's CSS sets how large it is drawn.
    """
    qr = segno.make(data, error="m", micro=False)
    return str(qr.svg_inline(omitsize=True, dark="#1f2328", light="#fff"))
