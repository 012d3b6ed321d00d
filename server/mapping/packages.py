"""The parcel: from the per-SKU weights and sizes when the table knows the items, else the
configured default parcel (CartonCloud sale orders carry no weight or dimensions)."""

from server.mapping.issues import IssueLog
from server.mapping.settings import MappingSettings
from server.mapping.values import dig, number, text


def build_packages(sale_order: dict, settings: MappingSettings, log: IssueLog) -> list[dict]:
    """One parcel: the items' total weight and the largest size of any item, when the SKU table
    weighs at least one item; the default parcel otherwise. Unweighed items are warnings."""
    weight, sizes = 0.0, []
    for index, sku, quantity in _lines(sale_order):
        unit = settings.sku_packages.get(sku) if sku is not None else None
        if unit is None:
            if settings.sku_packages:
                log.warn(
                    f"items.{index}.details.product.references.code",
                    "no_weight",
                    f"Item {index + 1} ({sku or 'no SKU'}) has no weight in the SKU table, "
                    "so the parcel weight leaves it out: add it to the table.",
                )
            continue
        weight += unit.weight_kg * quantity
        sizes.append(unit)
    if not sizes:
        return [_default_package(settings, log)]
    default = settings.default_package
    return [
        {
            "weight": round(weight, 3),
            "length": _largest(sizes, "length_m", default.length_m),
            "width": _largest(sizes, "width_m", default.width_m),
            "height": _largest(sizes, "height_m", default.height_m),
        }
    ]


def _lines(sale_order: dict) -> list[tuple[int, str | None, float]]:
    lines = dig(sale_order, "items")
    if not isinstance(lines, list):
        return []
    found = []
    for index, line in enumerate(lines):
        quantity = number(dig(line, "measures", "quantity"))
        found.append(
            (
                index,
                text(dig(line, "details", "product", "references", "code")),
                quantity if quantity is not None and quantity > 0 else 1,
            )
        )
    return found


def _largest(sizes: list, name: str, fallback: float) -> float:
    known = [getattr(size, name) for size in sizes if getattr(size, name) is not None]
    return max(known) if known else fallback


def _default_package(settings: MappingSettings, log: IssueLog) -> dict:
    package = settings.default_package
    log.warn(
        "packages",
        "default_package",
        "CartonCloud gives no parcel weight or size, so the default parcel is used: "
        f"{package.weight_kg:g} kg, "
        f"{package.length_m:g} x {package.width_m:g} x {package.height_m:g} m. "
        "A heavier or bigger parcel may be charged extra by the courier.",
    )
    return {
        "weight": package.weight_kg,
        "length": package.length_m,
        "width": package.width_m,
        "height": package.height_m,
    }
