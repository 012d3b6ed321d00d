"""What the API says about a sale order and its label, for the response schemas to dump."""

from __future__ import annotations

import base64
from typing import Any

from flask import url_for

from ..models import Label, SaleOrder
from ..orders.known import ReturnRef
from ..orders.service import PrintOutcome
from ..printing.layouts import apply_layout, effective_layout
from ..schemas.labels import PrintResponseSchema

_print_schema = PrintResponseSchema()


def label_ref(label: Label | ReturnRef) -> dict[str, Any]:
    return {"id": label.id, "format": label.format, "url": url_for("api.label_file", label_id=label.id)}


def starshipit_order(record: SaleOrder) -> dict[str, Any] | None:
    if record.starshipit_order_id is None:
        return None
    return {"order_id": record.starshipit_order_id, "order_number": record.starshipit_order_number}


def print_response(
    outcome: PrintOutcome, layout: str, printer: dict[str, Any] | None, packing_slip: bool
) -> dict[str, Any]:
    """The print answer but the label's bytes (``content_base64``, added by the view): the label
    laid out as ``layout``, ``printer`` its PrinterDelivery (None: no network printer),
    ``packing_slip`` whether to offer the slip. Dumped here: the answer is kept as it is sent,
    so a retried click (same Idempotency-Key) gets it again."""
    label = {**label_ref(outcome.label), "layout": effective_layout(outcome.label.format, layout)}
    slip = {"url": url_for("api.label_packing_slip", label_id=outcome.label.id)} if packing_slip else None
    return _print_schema.dump(
        {
            "sale_order": outcome.record,
            "starshipit_order": starshipit_order(outcome.record),
            "carrier": outcome.label.carrier,
            "tracking_numbers": outcome.label.tracking_numbers,
            "reprint": outcome.reprint,
            "label": label,
            "writeback": outcome.writeback,
            "printer": printer,
            "packing_slip": slip,
            "after_void": outcome.replaced_void(),
        }
    )


def with_label_content(body: dict[str, Any], label: Label) -> dict[str, Any]:
    """A stored answer (kept without the label's bytes) made whole again, laid out as it was;
    an answer stored before printers (or ``after_void``) existed gains their fields, empty."""
    layout = body["label"].get("layout", "original")
    content = apply_layout(label.content, label.format, layout)
    return {
        "printer": None,
        "packing_slip": None,
        "after_void": None,
        **body,
        "label": {**body["label"], "layout": layout, "content_base64": base64.b64encode(content).decode()},
    }


def lookup_response(
    record: SaleOrder,
    label: Label | None,
    writeback: str | None,
    voided: Label | None = None,
    returned: ReturnRef | None = None,
) -> dict[str, Any]:
    """``voided``: the label voided last, while the order has no label since (state ``voided``);
    ``returned``: the order's return label."""
    last_error = None
    if record.last_error_code:
        last_error = {"code": record.last_error_code, "message": record.last_error_message, "at": record.last_error_at}
    return {
        "sale_order": record,
        "state": record.state,
        "starshipit_order": starshipit_order(record),
        "carrier": record.carrier,
        "tracking_numbers": record.tracking_numbers,
        "label": label_ref(label) if label else None,
        "writeback": writeback,
        "last_error": last_error,
        "voided_label": voided,
        "return_label": label_ref(returned) if returned else None,
    }
