"""Label layouts: a 4×6 label cut from its page, or 4×6 labels on A4 sheets — moved, never scaled."""

from __future__ import annotations

import pytest
from pypdf.generic import ContentStream

from server.printing.layouts import apply_layout
from server.printing.pdf_pages import LABEL_SIZE, drawing_bounds

from .labels import A4, BAR_WIDTH, label_pdf, pages, sheet_pdf, size, text

ZPL = b"^XA^PW812^FO50,50^BCN,200,Y,N,N^FDLB000001AU^FS^XZ"


@pytest.mark.parametrize("layout", ["original", "4x6", "a4"])
def test_zpl_and_other_formats_are_never_touched(layout):
    assert apply_layout(ZPL, "zpl", layout) is ZPL
    assert apply_layout(b"\x89PNG...", "png", layout) == b"\x89PNG..."


def test_original_is_the_pdf_as_starshipit_made_it():
    sheet = sheet_pdf("LB1", at=(40, 380))
    assert apply_layout(sheet, "pdf", "original") is sheet


def test_an_unknown_layout_is_refused():
    with pytest.raises(ValueError, match="unknown layout 'letter'"):
        apply_layout(label_pdf("LB1"), "pdf", "letter")


def test_a_pdf_that_cannot_be_read_is_returned_as_it_came():
    broken = b"%PDF-1.4\nthis is not a PDF body"
    assert apply_layout(broken, "pdf", "4x6") == broken


# --- 4×6 -----------------------------------------------------------------------------------


def test_a_4x6_label_stays_exactly_as_it_is():
    labels = label_pdf("LB1", "LB2")
    assert apply_layout(labels, "pdf", "4x6") == labels


def test_a_label_on_an_a4_page_is_cut_out_not_scaled():
    sheet = sheet_pdf("LB000001AU", at=(40, 380))
    cut = apply_layout(sheet, "pdf", "4x6")
    [page] = pages(cut)
    assert size(page) == LABEL_SIZE
    # The crop box is the label's own area on the sheet: its border (6 pt in) lands 6 pt in.
    assert [float(v) for v in page.cropbox] == [40, 380, 328, 812]
    assert [float(v) for v in page.mediabox] == [40, 380, 328, 812]
    # The drawing is untouched: same operators, same numbers, so the bars keep their width.
    [original] = pages(sheet)
    assert page.get_contents().get_data() == original.get_contents().get_data()
    assert "LB000001AU" in text(cut)


def test_a_landscape_6x4_label_is_turned_upright_not_scaled():
    cut = apply_layout(sheet_pdf("LB1", at=(60, 300), landscape=True), "pdf", "4x6")
    [page] = pages(cut)
    assert page.rotation == 90 and size(page) == (432, 288)  # shown as 288 × 432
    assert [float(v) for v in page.mediabox] == [60, 300, 492, 588]


def test_a_page_drawing_more_than_a_label_is_kept_whole():
    big = sheet_pdf("LB1", at=(40, 380), extra=[b"20 20 555 300 re S"])  # e.g. an invoice under the label
    [page] = pages(apply_layout(big, "pdf", "4x6"))
    assert size(page) == A4


def test_a_clip_of_the_whole_page_does_not_count_as_drawing():
    [page] = pages(sheet_pdf("LB1", at=(100, 100)))
    bounds = drawing_bounds(page)
    assert (bounds.left, bounds.bottom) == (106, 106) and bounds.top <= 100 + 432


# --- A4 sheets -----------------------------------------------------------------------------


def placements(page) -> list[list[float]]:
    """The matrices the sheet's content sets (``cm``), in order."""
    return [
        [float(v) for v in operands]
        for operands, operator in ContentStream(page.get_contents(), page.pdf).operations
        if operator == b"cm"
    ]


def test_a4_puts_two_4x6_labels_side_by_side_per_sheet_at_full_size():
    sheets = apply_layout(label_pdf("LB1", "LB2", "LB3"), "pdf", "a4")
    first, second = pages(sheets)
    assert size(first) == pytest.approx((595.28, 841.89)) and size(second) == pytest.approx((595.28, 841.89))
    moves = placements(first)
    assert len(moves) == 2 and all(move[:4] == [1, 0, 0, 1] for move in moves)  # translation only
    (x1, y1), (x2, y2) = (move[4:] for move in moves)
    assert x2 - x1 == 288 and y1 == y2  # side by side, touching, at 100 %
    assert x1 >= 0 and x2 + 288 <= 595.28 and y1 >= 0 and y1 + 432 <= 841.89
    # The drawing keeps its size: both borders span 2 × 288 pt less their 6 pt insets.
    bounds = drawing_bounds(first)
    assert bounds.width == pytest.approx(2 * 288 - 12) and bounds.height == pytest.approx(420)
    assert len(placements(second)) == 1
    assert all(number in text(sheets) for number in ("LB1", "LB2", "LB3"))


def test_a4_bars_keep_their_width():
    sheet = pages(apply_layout(label_pdf("LB1"), "pdf", "a4"))[0]
    filled = [
        operands
        for operands, operator in ContentStream(sheet.get_contents(), sheet.pdf).operations
        if operator == b"re" and float(operands[3]) == 64
    ]
    assert len(filled) == 30 and {float(operands[2]) for operands in filled} == {BAR_WIDTH}
    assert placements(sheet)[0][:4] == [1, 0, 0, 1]


def test_a4_takes_labels_cut_from_their_own_pages_at_full_size():
    laid_out = apply_layout(sheet_pdf("LB1", at=(40, 380)), "pdf", "a4")
    [page] = pages(laid_out)
    assert size(page) == pytest.approx((595.28, 841.89))
    assert all(move[:4] == [1, 0, 0, 1] for move in placements(page))
    bounds = drawing_bounds(page)
    assert bounds.width == pytest.approx(276) and bounds.height == pytest.approx(420)
    assert "LB1" in text(laid_out)


def test_a_100_by_150_mm_label_counts_as_4x6():
    metric = sheet_pdf("LB1", at=(0, 0), size=(283, 425), clip_page=False)
    assert apply_layout(metric, "pdf", "4x6") == metric
