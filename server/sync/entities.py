"""Reading the few things the sync needs from a CartonCloud sale order entity."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


def modified_at(sale_order: dict[str, Any]) -> datetime | None:
    """When CartonCloud last changed the order (``timestamps.modified.time``), in UTC."""
    stamp = ((sale_order.get("timestamps") or {}).get("modified") or {}).get("time")
    return parse_time(stamp)


def parse_time(text: Any) -> datetime | None:
    """An ISO-8601 timestamp as an aware UTC datetime; None when absent or unreadable."""
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def fingerprint(sale_order: dict[str, Any]) -> str:
    """What identifies this state of the order: its version and modified time. An order that
    could not be shipped is tried again only when this changes."""
    modified = ((sale_order.get("timestamps") or {}).get("modified") or {}).get("time")
    return f"{sale_order.get('version')}|{modified}"[:80]


def is_older(sale_order: dict[str, Any], known_version: int | None) -> bool:
    """Whether this copy is older than the version labelbridge has seen (an out-of-order delivery)."""
    version = sale_order.get("version")
    return isinstance(version, int) and known_version is not None and version < known_version


def newest_per_order(sale_orders: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One copy per sale order id, the highest version, in first-seen order."""
    newest: dict[str, dict[str, Any]] = {}
    for sale_order in sale_orders:
        known = newest.get(sale_order["id"])
        if known is None or (sale_order.get("version") or 0) >= (known.get("version") or 0):
            newest[sale_order["id"]] = sale_order
    return list(newest.values())
