"""Packing slips as Starshipit prints them (`POST /api/orders/packingslips`): an A4 page per
order listing what goes in the box, or with `summary` one page totalling each SKU over the
orders (for picking)."""

from datetime import datetime

from server.sandbox.labels import SENDER_LINES, address_lines
from server.sandbox.pdf import Page, build_pdf

WIDTH, HEIGHT = 595, 842  # A4 in points
MARGIN = 50
ROWS_PER_PAGE = 40


def render_packing_slips(orders: list[dict], *, summary: bool, printed_at: datetime) -> bytes:
    pages = [_summary_page(orders)] if summary else [_order_page(order) for order in orders]
    title = "Packing summary" if summary else f"Packing slips {', '.join(o['order_number'] for o in orders)}"
    return build_pdf(pages, width=WIDTH, height=HEIGHT, title=title, created=printed_at)


def _order_page(order: dict) -> Page:
    page = Page()
    y = HEIGHT - MARGIN
    page.text(MARGIN, y - 20, "PACKING SLIP", size=20, bold=True)
    page.text(WIDTH - MARGIN - 170, y - 20, f"Order {order['order_number']}", size=12, bold=True)
    y -= 50
    page.text(MARGIN, y, "From", size=9, bold=True)
    page.text(WIDTH / 2, y, "Ship to", size=9, bold=True)
    sender = list(SENDER_LINES)
    recipient = [order["destination"].get("name") or "", *address_lines(order["destination"])]
    for line_number in range(max(len(sender), len(recipient))):
        y -= 13
        if line_number < len(sender):
            page.text(MARGIN, y, sender[line_number], size=9)
        if line_number < len(recipient):
            page.text(WIDTH / 2, y, recipient[line_number], size=9)
    _table(
        page,
        y - 30,
        [(item.get("sku") or "", item.get("description") or "", item.get("quantity") or 0) for item in order["items"]],
    )
    return page


def _summary_page(orders: list[dict]) -> Page:
    totals: dict[tuple[str, str], float] = {}
    for order in orders:
        for item in order["items"]:
            key = (item.get("sku") or "", item.get("description") or "")
            totals[key] = totals.get(key, 0) + (item.get("quantity") or 0)
    page = Page()
    page.text(MARGIN, HEIGHT - MARGIN - 20, "PACKING SUMMARY", size=20, bold=True)
    numbers = ", ".join(order["order_number"] for order in orders)
    page.text(MARGIN, HEIGHT - MARGIN - 40, f"Orders: {numbers}"[:110], size=9)
    _table(
        page, HEIGHT - MARGIN - 70, [(sku, description, quantity) for (sku, description), quantity in totals.items()]
    )
    return page


def _table(page: Page, y: float, rows: list[tuple[str, str, float]]) -> None:
    page.text(MARGIN, y, "SKU", size=10, bold=True)
    page.text(MARGIN + 130, y, "Description", size=10, bold=True)
    page.text(WIDTH - MARGIN - 40, y, "Qty", size=10, bold=True)
    page.line(MARGIN, y - 5, WIDTH - MARGIN, y - 5)
    for sku, description, quantity in rows[:ROWS_PER_PAGE]:
        y -= 16
        page.text(MARGIN, y, str(sku)[:22], size=9)
        page.text(MARGIN + 130, y, str(description)[:60], size=9)
        page.text(WIDTH - MARGIN - 40, y, f"{quantity:g}", size=9)
    if len(rows) > ROWS_PER_PAGE:
        page.text(MARGIN, y - 16, f"… and {len(rows) - ROWS_PER_PAGE} more lines", size=9)
