"""Label bytes as Starshipit returns them: one document per package, merged into one to print."""

from __future__ import annotations

import io


def detect_format(content: bytes) -> str:
    if content.startswith(b"%PDF"):
        return "pdf"
    if content.lstrip().startswith(b"^XA"):
        return "zpl"
    if content.startswith(b"\x89PNG"):
        return "png"
    return "bin"


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "zpl": "application/zpl",
    "png": "image/png",
    "bin": "application/octet-stream",
}


def combine(documents: list[bytes]) -> tuple[bytes, str]:
    """One printable document from Starshipit's labels (one per package), and its format."""
    formats = {detect_format(document) for document in documents}
    if not documents or len(formats) != 1:
        raise ValueError("Starshipit returned no label, or labels in mixed formats")
    label_format = formats.pop()
    if len(documents) == 1:
        return documents[0], label_format
    if label_format != "pdf":
        return b"".join(documents), label_format  # ZPL (and raw) print jobs concatenate
    from pypdf import PdfWriter  # here: only a label of several packages needs pypdf (13 MB loaded)

    writer = PdfWriter()
    for document in documents:
        writer.append(io.BytesIO(document))
    merged = io.BytesIO()
    writer.write(merged)
    return merged.getvalue(), label_format
