"""What the API says about a sale order and its label (the dump side of the schemas)."""
from __future__ import annotations

import base64
from typing import Any

from flask import url_for

from ..models import Label, SaleOrder
from ..printing.service import PrintOutcome
from .schemas import LookupResponseSchema, PrintResponseSchema

_print_schema = PrintResponseSchema()
_lookup_schema = LookupResponseSchema()


def label_ref(label: Label) -> dict[str, Any]:
    return {"id": label.id, "format": label.format, "url": url_for("api.label_file", label_id=label.id)}


def starshipit_order(record: SaleOrder) -> dict[str, Any] | None:
    if record.starshipit_order_id is None:
        return None
    return {"order_id": record.starshipit_order_id, "order_number": record.starshipit_order_number}


def print_response(outcome: PrintOutcome, with_content: bool = True) -> dict[str, Any]:
    label = {**label_ref(outcome.label)}
    if with_content:
        label["content_base64"] = base64.b64encode(outcome.label.content).decode()
    return _print_schema.dump(
        {
            "sale_order": outcome.record,
            "starshipit_order": starshipit_order(outcome.record),
            "carrier": outcome.label.carrier,
            "tracking_numbers": outcome.label.tracking_numbers,
            "reprint": outcome.reprint,
            "label": label,
            "writeback": outcome.writeback,
        }
    )


def with_label_content(body: dict[str, Any], label: Label) -> dict[str, Any]:
    return {**body, "label": {**body["label"], "content_base64": base64.b64encode(label.content).decode()}}


def lookup_response(record: SaleOrder, label: Label | None, writeback: str | None) -> dict[str, Any]:
    last_error = None
    if record.last_error_code:
        last_error = {"code": record.last_error_code, "message": record.last_error_message, "at": record.last_error_at}
    return _lookup_schema.dump(
        {
            "sale_order": record,
            "state": record.state,
            "starshipit_order": starshipit_order(record),
            "carrier": record.carrier,
            "tracking_numbers": record.tracking_numbers,
            "label": label_ref(label) if label else None,
            "writeback": writeback,
            "last_error": last_error,
        }
    )
