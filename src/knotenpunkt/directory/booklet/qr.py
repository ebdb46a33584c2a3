"""QR codes for the printed guide, as inline SVG (segno: pure Python, no network)."""

from __future__ import annotations

import segno


def qr_svg(url: str) -> str:
    """``url`` as a QR code in an inline ``<svg>`` element, sized by CSS (class ``qr``).

    Error correction M survives a creased page; the quiet zone of two modules is enough on the
    white paper around it.
    """
    code = segno.make(url, error="m", micro=False)
    return str(
        code.svg_inline(
            scale=1,
            border=2,
            omitsize=True,
            svgclass="qr",
            lineclass=None,
            dark="#000",
        )
    )
