"""The hand-written PDF writer and the 4×6 label layout."""

import io
import re
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from server.sandbox.labels import LabelInput, render_label
from server.sandbox.pdf import Page, build_pdf, winansi

PRINTED = datetime(2025, 6, 20, 1, 2, tzinfo=UTC)


def label(name: str = "Olivia Bennett", **destination) -> bytes:
    return render_label(
        LabelInput(
            order_number="SO-10045",
            destination={
                "name": name,
                "street": "12 Eagle Street",
                "suburb": "Brisbane City",
                "state": "QLD",
                "post_code": "4000",
                "country": "Australia",
                **destination,
            },
            carrier_name="Australia Post",
            service_name="Parcel Post",
            tracking_numbers=["33LB00000001", "33LB00000002"],
            package_weights=[1.5, 0.25],
            printed_at=PRINTED,
        )
    )


def read(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf), strict=True)


def test_label_is_a_4_by_6_inch_page_per_package_with_everything_on_it():
    reader = read(label())
    assert len(reader.pages) == 2
    for index, page in enumerate(reader.pages):
        assert (float(page.mediabox.width), float(page.mediabox.height)) == (288, 432)
        text = page.extract_text()
        for expected in (
            "SO-10045",
            "Olivia Bennett",
            "12 Eagle Street",
            "Brisbane City QLD 4000",
            "Australia Post",
            f"33LB0000000{index + 1}",
            f"Package {index + 1} of 2",
        ):
            assert expected in text
    assert reader.metadata.title == "Label SO-10045"


@pytest.mark.parametrize("name", ["Zoë Müller", "José Ñúñez", "Siobhán O'Brien (Rear) \\ 2"])
def test_western_european_names_survive(name):
    assert name in read(label(name)).pages[0].extract_text()


def test_names_outside_winansi_do_not_break_the_pdf():
    text = read(label("渡辺 健", company="Łódź Trading")).pages[0].extract_text()
    assert "?? ?" in text and "?ódz Trading" in text  # Ł has no base letter; ź becomes z


def test_long_address_lines_wrap_onto_the_page():
    street = "Unit 14B, Building C, The Riverside Commercial and Residential Precinct, 1024-1030 Great Eastern Highway"
    lines = read(label(street=street)).pages[0].extract_text().splitlines()
    wrapped = lines[lines.index("Olivia Bennett") + 1 : lines.index("Brisbane City QLD 4000")]
    assert len(wrapped) > 1 and " ".join(wrapped) == street


def test_xref_offsets_point_at_their_objects():
    pdf = label()
    start = int(re.search(rb"startxref\n(\d+)\n%%EOF\n$", pdf).group(1))
    assert pdf[start:].startswith(b"xref\n0 ")
    entries = re.findall(rb"(\d{10}) 00000 n \n", pdf[start:])
    assert entries
    for number, offset in enumerate(entries, start=1):
        assert pdf[int(offset) :].startswith(b"%d 0 obj\n" % number)


def test_labels_are_reproducible():
    assert label() == label()


@pytest.mark.parametrize("text, encoded", [("Zoë", b"Zo\xeb"), ("ő", b"o"), ("渡", b"?"), ("€", b"\x80")])
def test_winansi_encoding(text, encoded):
    assert winansi(text) == encoded


def test_empty_page_is_still_a_valid_pdf():
    pdf = build_pdf([Page()], width=100, height=100, title="(empty)", created=PRINTED)
    assert read(pdf).pages[0].extract_text() == ""
