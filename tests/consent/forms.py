"""Real consent forms for tests: a one-page PDF (pypdf) and a small PNG or JPEG
(Pillow), since the register checks a form by its content. ``marker`` is planted in
the PDF's metadata (for tests that look for it in stored bytes)."""

from __future__ import annotations

import io

from PIL import Image
from pypdf import PdfWriter


def pdf(marker: str = "", *, padding: int = 0) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=72, height=72)
    if marker:
        writer.add_metadata({"/Subject": marker})
    buffer = io.BytesIO()
    writer.write(buffer)
    # Bytes after the end of file are ignored by readers: a large form of any size.
    return buffer.getvalue() + (b"\n%" + b"0" * (padding - 2) if padding > 2 else b"")


def image(kind: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, format=kind)
    return buffer.getvalue()
