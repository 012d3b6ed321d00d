"""Jobs for the network printers: a label, or a test page, sent and recorded in the history
(the order's, for a label), whatever the outcome."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from ..events import record_event
from ..models import Printer, SaleOrder
from ..sandbox.pdf import Page, build_pdf  # the simulator's tiny PDF and ZPL writers serve here too
from ..sandbox.zpl import zpl_field
from .network_printer import deliver
from .printer_policy import PrinterPolicy

LABEL_INCHES = (4, 6)
POINTS_PER_INCH = 72


def send_label(
    session: Session,
    printer: Printer,
    content: bytes,
    label_format: str,
    timeout: float,
    *,
    record: SaleOrder | None,
    actor: str | None,
    policy: PrinterPolicy,
    **about: Any,
) -> dict[str, Any]:
    """Deliver ``content`` to ``printer`` and record it (``printer_sent`` or ``printer_failed``,
    with ``about``, e.g. the label id) in ``record``'s history; commits. The PrinterDelivery.
    ``policy`` says where jobs may go."""
    session.commit()  # no transaction stays open while the printer takes its time (SQLite: a write lock)
    delivery = deliver(printer, content, label_format, timeout, policy)
    record_event(
        session,
        record,
        f"printer_{delivery['status']}",
        actor,
        printer=printer.name,
        address=f"{printer.host}:{printer.port}",
        bytes=delivery["bytes"],
        message=delivery["message"],
        warnings=delivery["warnings"],
        **about,
    )
    session.commit()
    return delivery


def send_test_page(
    session: Session, printer: Printer, timeout: float, actor: str | None, policy: PrinterPolicy
) -> dict[str, Any]:
    """A 4×6 test page in the printer's own language, at its own resolution."""
    content = zpl_test_page(printer) if printer.language == "zpl" else pdf_test_page(printer)
    return send_label(
        session, printer, content, printer.language, timeout, record=None, actor=actor, policy=policy, test_page=True
    )


def _test_lines(printer: Printer) -> list[str]:
    return [
        "labelbridge test page",
        f"Printer: {printer.name}",
        f"Address: {printer.host}:{printer.port}",
        f"Language: {printer.language.upper()}, {printer.dpi} dpi",
        "This page should be exactly 4 x 6 inches.",
    ]


def zpl_test_page(printer: Printer) -> bytes:
    """ZPL in the printer's dots: a border at the label's edge, the printer's settings and a barcode."""
    width, length = (inches * printer.dpi for inches in LABEL_INCHES)
    scale = printer.dpi / 203
    fields = [
        f"^FO{round(40 * scale)},{round((60 + 60 * row) * scale)}^A0N,{round(40 * scale)},{round(40 * scale)}"
        f"{zpl_field(line)}"
        for row, line in enumerate(_test_lines(printer))
    ]
    return "\n".join(
        [
            "^XA",
            "^CI28",
            f"^PW{width}",
            f"^LL{length}",
            f"^FO10,10^GB{width - 20},{length - 20},{max(2, round(3 * scale))}^FS",
            *fields,
            f"^FO{round(40 * scale)},{round(500 * scale)}^BY{max(2, round(3 * scale))}^BCN,{round(200 * scale)},Y,N,N^FDTEST-4X6^FS",
            "^XZ",
            "",
        ]
    ).encode("utf-8")


def pdf_test_page(printer: Printer) -> bytes:
    width, height = (inches * POINTS_PER_INCH for inches in LABEL_INCHES)
    page = Page()
    page.rect(4, 4, width - 8, height - 8, width=2)
    for row, line in enumerate(_test_lines(printer)):
        page.text(20, height - 40 - 22 * row, line, size=14 if row == 0 else 10, bold=row == 0)
    return build_pdf([page], width=width, height=height, title="labelbridge test page", created=datetime.now(UTC))
