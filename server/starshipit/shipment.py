"""The answer to "print a label", as the rest of the app uses it."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from typing import Any

from server.http.transport import Reply


@dataclass(frozen=True)
class Shipment:
    order_id: int
    order_number: str
    carrier_name: str | None
    carrier_service_code: str | None
    tracking_numbers: list[str]
    labels: list[bytes] = field(repr=False)
    label_types: list[str]


def shipment_from_reply(reply: Reply, *, order_id: int | None, order_number: str | None) -> Shipment:
    """Read a print answer in either of its shapes (``labels``/``tracking_numbers`` lists, or the
    single ``label_data``/``tracking_number``); the requested id/number fill what it leaves out."""
    body = reply.body if isinstance(reply.body, dict) else {}
    raw_labels = _as_list(body.get("labels", body.get("label_data")))
    try:
        order_id = int(body.get("order_id") or order_id)
        labels = [_decode(label) for label in raw_labels]
    except (TypeError, ValueError, binascii.Error) as exc:
        raise reply.bad_response(f"unreadable print answer ({type(exc).__name__})") from exc
    label_types = _as_list(body.get("label_types")) or [
        label.get("label_type", "") for label in raw_labels if isinstance(label, dict)
    ]
    return Shipment(
        order_id=order_id,
        order_number=str(body.get("order_number") or order_number or ""),
        carrier_name=body.get("carrier_name"),
        carrier_service_code=body.get("carrier_service_code"),
        tracking_numbers=[str(t) for t in _as_list(body.get("tracking_numbers", body.get("tracking_number")))],
        labels=labels,
        label_types=[str(t) for t in label_types],
    )


def _decode(label: Any) -> bytes:
    text = label.get("label_base64_string") if isinstance(label, dict) else label
    if not isinstance(text, str):
        raise ValueError("a label is not a base64 string")
    return base64.b64decode("".join(text.split()), validate=True)


def _as_list(value: Any) -> list:
    if value is None or value == "":
        return []
    return value if isinstance(value, list) else [value]
