"""The pages' work of a label layout (``layouts``): a PDF label cut to 4×6 inches around what it
draws, or 4×6 labels placed side by side on A4 sheets, by cropping and moving only."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass

from pypdf import PageObject, PdfWriter, Transformation
from pypdf.errors import PyPdfError
from pypdf.generic import ContentStream, NameObject, RectangleObject

log = logging.getLogger(__name__)

LABEL_SIZE = (288.0, 432.0)  # 4 × 6 inches in points
A4_SIZE = (595.28, 841.89)
TOLERANCE = 2.0  # points: PDF writers round page sizes
LABEL_SIZE_TOLERANCE = 8.0  # points: a 100 × 150 mm label (283.5 × 425.2 pt) is a 4×6 label too


def lay_out(content: bytes, layout: str) -> bytes:
    """A PDF label laid out as "4x6" or "a4" (``layouts.apply_layout``), or as it came when pypdf
    cannot read it."""
    try:
        source = PdfWriter(clone_from=io.BytesIO(content))
        if layout == "4x6" and all(_is_label_sized(page) for page in source.pages):
            return content
        labels = [_cut_to_label(page) for page in source.pages]
        return _written(source if layout == "4x6" else _a4_sheets(labels))
    except PyPdfError as error:
        log.warning("Label PDF left as it came: it could not be laid out (%s)", error)
        return content


# --- 4×6 -----------------------------------------------------------------------------------


def _size(page: PageObject) -> tuple[float, float]:
    """The page's size as printed: its crop box, turned by its /Rotate."""
    box = page.cropbox
    width, height = float(box.width), float(box.height)
    return (height, width) if page.rotation % 180 else (width, height)


def _is_label_sized(page: PageObject) -> bool:
    width, height = _size(page)
    return abs(width - LABEL_SIZE[0]) <= LABEL_SIZE_TOLERANCE and abs(height - LABEL_SIZE[1]) <= LABEL_SIZE_TOLERANCE


def _cut_to_label(page: PageObject) -> PageObject:
    """The page cut down to the 4×6 inch area around what it draws (a 6×4 landscape label is
    turned upright with /Rotate); the page unchanged when it is 4×6 already, is turned already,
    draws nothing, or draws more than a 4×6 label holds."""
    if _is_label_sized(page) or page.rotation % 360:
        return page
    drawn = drawing_bounds(page)
    if drawn is None:
        return page
    portrait, landscape = LABEL_SIZE, LABEL_SIZE[::-1]
    for (width, height), rotate in ((portrait, 0), (landscape, 90)):
        if drawn.width <= width + TOLERANCE and drawn.height <= height + TOLERANCE:
            box = _centred_box(drawn, width, height, page.mediabox)
            for name in ("/MediaBox", "/CropBox", "/TrimBox", "/BleedBox", "/ArtBox"):
                if name == "/MediaBox" or name in page:
                    page[NameObject(name)] = box
            if rotate:
                page.rotate(rotate)
            return page
    return page


def _centred_box(drawn: Bounds, width: float, height: float, within: RectangleObject) -> RectangleObject:
    """A width × height box around ``drawn``, moved inside the page where the page allows."""
    left = (drawn.left + drawn.right - width) / 2
    bottom = (drawn.bottom + drawn.top - height) / 2
    left = min(max(left, float(within.left)), float(within.right) - width)
    bottom = min(max(bottom, float(within.bottom)), float(within.top) - height)
    return RectangleObject((left, bottom, left + width, bottom + height))


# --- A4 sheets -----------------------------------------------------------------------------


def _a4_sheets(labels: list[PageObject]) -> PdfWriter:
    """Labels in reading order, as many as fit side by side and in rows on each A4 sheet, each
    sheet's block centred; a label bigger than a sheet is a page of its own, as it was."""
    sheets = PdfWriter()
    for sheet in _fill_sheets([_size(label) for label in labels]):
        if sheet.alone:
            sheets.add_page(labels[sheet.rows[0][0]])
            continue
        page = sheets.add_blank_page(width=A4_SIZE[0], height=A4_SIZE[1])
        for index, left, bottom in sheet.places():
            label = labels[index]
            if label.rotation % 360:
                label.transfer_rotation_to_content()  # a turn and a shift: no scaling
            box = label.cropbox
            # Translation only: the label keeps its size, and so does its barcode. The merge
            # clips the label to its crop box, so what lies outside the label stays out.
            move = Transformation().translate(left - float(box.left), bottom - float(box.bottom))
            page.merge_transformed_page(label, move)
    return sheets


@dataclass
class _Sheet:
    sizes: list[tuple[float, float]]
    rows: list[list[int]]
    alone: bool = False

    def take(self, index: int) -> bool:
        """Put label ``index`` at the end of the last row, or on a new row below it; False
        when the sheet has no room for it."""
        width, height = self.sizes[index]
        last = self.rows[-1]
        spare = A4_SIZE[1] - sum(self._row_height(row) for row in self.rows)
        if self._row_width(last) + width <= A4_SIZE[0] and height <= self._row_height(last) + spare:
            last.append(index)
        elif height <= spare:
            self.rows.append([index])
        else:
            return False
        return True

    def places(self) -> Iterator[tuple[int, float, float]]:
        """(label index, left, bottom) of each label on the sheet, the block centred."""
        top = (A4_SIZE[1] + sum(self._row_height(row) for row in self.rows)) / 2
        for row in self.rows:
            left = (A4_SIZE[0] - self._row_width(row)) / 2
            for index in row:
                width, height = self.sizes[index]
                yield index, left, top - height
                left += width
            top -= self._row_height(row)

    def _row_width(self, row: list[int]) -> float:
        return sum(self.sizes[i][0] for i in row)

    def _row_height(self, row: list[int]) -> float:
        return max(self.sizes[i][1] for i in row)


def _fill_sheets(sizes: list[tuple[float, float]]) -> list[_Sheet]:
    sheets: list[_Sheet] = []
    for index, (width, height) in enumerate(sizes):
        if width > A4_SIZE[0] + TOLERANCE or height > A4_SIZE[1] + TOLERANCE:
            sheets.append(_Sheet(sizes, [[index]], alone=True))
        elif not (sheets and not sheets[-1].alone and sheets[-1].take(index)):
            sheets.append(_Sheet(sizes, [[index]]))
    return sheets


def _written(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- what a page draws ---------------------------------------------------------------------


@dataclass(frozen=True)
class Bounds:
    left: float
    bottom: float
    right: float
    top: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.top - self.bottom


_PATH_POINTS = {b"m": 2, b"l": 2, b"c": 6, b"v": 4, b"y": 4}
_PAINT_PATH = {b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"}  # not n: a clip alone paints nothing
_SHOW_TEXT = {b"Tj", b"TJ", b"'", b'"'}


def drawing_bounds(page: PageObject) -> Bounds | None:
    """The area the page's paths, images and text cover, in page space; None when it draws
    nothing. Text is measured roughly (its em square per character from the start of the line):
    enough to find the label on a sheet, which its border and barcode outline anyway."""
    contents = page.get_contents()
    if contents is None:
        return None
    points: list[tuple[float, float]] = []
    path: list[tuple[float, float]] = []
    matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    saved: list[tuple[float, ...]] = []
    line = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    font_size = leading = 0.0
    for operands, operator in ContentStream(contents, page.pdf).operations:
        numbers = [float(value) for value in operands if isinstance(value, (int, float))]
        if operator == b"q":
            saved.append(matrix)
        elif operator == b"Q" and saved:
            matrix = saved.pop()
        elif operator == b"cm" and len(numbers) == 6:
            matrix = _multiply(tuple(numbers), matrix)
        elif operator == b"re" and len(numbers) == 4:
            x, y, w, h = numbers
            path += [_apply(matrix, px, py) for px, py in ((x, y), (x + w, y), (x, y + h), (x + w, y + h))]
        elif operator in _PATH_POINTS and len(numbers) == _PATH_POINTS[operator]:
            path += [_apply(matrix, numbers[i], numbers[i + 1]) for i in range(0, len(numbers), 2)]
        elif operator in _PAINT_PATH or operator == b"n":
            points += path if operator != b"n" else []
            path = []
        elif operator == b"Do":
            points += [_apply(matrix, x, y) for x, y in ((0, 0), (1, 0), (0, 1), (1, 1))]  # images fill 1×1
        elif operator == b"BT":
            line = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        elif operator == b"Tf" and numbers:
            font_size = numbers[-1]
        elif operator == b"TL" and numbers:
            leading = numbers[0]
        elif operator == b"Tm" and len(numbers) == 6:
            line = tuple(numbers)
        elif operator in (b"Td", b"TD") and len(numbers) == 2:
            leading = -numbers[1] if operator == b"TD" else leading
            line = _multiply((1.0, 0.0, 0.0, 1.0, numbers[0], numbers[1]), line)
        elif operator in (b"T*", b"'", b'"'):
            line = _multiply((1.0, 0.0, 0.0, 1.0, 0.0, -leading), line)
        if operator in _SHOW_TEXT:
            text_space = _multiply(line, matrix)
            width = _text_length(operands) * font_size
            points += [_apply(text_space, x, y) for x, y in ((0, 0), (width, 0), (0, font_size), (width, font_size))]
    if not points:
        return None
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return Bounds(min(xs), min(ys), max(xs), max(ys))


def _text_length(operands: list) -> int:
    shown = operands[-1] if operands else ""
    parts = shown if isinstance(shown, list) else [shown]
    return sum(len(part) for part in parts if isinstance(part, (str, bytes)))


def _multiply(first: tuple, second: tuple) -> tuple:
    """The PDF matrix ``first × second`` (apply ``first``, then ``second``)."""
    a, b, c, d, e, f = first
    A, B, C, D, E, F = second
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(matrix: tuple, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f
