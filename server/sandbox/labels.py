"""Shipping label PDFs: a 4×6 inch page per package, like a thermal courier label.

Each page shows the carrier and service, the sender, the recipient's name and address, the
order number, the package count and weight, and the tracking number under a barcode-like
drawing of it (bars derived from the characters; not a scannable symbology).
"""

import textwrap
from dataclasses import dataclass
from datetime import datetime

from server.sandbox.pdf import Page, build_pdf

WIDTH, HEIGHT = 288, 432  # 4 × 6 inches in points
MARGIN = 14

SENDER_LINES = ("Demo Warehouse Pty Ltd", "1 Dock Road", "Eagle Farm QLD 4009", "Australia")


@dataclass(frozen=True)
class LabelInput:
    order_number: str
    destination: dict
    carrier_name: str
    service_name: str
    tracking_numbers: list[str]
    package_weights: list[float]
    printed_at: datetime


def render_label(label: LabelInput) -> bytes:
    """One PDF holding one page per package (tracking number)."""
    pages = [_page(label, index, tracking_number) for index, tracking_number in enumerate(label.tracking_numbers)]
    return build_pdf(pages, width=WIDTH, height=HEIGHT, title=f"Label {label.order_number}", created=label.printed_at)


def _page(label: LabelInput, index: int, tracking_number: str) -> Page:
    page = Page()
    page.rect(6, 6, WIDTH - 12, HEIGHT - 12, width=1.5)
    top = HEIGHT - MARGIN
    page.text(MARGIN, top - 16, label.carrier_name, size=16, bold=True)
    page.text(MARGIN, top - 30, label.service_name, size=9)
    page.line(6, top - 38, WIDTH - 6, top - 38)

    y = top - 50
    page.text(MARGIN, y, "FROM:", size=7, bold=True)
    for line in SENDER_LINES:
        page.text(MARGIN + 34, y, line, size=7)
        y -= 9
    page.line(6, y, WIDTH - 6, y)

    y -= 16
    page.text(MARGIN, y, "SHIP TO:", size=8, bold=True)
    y -= 16
    for line in _wrap(label.destination.get("name"), 13):
        page.text(MARGIN, y, line, size=13, bold=True)
        y -= 15
    for line in address_lines(label.destination):
        for wrapped in _wrap(line, 10):
            page.text(MARGIN, y, wrapped, size=10)
            y -= 12

    y = 168
    page.line(6, y, WIDTH - 6, y)
    weight = label.package_weights[index] if index < len(label.package_weights) else 0.0
    page.text(MARGIN, y - 14, f"Order: {label.order_number}", size=10, bold=True)
    count = len(label.tracking_numbers)
    page.text(MARGIN, y - 27, f"Package {index + 1} of {count}   Weight: {weight:.2f} kg", size=8)
    page.text(MARGIN, y - 38, f"Printed {label.printed_at:%d %b %Y %H:%M} UTC", size=7)

    _barcode(page, MARGIN, 42, WIDTH - 2 * MARGIN, 64, tracking_number)
    page.text(MARGIN, 26, tracking_number, size=12, bold=True)
    return page


def address_lines(destination: dict) -> list[str]:
    locality = " ".join(str(destination[key]) for key in ("suburb", "state", "post_code") if destination.get(key))
    city = destination.get("city")
    if city and city != destination.get("suburb"):
        locality = f"{locality}, {city}" if locality else str(city)
    candidates = [
        destination.get("company"),
        destination.get("building"),
        destination.get("street"),
        locality,
        destination.get("country"),
        f"Ph: {destination['phone']}" if destination.get("phone") else None,
    ]
    return [str(line) for line in candidates if line]


def _wrap(text: object, size: float) -> list[str]:
    if not text:
        return []
    # Helvetica averages about half an em per character.
    columns = max(10, int((WIDTH - 2 * MARGIN) / (size * 0.52)))
    return textwrap.wrap(str(text), columns) or [str(text)]


def _barcode(page: Page, x: float, y: float, width: float, height: float, data: str) -> None:
    """Bars from each character's bits: 1 → wide bar, 0 → narrow bar, with guard bars at each end."""
    bars = [2, 1, 2]
    for char in data:
        bars += [2 if bit == "1" else 1 for bit in format(ord(char) & 0x7F, "07b")]
    bars += [2, 1, 2]
    modules = sum(bars) * 2  # every bar is followed by a gap of the same width
    unit = width / modules
    cursor = x
    for bar in bars:
        page.rect(cursor, y, bar * unit, height, fill=True, width=0)
        cursor += bar * unit * 2
