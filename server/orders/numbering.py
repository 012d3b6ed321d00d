"""The Starshipit order number of a sale order's current shipment.

The first shipment carries the number the mapping gives (``ORDER_NUMBER_SOURCE``). A voided
shipment's Starshipit order may stay there (archived, found by its number), so each later one is
numbered past the voided ones: ``<number>-V1``, ``<number>-V2``… The suffix depends only on how
many shipments were voided, so a create retried (or whose answer was lost) is looked up under the
same number and found, never made twice."""

from __future__ import annotations

from typing import Any

MAX_ORDER_NUMBER = 50  # Starshipit's limit (docs/starshipit-api-notes.md)


def shipment_number(order_number: str, voided_shipments: int) -> str:
    if voided_shipments <= 0:
        return order_number
    suffix = f"-V{voided_shipments}"
    return order_number[: MAX_ORDER_NUMBER - len(suffix)] + suffix


def numbered(order: dict[str, Any], voided_shipments: int) -> dict[str, Any]:
    """The mapped Starshipit ``order`` under its current shipment's number."""
    number = shipment_number(order["order_number"], voided_shipments)
    return order if number == order["order_number"] else {**order, "order_number": number}
