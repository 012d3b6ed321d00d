"""Label PDFs to lay out: a 4×6 label of its own, and a 4×6 label printed on a bigger sheet."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from pypdf import PdfReader

from server.sandbox.pdf import Page, build_pdf

PRINTED_AT = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
A4 = (595, 842)
BAR_WIDTH = 3


def label_drawing(tracking_number: str) -> list[bytes]:
    """A 4×6 label's drawing: border, carrier, tracking number and bars of a fixed width."""
    page = Page()
    page.rect(6, 6, 276, 420, width=1.5)
    page.text(14, 400, "Australia Post", size=16, bold=True)
    for bar in range(30):
        page.rect(14 + bar * 2 * BAR_WIDTH, 42, BAR_WIDTH, 64, fill=True, width=0)
    page.text(14, 26, tracking_number, size=12, bold=True)
    return page.ops


def label_pdf(*tracking_numbers: str) -> bytes:
    """One 4×6 page per tracking number, as the simulator's account prints them."""
    pages = [Page(label_drawing(number)) for number in tracking_numbers]
    return build_pdf(pages, width=288, height=432, title="labels", created=PRINTED_AT)


def sheet_pdf(
    tracking_number: str, at: tuple[float, float], size=A4, *, landscape=False, clip_page=True, extra: list[bytes] = ()
) -> bytes:
    """A label drawn at ``at`` on a bigger page, as some accounts print them: a clip of the
    whole page first (which paints nothing), the label moved there (turned a quarter for a
    6×4 landscape label), and anything in ``extra`` too."""
    width, height = size
    move = b"0 1 -1 0 %d %d cm" % (at[0] + 432, at[1]) if landscape else b"1 0 0 1 %d %d cm" % at
    ops = [b"0 0 %d %d re W n" % size] if clip_page else []
    ops += [b"q", move, *label_drawing(tracking_number), b"Q", *extra]
    return build_pdf([Page(ops)], width=width, height=height, title="sheet", created=PRINTED_AT)


def pages(content: bytes):
    return PdfReader(io.BytesIO(content)).pages


def size(page) -> tuple[float, float]:
    return float(page.cropbox.width), float(page.cropbox.height)


def text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pages(content))
