"""Manifests as Starshipit makes them (`POST /api/orders/manifest`): one A4 page listing the
consignments handed to the courier, with the manifest number."""

from datetime import datetime

from server.sandbox.pdf import Page, build_pdf

WIDTH, HEIGHT = 595, 842  # A4 in points
MARGIN = 50


def render_manifest(manifest_number: str, orders: list[dict], *, made_at: datetime) -> bytes:
    page = Page()
    y = HEIGHT - MARGIN - 20
    page.text(MARGIN, y, "MANIFEST", size=20, bold=True)
    page.text(WIDTH - MARGIN - 170, y, f"No. {manifest_number}", size=12, bold=True)
    y -= 40
    for heading, x in (("Order", MARGIN), ("Carrier", MARGIN + 130), ("Tracking", MARGIN + 260)):
        page.text(x, y, heading, size=10, bold=True)
    page.line(MARGIN, y - 5, WIDTH - MARGIN, y - 5)
    for order in orders:
        for package in order["packages"]:
            y -= 16
            page.text(MARGIN, y, order["order_number"], size=9)
            page.text(MARGIN + 130, y, order["carrier_name"] or "", size=9)
            page.text(MARGIN + 260, y, package["tracking_number"] or "", size=9)
    return build_pdf([page], width=WIDTH, height=HEIGHT, title=f"Manifest {manifest_number}", created=made_at)
