"""Starshipit orders: checking what a client sends and building the full order it gets back.

Length limits are those of docs/starshipit-api-notes.md; for street, suburb, city, state,
delivery instructions, SKU and country of origin (which the notes list without a number)
those of rknell/starshipit_dart, the fullest public field reference. Messages use the wording
of ASP.NET model validation, which Starshipit's API returns ("The field X must be a string
with a maximum length of N."), and `details` carries the field's path in the request.
"""

from datetime import datetime
from typing import Any

from server.sandbox.errors import StarshipitRefusal
from server.sandbox.timeutil import parse_timestamp, starshipit_time

ORDER_TEXT = {
    "reference": 50,
    "shipping_method": 100,
    "shipping_description": 100,
    "carrier": 100,
    "carrier_service_code": 100,
}
DESTINATION_TEXT = {
    "name": 100,
    "email": 100,
    "phone": 100,
    "building": 100,
    "company": 100,
    "street": 100,
    "suburb": 100,
    "city": 100,
    "state": 100,
    "post_code": 10,
    "country": 100,
    "delivery_instructions": 100,
    "tax_number": 20,
}
SENDER_TEXT = {
    name: limit for name, limit in DESTINATION_TEXT.items() if name not in ("delivery_instructions", "tax_number")
}
ITEM_TEXT = {"description": None, "sku": 50, "tariff_code": 18, "country_of_origin": 50}
ITEM_NUMBERS = ("quantity", "weight", "value")
PACKAGE_NUMBERS = ("weight", "height", "width", "length")
ORDER_STATUSES = ("Unshipped", "Saved", "Printed", "Delivered")

Errors = list[tuple[str, str]]


def clean_order(raw: Any, *, for_update: bool = False, where: str = "order") -> dict:
    """The writable fields of `raw`, checked; raises StarshipitRefusal(400) naming every bad field.

    On create `order_number` is required; on update only what is present is checked.
    """
    errors: Errors = []
    if not isinstance(raw, dict):
        raise StarshipitRefusal.one(400, f"The {where} field is required.", where)
    fields: dict[str, Any] = {}
    if "order_number" in raw or not for_update:
        number = _text(raw.get("order_number"), "order_number", 50, errors, where)
        if number is None or not number.strip():
            errors.append(
                (
                    "The field order_number must be a string with a minimum length of 1 and a maximum length of 50.",
                    f"{where}.order_number",
                )
            )
        fields["order_number"] = number
    for key, limit in ORDER_TEXT.items():
        if key in raw:
            fields[key] = _text(raw[key], key, limit, errors, where)
    if "currency" in raw:
        fields["currency"] = _text(raw["currency"], "currency", 3, errors, where)
        if fields["currency"] is not None and len(fields["currency"]) != 3:
            errors.append(
                (
                    "The field currency must be a string with a minimum length of 3 and a maximum length of 3.",
                    f"{where}.currency",
                )
            )
    if raw.get("order_date") is not None:
        try:
            fields["order_date"] = starshipit_time(parse_timestamp(raw["order_date"]))
        except (TypeError, ValueError):
            errors.append(("The field order_date must be a valid date.", f"{where}.order_date"))
    for key in ("signature_required", "return_order"):
        if key in raw:
            if not isinstance(raw[key], bool):
                errors.append((f"The field {key} must be true or false.", f"{where}.{key}"))
            fields[key] = bool(raw[key])
    if "status" in raw and for_update:
        if raw["status"] not in ORDER_STATUSES:
            errors.append((f"The field status must be one of {', '.join(ORDER_STATUSES)}.", f"{where}.status"))
        fields["status"] = raw["status"]
    for key, limits in (("destination", DESTINATION_TEXT), ("sender_details", SENDER_TEXT)):
        if raw.get(key) is not None:
            fields[key] = _object(raw[key], key, limits, (), errors, where)
    if raw.get("items") is not None:
        fields["items"] = _objects(raw["items"], "items", ITEM_TEXT, ITEM_NUMBERS, errors, where)
    if raw.get("packages") is not None:
        fields["packages"] = clean_packages(raw["packages"], errors, where)
    if errors:
        raise StarshipitRefusal(400, errors)
    return fields


def clean_packages(raw: Any, errors: Errors, where: str = "order") -> list[dict]:
    return _objects(raw, "packages", {}, PACKAGE_NUMBERS, errors, where)


def new_order(order_id: int, fields: dict, now: datetime, *, next_id) -> dict:
    """The full order Starshipit stores for freshly created `fields`; `next_id()` numbers lines."""
    destination = fields.get("destination") or {}
    return {
        "order_id": order_id,
        "order_date": fields.get("order_date") or starshipit_time(now),
        "order_number": fields["order_number"],
        "reference": fields.get("reference"),
        "shipping_method": fields.get("shipping_method"),
        "shipping_description": fields.get("shipping_description"),
        "signature_required": fields.get("signature_required", False),
        "currency": fields.get("currency"),
        "carrier": fields.get("carrier"),
        "carrier_name": None,
        "carrier_service_code": fields.get("carrier_service_code"),
        "carrier_service_name": None,
        "status": "Unshipped",
        "manifested": False,
        "manifest_number": None,
        "archived": False,
        "return_order": fields.get("return_order", False),
        "dangerous_goods": False,
        "declared_value": sum(
            (item.get("value") or 0) * (item.get("quantity") or 1) for item in fields.get("items") or []
        ),
        "total_shipping_price": None,
        "shipping_freight_value": None,
        "destination": {key: destination.get(key) for key in DESTINATION_TEXT},
        "sender_details": fields.get("sender_details"),
        "items": [item_line(item, next_id()) for item in fields.get("items") or []],
        "packages": [package_line(package, next_id()) for package in fields.get("packages") or []],
        "metadatas": [],
        "events": [],
    }


def item_line(item: dict, item_id: int) -> dict:
    line: dict[str, Any] = {"item_id": item_id}
    line.update(
        {
            key: item.get(key)
            for key in ("description", "sku", "quantity", "weight", "value", "tariff_code", "country_of_origin")
        }
    )
    return line


def package_line(package: dict, package_id: int) -> dict:
    line: dict[str, Any] = {"package_id": package_id}
    line.update({key: package.get(key) for key in PACKAGE_NUMBERS})
    line.update(
        {
            "tracking_number": None,
            "tracking_url": None,
            "carrier_service_code": None,
            "label_created_date": None,
            "labels": [],
        }
    )
    return line


def _text(value: Any, path: str, limit: int | None, errors: Errors, where: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        errors.append((f"The field {path} must be a string.", f"{where}.{path}"))
        return None
    text = str(value)
    if limit is not None and len(text) > limit:
        errors.append((f"The field {path} must be a string with a maximum length of {limit}.", f"{where}.{path}"))
    return text


def _number(value: Any, path: str, errors: Errors, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        errors.append((f"The field {path} must be a number of at least 0.", f"{where}.{path}"))
        return None
    return value


def _object(raw: Any, path: str, texts: dict, numbers: tuple, errors: Errors, where: str) -> dict:
    if not isinstance(raw, dict):
        errors.append((f"The field {path} must be an object.", f"{where}.{path}"))
        return {}
    cleaned = {
        key: _text(raw[key], f"{path}.{key}", limit, errors, where) for key, limit in texts.items() if key in raw
    }
    cleaned.update({key: _number(raw[key], f"{path}.{key}", errors, where) for key in numbers if key in raw})
    return cleaned


def _objects(raw: Any, path: str, texts: dict, numbers: tuple, errors: Errors, where: str) -> list[dict]:
    if not isinstance(raw, list):
        errors.append((f"The field {path} must be an array.", f"{where}.{path}"))
        return []
    return [_object(entry, f"{path}[{index}]", texts, numbers, errors, where) for index, entry in enumerate(raw)]
