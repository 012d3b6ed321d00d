"""The choices an install makes about how sale orders map to Starshipit orders.

Invalid settings raise ValueError when constructed, so a bad configuration fails at start-up
rather than on the first label.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Literal, get_args

from server.mapping.values import currency_code, number

OrderNumberSource = Literal["customer_reference", "numeric_id"]


@dataclass(frozen=True)
class PackageDefaults:
    """The parcel sent when CartonCloud gives no weight or size (kg and metres, Starshipit's units)."""

    weight_kg: float = 1.0
    length_m: float = 0.3
    width_m: float = 0.2
    height_m: float = 0.1

    def __post_init__(self) -> None:
        for measure in fields(self):
            value = getattr(self, measure.name)
            if number(value) is None or value <= 0:
                raise ValueError(f"default package {measure.name} must be a positive number, got {value!r}")


@dataclass(frozen=True)
class MappingSettings:
    """How to build the Starshipit order: which identifier is the order number, the default
    parcel, CartonCloud requested service -> Starshipit shipping method, fallback currency."""

    order_number_source: OrderNumberSource = "customer_reference"
    default_package: PackageDefaults = PackageDefaults()
    shipping_methods: Mapping[str, str] = field(default_factory=dict)
    currency: str = "AUD"

    def __post_init__(self) -> None:
        if self.order_number_source not in get_args(OrderNumberSource):
            raise ValueError(
                f"order_number_source must be one of {get_args(OrderNumberSource)}, "
                f"got {self.order_number_source!r}"
            )
        if not isinstance(self.default_package, PackageDefaults):
            raise ValueError("default_package must be a PackageDefaults")
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in self.shipping_methods.items()):
            raise ValueError("shipping_methods must map text to text")
        currency = currency_code(self.currency) if isinstance(self.currency, str) else None
        if currency is None:
            raise ValueError(f"currency must be a three-letter code such as 'AUD', got {self.currency!r}")
        # Frozen all the way down: one settings object is shared by every request thread.
        object.__setattr__(self, "shipping_methods", MappingProxyType(dict(self.shipping_methods)))
        object.__setattr__(self, "currency", currency)
