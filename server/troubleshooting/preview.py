"""The preview of one sale order: the CartonCloud fields, the Starshipit order they become,
what blocks it and what to look at. Reads CartonCloud and asks Starshipit's address
validation; creates nothing anywhere."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..mapping import MappingSettings, preview_starshipit_order
from ..mapping.sources import source_fields
from ..mapping.values import dig
from ..starshipit.client import StarshipitClient
from .address_check import AddressCheck, check_address


def build_preview(
    sale_order: dict[str, Any],
    settings: MappingSettings,
    starshipit: Callable[[], StarshipitClient] | None,
) -> dict[str, Any]:
    """``starshipit`` builds the client for the address check; None skips the check."""
    order, blocking, warnings = preview_starshipit_order(sale_order, settings)
    address = AddressCheck(checked=False)
    if starshipit is not None:
        address = check_address(starshipit(), order.get("destination") or {})
        if address.issue is not None:
            warnings = [*warnings, address.issue]
    return {
        "sale_order": _identity(sale_order),
        "shippable": not blocking,
        "blocking": [issue_dict(issue) for issue in blocking],
        "warnings": [issue_dict(issue) for issue in warnings],
        "starshipit_order": order,
        "fields": field_rows(order, sale_order, settings),
        "address_validation": address.as_dict(),
        "cartoncloud": sale_order,
    }


def issue_dict(issue) -> dict[str, str]:
    return {"field": issue.field, "code": issue.code, "message": issue.message}


def field_rows(order: dict[str, Any], sale_order: dict[str, Any], settings: MappingSettings) -> list[dict[str, Any]]:
    """One row per Starshipit value: where it came from in CartonCloud and what it was there."""
    rows = []
    for path, value in _leaves(order):
        sources = source_fields(path, settings)
        source = next((s for s in sources if _at(sale_order, s) is not None), sources[0] if sources else None)
        rows.append(
            {
                "starshipit": path,
                "value": value,
                "cartoncloud": source,
                "cartoncloud_value": _at(sale_order, source) if source else None,
            }
        )
    return rows


def _leaves(value: Any, prefix: str = "") -> list[tuple[str, Any]]:
    if isinstance(value, Mapping):
        return [leaf for key, inner in value.items() for leaf in _leaves(inner, f"{prefix}{key}.")]
    if isinstance(value, list):
        return [leaf for index, inner in enumerate(value) for leaf in _leaves(inner, f"{prefix}{index}.")]
    return [(prefix.rstrip("."), value)]


def _at(sale_order: dict[str, Any], path: str) -> Any:
    """The value at a dotted path (list positions as numbers); None for a setting's name."""
    if path.startswith("settings:"):
        return None
    value: Any = sale_order
    for step in path.split("."):
        if isinstance(value, list) and step.isdigit() and int(step) < len(value):
            value = value[int(step)]
        else:
            value = dig(value, step)
    return value if not isinstance(value, (dict, list)) else None


def _identity(sale_order: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": sale_order.get("id") if isinstance(sale_order, Mapping) else None,
        "numeric_id": _text(dig(sale_order, "references", "numericId")),
        "customer_reference": _text(dig(sale_order, "references", "customer")),
        "status": _text(dig(sale_order, "status")),
    }


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
