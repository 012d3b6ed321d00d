"""The mapping settings (``server/mapping``'s input) from the app's config and saved settings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..mapping import CarrierService, MappingSettings, PackageDefaults, SkuPackage


def mapping_settings(config: Mapping[str, Any]) -> MappingSettings:
    return MappingSettings(
        order_number_source=config["ORDER_NUMBER_SOURCE"],
        default_package=PackageDefaults(
            weight_kg=config["DEFAULT_PACKAGE_WEIGHT_KG"],
            length_m=config["DEFAULT_PACKAGE_LENGTH_M"],
            width_m=config["DEFAULT_PACKAGE_WIDTH_M"],
            height_m=config["DEFAULT_PACKAGE_HEIGHT_M"],
        ),
        shipping_methods=config["SHIPPING_METHODS"],
        reference_source=config["REFERENCE_SOURCE"],
        sku_packages={sku: SkuPackage(**unit) for sku, unit in config["SKU_PACKAGES"].items()},
        carrier_services={service: CarrierService(**rule) for service, rule in config["CARRIER_SERVICES"].items()},
        extras_property=config["EXTRAS_PROPERTY"],
        phone_required_carriers=frozenset(config["PHONE_REQUIRED_CARRIERS"]),
    )
