"""Pure mapping from a CartonCloud sale order to a Starshipit order.

`build_starshipit_order(sale_order, settings) -> (order, warnings)`; blocking problems raise
`UnshippableOrder` with every issue at once. No I/O: the callers fetch and send.
"""

from server.mapping.issues import MappingIssue, UnshippableOrder
from server.mapping.order import blocking_issues, build_starshipit_order, order_number_for, preview_starshipit_order
from server.mapping.settings import (
    CarrierService,
    MappingSettings,
    OrderNumberSource,
    PackageDefaults,
    ReferenceSource,
    SkuPackage,
)

__all__ = [
    "CarrierService",
    "ReferenceSource",
    "SkuPackage",
    "preview_starshipit_order",
    "MappingIssue",
    "MappingSettings",
    "OrderNumberSource",
    "PackageDefaults",
    "UnshippableOrder",
    "blocking_issues",
    "build_starshipit_order",
    "order_number_for",
]
