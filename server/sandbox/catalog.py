"""The demo tenant's customers, warehouses and products (fixed ids, so runs are repeatable)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Product:
    code: str
    name: str
    barcode: str
    price: float


CUSTOMERS = (
    {"id": "c3b1a7e2-5d44-4c1b-9e0f-1a2b3c4d5e01", "name": "Acme Outdoor Supplies", "references": {"code": "ACME"}},
    {"id": "c3b1a7e2-5d44-4c1b-9e0f-1a2b3c4d5e02", "name": "Blue Wren Homewares", "references": {"code": "BLUEWREN"}},
    {"id": "c3b1a7e2-5d44-4c1b-9e0f-1a2b3c4d5e03", "name": "Koala Kids Co", "references": {"code": "KOALAKIDS"}},
)

WAREHOUSES = (
    {"id": "bbe1f0d2-7c3a-4e5b-8a9d-0c1e2f3a4b01", "name": "Brisbane DC"},
    {"id": "bbe1f0d2-7c3a-4e5b-8a9d-0c1e2f3a4b02", "name": "Melbourne DC"},
)

PRODUCTS = {
    product.code: product
    for product in (
        Product("TENT-2P", "Lightweight 2-Person Tent", "9312345000011", 249.00),
        Product("BOTTLE-750", "Insulated Bottle 750 ml", "9312345000028", 34.95),
        Product("HEADLAMP", "Rechargeable Headlamp", "9312345000035", 59.00),
        Product("MUG-ENAMEL", "Enamel Camp Mug", "9312345000042", 14.50),
        Product("THROW-WOOL", "Merino Wool Throw", "9312345000059", 129.00),
        Product("CANDLE-EUC", "Eucalyptus Soy Candle", "9312345000066", 24.00),
        Product("VASE-STONE", "Stoneware Vase", "9312345000073", 68.00),
        Product("BLOCKS-40", "Wooden Blocks (40 pc)", "9312345000080", 39.95),
        Product("ROMPER-0-3", "Organic Cotton Romper 0-3m", "9312345000097", 29.95),
        Product("PLUSH-KOALA", "Plush Koala", "9312345000103", 19.95),
    )
}


def find_customer(reference: dict | None) -> dict | None:
    """A customer by `id`, or by `references.code`; None when neither matches."""
    if not reference:
        return None
    code = (reference.get("references") or {}).get("code")
    for customer in CUSTOMERS:
        if reference.get("id") == customer["id"] or (code and code == customer["references"]["code"]):
            return customer
    return None


def find_warehouse(reference: dict | None) -> dict | None:
    if not reference:
        return None
    return next(
        (w for w in WAREHOUSES if reference.get("id") == w["id"] or reference.get("name") == w["name"]),
        None,
    )
