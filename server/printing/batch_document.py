"""A batch's labels as one document to print: in the order asked for, failed orders absent.

PDF labels are merged into one PDF, ZPL labels concatenated (a ZPL job is a run of ^XA…^XZ
labels). Labels in different formats (two Starshipit accounts set up differently) or in a format
that does not concatenate (PNG) make no single document: the batch then has no file and says why,
and each label still prints from its own order. One document or none keeps the answer simple.
"""

from __future__ import annotations

import io

from . import labels

MERGEABLE = ("pdf", "zpl")


def merge(documents: list[tuple[bytes, str]]) -> tuple[bytes, str] | None:
    """The one document of ``documents`` (content, format) and its format; None when there is
    none to make (see ``problem``)."""
    if problem([label_format for _, label_format in documents]):
        return None
    return labels.combine([content for content, _ in documents])


def problem(formats: list[str]) -> str | None:
    """Why labels in ``formats`` (in order) make no single document; None when they do."""
    if not formats:
        return "No order of this batch has a label, so there is nothing to print."
    kinds = sorted(set(formats))
    if len(kinds) > 1:
        return (
            f"The labels came from Starshipit in different formats ({', '.join(kinds)}), so they cannot be "
            "printed as one document: print each order's label on its own."
        )
    if kinds[0] not in MERGEABLE:
        return (
            f"The labels are {kinds[0].upper()} images, which cannot be joined into one document: "
            "print each order's label on its own."
        )
    return None


def page_count(content: bytes, label_format: str) -> int | None:
    """Pages of a PDF; None for other formats (a printer job, not pages)."""
    if label_format != "pdf":
        return None
    from pypdf import PdfReader  # here, as in labels.combine: pypdf is loaded by what needs it

    return len(PdfReader(io.BytesIO(content)).pages)
