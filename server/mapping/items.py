"""Sale order lines -> Starshipit `items` (packing slips and customs forms read them)."""

from server.mapping.issues import IssueLog
from server.mapping.limits import fit
from server.mapping.values import dig, number, text, without_empty

# CartonCloud documents no tariff or origin field. Tenants that ship abroad keep them as custom
# properties on the order line; these are the names read.
TARIFF_CODE_PROPERTY = "tariffCode"
COUNTRY_OF_ORIGIN_PROPERTY = "countryOfOrigin"


def build_items(sale_order: dict, log: IssueLog) -> list[dict]:
    """One Starshipit item per readable sale order line; anything odd is a warning."""
    lines = dig(sale_order, "items")
    if not isinstance(lines, list) or not lines:
        log.warn(
            "items",
            "no_items",
            "The sale order lists no items, so the packing slip and any customs form will be empty.",
        )
        return []
    items = []
    for index, line in enumerate(lines):
        if isinstance(line, dict):
            items.append(_item(line, f"items.{index}", index + 1, log))
        else:
            log.warn(
                f"items.{index}",
                "unreadable_item",
                f"Item {index + 1} of the sale order could not be read; it is left out.",
            )
    return items


def _item(line: dict, path: str, position: int, log: IssueLog) -> dict:
    description = text(dig(line, "details", "product", "name"))
    sku = text(dig(line, "details", "product", "references", "code"))
    subject = f"item {position}" + (f" ({sku or description})" if sku or description else "")
    return without_empty(
        {
            "description": description,
            "sku": fit(sku, "items.sku", f"{path}.details.product.references.code", log, subject=subject),
            "quantity": _quantity(line, path, subject, log),
            "value": _unit_value(line, path, subject, log),
            "tariff_code": _line_property(line, path, TARIFF_CODE_PROPERTY, "items.tariff_code", subject, log),
            "country_of_origin": _line_property(
                line, path, COUNTRY_OF_ORIGIN_PROPERTY, "items.country_of_origin", subject, log
            ),
        }
    )


def _line_property(line: dict, path: str, key: str, starshipit_field: str, subject: str, log: IssueLog) -> str | None:
    value = text(dig(line, "properties", key))
    return fit(value, starshipit_field, f"{path}.properties.{key}", log, subject=subject)


def _quantity(line: dict, path: str, subject: str, log: IssueLog) -> int | float | None:
    """The quantity, as a whole number when it is one (CartonCloud may send 25.0)."""
    quantity = number(dig(line, "measures", "quantity"))
    field = f"{path}.measures.quantity"
    if quantity is None:
        log.warn(field, "no_quantity", f"{_capitalised(subject)} has no quantity; it is sent without one.")
        return None
    if quantity <= 0:
        log.warn(
            field,
            "zero_quantity",
            f"{_capitalised(subject)} has quantity {quantity:g}; check the order in CartonCloud.",
        )
    return int(quantity) if float(quantity).is_integer() else quantity


def _unit_value(line: dict, path: str, subject: str, log: IssueLog) -> int | float | None:
    """The approximate unit price; customs forms need it, so a garbled one is a warning."""
    amount = dig(line, "details", "approximateUnitPrice", "amount")
    if amount is None:
        return None
    value = number(amount)
    if value is None:
        log.warn(
            f"{path}.details.approximateUnitPrice.amount",
            "value_not_a_number",
            f"{_capitalised(subject)} has a unit price that is not a number; it is sent without a value.",
        )
    return value


def _capitalised(subject: str) -> str:
    """`subject` at the start of a sentence (str.capitalize would lower-case the SKU)."""
    return subject[:1].upper() + subject[1:]
