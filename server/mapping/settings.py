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
# "other_identifier": whichever of the two the order number is not, so both can be searched.
ReferenceSource = Literal["other_identifier", "customer_reference", "numeric_id", "none"]
# Couriers that refuse (or cannot deliver) a parcel without a phone number to call.
PHONE_REQUIRED_CARRIERS = frozenset({"StarTrack", "DHL", "DHLExpress", "FedEx", "TNT", "UPS", "Aramex"})


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


def _positive(owner: str, name: str, value: object) -> None:
    if number(value) is None or value <= 0:
        raise ValueError(f"{owner} {name} must be a positive number, got {value!r}")


@dataclass(frozen=True)
class SkuPackage:
    """One unit of a SKU: its weight (kg) and, when known, its size (metres)."""

    weight_kg: float
    length_m: float | None = None
    width_m: float | None = None
    height_m: float | None = None

    def __post_init__(self) -> None:
        _positive("SKU", "weight_kg", self.weight_kg)
        for name in ("length_m", "width_m", "height_m"):
            if getattr(self, name) is not None:
                _positive("SKU", name, getattr(self, name))


@dataclass(frozen=True)
class CarrierService:
    """The Starshipit courier (``carrier``, e.g. "AusPost") and service code a requested service books."""

    carrier: str
    service_code: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.carrier, str) or not self.carrier.strip():
            raise ValueError("a carrier rule needs a carrier")
        if self.service_code is not None and (not isinstance(self.service_code, str) or not self.service_code.strip()):
            raise ValueError("a carrier rule's service code must be text")


@dataclass(frozen=True)
class MappingSettings:
    """How to build the Starshipit order: which identifier is the order number (and which the
    reference), the default parcel and per-SKU weights, CartonCloud requested service ->
    Starshipit shipping method and carrier/service, the custom property holding delivery extras,
    the couriers that need a phone number, fallback currency."""

    order_number_source: OrderNumberSource = "customer_reference"
    default_package: PackageDefaults = PackageDefaults()
    shipping_methods: Mapping[str, str] = field(default_factory=dict)
    currency: str = "AUD"
    reference_source: ReferenceSource = "other_identifier"
    sku_packages: Mapping[str, SkuPackage] = field(default_factory=dict)
    carrier_services: Mapping[str, CarrierService] = field(default_factory=dict)
    extras_property: str | None = None
    phone_required_carriers: frozenset[str] = PHONE_REQUIRED_CARRIERS

    def __post_init__(self) -> None:
        if self.order_number_source not in get_args(OrderNumberSource):
            raise ValueError(
                f"order_number_source must be one of {get_args(OrderNumberSource)}, got {self.order_number_source!r}"
            )
        if not isinstance(self.default_package, PackageDefaults):
            raise ValueError("default_package must be a PackageDefaults")
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in self.shipping_methods.items()):
            raise ValueError("shipping_methods must map text to text")
        currency = currency_code(self.currency) if isinstance(self.currency, str) else None
        if currency is None:
            raise ValueError(f"currency must be a three-letter code such as 'AUD', got {self.currency!r}")
        if self.reference_source not in get_args(ReferenceSource):
            raise ValueError(
                f"reference_source must be one of {get_args(ReferenceSource)}, got {self.reference_source!r}"
            )
        if not all(isinstance(k, str) and isinstance(v, SkuPackage) for k, v in self.sku_packages.items()):
            raise ValueError("sku_packages must map SKUs to SkuPackage")
        if not all(isinstance(k, str) and isinstance(v, CarrierService) for k, v in self.carrier_services.items()):
            raise ValueError("carrier_services must map requested services to CarrierService")
        if self.extras_property is not None and (
            not isinstance(self.extras_property, str) or not self.extras_property.strip()
        ):
            raise ValueError("extras_property must be a custom property's name")
        # Frozen all the way down: one settings object is shared by every request thread.
        object.__setattr__(self, "shipping_methods", MappingProxyType(dict(self.shipping_methods)))
        object.__setattr__(self, "sku_packages", MappingProxyType(dict(self.sku_packages)))
        object.__setattr__(self, "carrier_services", MappingProxyType(dict(self.carrier_services)))
        object.__setattr__(self, "phone_required_carriers", frozenset(self.phone_required_carriers))
        object.__setattr__(self, "currency", currency)
