"""A tiny PDF 1.4 writer: text in Helvetica, lines and filled rectangles, nothing else.

Text is encoded as WinAnsi (cp1252), which covers Western European names ("Zoë Müller",
"José Ñúñez"). A character outside it is reduced to its base letter when it has one ("ő" → "o")
and otherwise printed as "?" — the standard 14 fonts carry no CJK glyphs, and couriers want
labels in Latin script anyway.
"""

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

_FONTS = {"regular": b"F1", "bold": b"F2"}


def winansi(text: str) -> bytes:
    """`text` in cp1252, transliterating or replacing what cp1252 cannot hold."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1252")
            continue
        except UnicodeEncodeError:
            pass
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        out += base.encode("cp1252", errors="replace") if base else b"?"
    return bytes(out)


def _literal(text: str) -> bytes:
    """A PDF literal string: parentheses and backslashes escaped, non-ASCII bytes as octal."""
    out = bytearray(b"(")
    for byte in winansi(text):
        if byte in b"()\\":
            out += b"\\" + bytes([byte])
        elif 32 <= byte < 127:
            out.append(byte)
        else:
            out += b"\\%03o" % byte
    return bytes(out + b")")


def _num(value: float) -> bytes:
    return (b"%.2f" % value).rstrip(b"0").rstrip(b".") or b"0"


@dataclass
class Page:
    """Drawing operations of one page; coordinates in points from the bottom-left corner."""

    ops: list[bytes] = field(default_factory=list)

    def text(self, x: float, y: float, text: str, *, size: float = 10, bold: bool = False) -> None:
        font = _FONTS["bold" if bold else "regular"]
        self.ops.append(b"BT /%s %s Tf %s %s Td %s Tj ET" % (font, _num(size), _num(x), _num(y), _literal(text)))

    def line(self, x1: float, y1: float, x2: float, y2: float, *, width: float = 1) -> None:
        self.ops.append(b"%s w %s %s m %s %s l S" % (_num(width), _num(x1), _num(y1), _num(x2), _num(y2)))

    def rect(self, x: float, y: float, w: float, h: float, *, fill: bool = False, width: float = 1) -> None:
        paint = b"f" if fill else b"S"
        self.ops.append(b"%s w %s %s %s %s re %s" % (_num(width), _num(x), _num(y), _num(w), _num(h), paint))

    def content(self) -> bytes:
        return b"\n".join(self.ops) + b"\n"


def _date(moment: datetime) -> str:
    return moment.strftime("D:%Y%m%d%H%M%SZ")


def build_pdf(pages: list[Page], *, width: float, height: float, title: str, created: datetime) -> bytes:
    """The document: catalog, page tree, two fonts, the pages, an info dictionary, xref, trailer."""
    objects: list[bytes] = [b"", b""]  # 1: catalog, 2: page tree — filled in once pages exist
    for base_font in (b"Helvetica", b"Helvetica-Bold"):
        objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>" % base_font)
    page_refs = []
    for page in pages:
        stream = page.content()
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        contents_number = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %s %s] "
            b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>"
            % (_num(width), _num(height), contents_number)
        )
        page_refs.append(b"%d 0 R" % len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(page_refs), len(page_refs))
    objects.append(
        b"<< /Title %s /Producer (labelbridge sandbox) /CreationDate (%s) >>"
        % (_literal(title), _date(created).encode())
    )
    info_number = len(objects)

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        info_number,
        xref_at,
    )
    return bytes(out)
