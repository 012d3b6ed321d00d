"""Label layouts for a workstation's printer: the PDF as Starshipit made it, cut to a 4×6 inch
label, or 4×6 labels side by side on A4 sheets (the pages' work: ``pdf_pages``).

A layout only ever crops or moves a label, never scales it: a barcode printed at another size
may not scan. A page that cannot be laid out without scaling (content bigger than 4×6, a label
bigger than an A4 sheet) is kept as it is. ZPL and other formats go to the printer untouched.
"""

from __future__ import annotations

LAYOUTS = ("original", "4x6", "a4")


def apply_layout(content: bytes, label_format: str, layout: str) -> bytes:
    """``content`` laid out as ``layout`` (one of LAYOUTS); anything but PDF is returned untouched.

    A PDF pypdf cannot read is returned as it came: it may still print from the browser, and a
    layout is a convenience, never a reason to lose the label."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; expected one of {', '.join(LAYOUTS)}")
    if label_format != "pdf" or layout == "original":
        return content
    from . import pdf_pages  # here: pypdf (13 MB) is loaded by the first label laid out, not by every process

    return pdf_pages.lay_out(content, layout)


def effective_layout(label_format: str, layout: str) -> str:
    """The layout a label in ``label_format`` comes out in: ``layout`` for PDF, else "original"."""
    return layout if label_format == "pdf" else "original"
