"""Sale orders ("outbound orders") in exactly the shape CartonCloud's API returns them.

`build_sale_order` turns a partial order (what a client POSTs, or a seed) into the full
documented JSON: every documented key present, optional values `null` — never `""` — and every
other field the client sent kept as it was (e.g. `details.collect.requiredDate`), as the
reference asks: whatever an order carries survives a round trip. Server-owned fields (`id`,
`version`, `references.numericId`, `timestamps`, ...) are the server's whatever was sent.
"""

import copy
from datetime import datetime
from typing import Any

import pycountry

from server.countries import country_name
from server.sandbox import catalog
from server.sandbox.errors import CartonCloudError
from server.sandbox.timeutil import cartoncloud_time

STATUSES = (
    "DRAFT",
    "AWAITING_STOCK",
    "AWAITING_PICK_AND_PACK",
    "PACKING_IN_PROGRESS",
    "PICKED",
    "PACKED",
    "DISPATCHED",
    "REJECTED",
)

STATUS_LABELS = {
    "DRAFT": "Draft",
    "AWAITING_STOCK": "Awaiting Stock",
    "AWAITING_PICK_AND_PACK": "Awaiting Pick & Pack",
    "PACKING_IN_PROGRESS": "Packing in Progress",
    "PICKED": "Picked",
    "PACKED": "Packed",
    "DISPATCHED": "Dispatched",
    "REJECTED": "Rejected",
}


def build_sale_order(
    partial: dict,
    *,
    order_id: str,
    numeric_id: str,
    status: str,
    created: datetime,
    version: int = 1,
    strict: bool = False,
) -> dict:
    """The full sale order; raises CartonCloudError (422) naming the first bad field.

    `strict`: no customer, or an item whose SKU is not a product of the tenant, is refused
    instead of defaulting to the first customer or a product named after the code.
    """
    references = partial.get("references") or {}
    customer_reference = _optional(references.get("customer"))
    if customer_reference is None:
        raise CartonCloudError(422, "must not be blank", field="/references/customer", kind="REQUIRED")
    if strict and not partial.get("customer"):
        raise CartonCloudError(422, "must not be null", field="/customer", kind="REQUIRED")
    customer = catalog.find_customer(partial.get("customer")) if partial.get("customer") else catalog.CUSTOMERS[0]
    if customer is None:
        raise CartonCloudError(422, "Customer not found", field="/customer/id", kind="NOT_FOUND")
    warehouse = catalog.find_warehouse(partial.get("warehouse")) if partial.get("warehouse") else catalog.WAREHOUSES[0]
    if warehouse is None:
        raise CartonCloudError(422, "Warehouse not found", field="/warehouse/id", kind="NOT_FOUND")
    details = partial.get("details") or {}
    deliver = details.get("deliver") or {}
    method = deliver.get("method") or {}
    method_type = method.get("type") or "SHIPPING"
    if method_type not in ("SHIPPING", "PICKUP"):
        raise CartonCloudError(422, "must be SHIPPING or PICKUP", field="/details/deliver/method/type", kind="INVALID")
    items = [_item(raw, index, strict) for index, raw in enumerate(_list(partial.get("items"), "/items"))]
    stamp = {"time": cartoncloud_time(created)}
    built = {
        "id": order_id,
        "type": "OUTBOUND",
        "status": status,
        "version": version,
        "references": {"customer": customer_reference, "numericId": numeric_id},
        "customer": copy.deepcopy(customer),
        "warehouse": copy.deepcopy(warehouse),
        "details": {
            "urgent": bool(details.get("urgent", False)),
            "instructions": _optional(details.get("instructions")),
            "deliver": {
                "address": _address(deliver.get("address") or {}),
                "method": {"type": method_type, "requestedService": _optional(method.get("requestedService"))},
                "instructions": _optional(deliver.get("instructions")),
                "requiredDate": _optional(deliver.get("requiredDate")),
            },
            "invoiceValue": _money(details.get("invoiceValue")),
        },
        "properties": dict(partial.get("properties") or {}),
        "items": items,
        "timestamps": {
            "created": stamp,
            "modified": dict(stamp),
            "packed": dict(stamp) if status == "PACKED" else None,
            "dispatched": dict(stamp) if status == "DISPATCHED" else None,
        },
    }
    return _with_the_rest(built, {key: value for key, value in partial.items() if key != "status"})


def _with_the_rest(built: Any, sent: Any) -> Any:
    """`built` plus whatever `sent` holds that `built` has no key for, at every depth."""
    if isinstance(built, dict) and isinstance(sent, dict):
        for key, value in sent.items():
            if key not in built:
                built[key] = copy.deepcopy(value)
            else:
                built[key] = _with_the_rest(built[key], value)
    elif isinstance(built, list) and isinstance(sent, list) and len(built) == len(sent):
        return [_with_the_rest(mine, theirs) for mine, theirs in zip(built, sent, strict=False)]
    return built


def touch(order: dict, moment: datetime) -> None:
    """A change to `order`: a new version and modified time."""
    order["version"] += 1
    order["timestamps"]["modified"] = {"time": cartoncloud_time(moment)}


def apply_status(order: dict, status: str, moment: datetime) -> None:
    """Move `order` to `status` at `moment`: new version, modified time, packed/dispatched time.

    An order sent straight to DISPATCHED keeps `packed: null`, as on tenants that turned the
    Packed status off.
    """
    if status not in STATUSES:
        raise CartonCloudError(422, f"Unknown status '{status}'", field="/status", kind="INVALID")
    stamp = {"time": cartoncloud_time(moment)}
    order["status"] = status
    touch(order, moment)
    if status == "PACKED" and order["timestamps"]["packed"] is None:
        order["timestamps"]["packed"] = dict(stamp)
    if status == "DISPATCHED" and order["timestamps"]["dispatched"] is None:
        order["timestamps"]["dispatched"] = dict(stamp)


def _optional(value: Any) -> Any:
    """CartonCloud sends optional values as null, never as an empty string."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return value


def _list(value: Any, field: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise CartonCloudError(422, "must be an array", field=field, kind="INVALID")
    return value


def _money(value: Any) -> dict | None:
    if not isinstance(value, dict) or value.get("amount") is None:
        return None
    return {"amount": value["amount"], "currency": value.get("currency") or "AUD"}


def _address(raw: dict) -> dict:
    return {
        "companyName": _optional(raw.get("companyName")),
        "contactName": _optional(raw.get("contactName")),
        "address1": _optional(raw.get("address1")),
        "address2": _optional(raw.get("address2")),
        "suburb": _optional(raw.get("suburb")),
        "city": _optional(raw.get("city")),
        "state": _state(raw.get("state"), (raw.get("country") or {}).get("iso2Code")),
        "postcode": _optional(raw.get("postcode")),
        "country": _country(raw.get("country")),
        "phone": _optional(raw.get("phone")),
        "email": _optional(raw.get("email")),
    }


def _country(raw: dict | None) -> dict | None:
    code = _optional((raw or {}).get("iso2Code"))
    if code is None:
        return None
    country = pycountry.countries.get(alpha_2=str(code).upper())
    if country is None:
        raise CartonCloudError(
            422, f"Unknown country code '{code}'", field="/details/deliver/address/country/iso2Code", kind="INVALID"
        )
    return {"iso2Code": country.alpha_2, "iso3Code": country.alpha_3, "name": country_name(country.alpha_2)}


def _state(raw: dict | None, country_code: str | None) -> dict | None:
    code, name = _optional((raw or {}).get("code")), _optional((raw or {}).get("name"))
    if code is None and name is None:
        return None
    if name is None and country_code:
        subdivision = pycountry.subdivisions.get(code=f"{str(country_code).upper()}-{code}")
        name = subdivision.name if subdivision else None
    return {"code": code, "name": name}


def _item(raw: Any, index: int, strict: bool) -> dict:
    if not isinstance(raw, dict):
        raise CartonCloudError(422, "must be an object", field=f"/items/{index}", kind="INVALID")
    product_in = (raw.get("details") or {}).get("product") or {}
    code = _optional((product_in.get("references") or {}).get("code"))
    if code is None:
        raise CartonCloudError(
            422, "must not be blank", field=f"/items/{index}/details/product/references/code", kind="REQUIRED"
        )
    quantity = (raw.get("measures") or {}).get("quantity")
    if isinstance(quantity, bool) or not isinstance(quantity, (int, float)) or quantity <= 0:
        raise CartonCloudError(
            422, "must be a positive number", field=f"/items/{index}/measures/quantity", kind="INVALID"
        )
    known = catalog.PRODUCTS.get(code)
    if strict and known is None:
        raise CartonCloudError(
            422,
            f"Product '{code}' not found",
            field=f"/items/{index}/details/product/references/code",
            kind="NOT_FOUND",
        )
    price_in = (raw.get("details") or {}).get("approximateUnitPrice")
    return {
        "details": {
            "product": {
                "name": _optional(product_in.get("name")) or (known.name if known else code),
                "references": {
                    "code": code,
                    "barcode": _optional((product_in.get("references") or {}).get("barcode"))
                    or (known.barcode if known else None),
                },
            },
            "unitOfMeasure": {"type": ((raw.get("details") or {}).get("unitOfMeasure") or {}).get("type") or "UNITS"},
            "approximateUnitPrice": _money(price_in) or ({"amount": known.price, "currency": "AUD"} if known else None),
        },
        "measures": {"quantity": quantity},
        "properties": dict(raw.get("properties") or {}),
    }
