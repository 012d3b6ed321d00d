"""Which CartonCloud field each Starshipit order field comes from, so a preview can show the
mapping field by field. Kept beside the mapping it describes; a field whose value comes from
the settings (the parcel) names the setting instead."""

import re

from server.mapping.items import COUNTRY_OF_ORIGIN_PROPERTY, TARIFF_CODE_PROPERTY
from server.mapping.settings import MappingSettings

_ADDRESS = "details.deliver.address"
_IDENTIFIER_PATHS = {"customer_reference": "references.customer", "numeric_id": "references.numericId"}
_SERVICE = "details.deliver.method.requestedService"

# Starshipit field (``{n}``: an item's or parcel's position) -> CartonCloud fields, first wins.
_SOURCES: dict[str, tuple[str, ...]] = {
    "order_date": ("timestamps.created.time",),
    "shipping_method": (_SERVICE,),
    "shipping_description": (_SERVICE,),
    "carrier": (_SERVICE,),
    "carrier_service_code": (_SERVICE,),
    "currency": ("details.invoiceValue.currency",),
    "destination.name": (f"{_ADDRESS}.contactName", f"{_ADDRESS}.companyName"),
    "destination.company": (f"{_ADDRESS}.companyName",),
    "destination.street": (f"{_ADDRESS}.address1",),
    "destination.building": (f"{_ADDRESS}.address2",),
    "destination.suburb": (f"{_ADDRESS}.suburb",),
    "destination.city": (f"{_ADDRESS}.city",),
    "destination.state": (f"{_ADDRESS}.state.code", f"{_ADDRESS}.state.name"),
    "destination.post_code": (f"{_ADDRESS}.postcode",),
    "destination.phone": (f"{_ADDRESS}.phone",),
    "destination.email": (f"{_ADDRESS}.email",),
    "destination.country": (f"{_ADDRESS}.country.iso2Code", f"{_ADDRESS}.country.iso3Code", f"{_ADDRESS}.country.name"),
    "destination.delivery_instructions": ("details.deliver.instructions", "details.instructions"),
    "items.{n}.description": ("items.{n}.details.product.name",),
    "items.{n}.sku": ("items.{n}.details.product.references.code",),
    "items.{n}.quantity": ("items.{n}.measures.quantity",),
    "items.{n}.value": ("items.{n}.details.approximateUnitPrice.amount",),
    "items.{n}.tariff_code": (f"items.{{n}}.properties.{TARIFF_CODE_PROPERTY}",),
    "items.{n}.country_of_origin": (f"items.{{n}}.properties.{COUNTRY_OF_ORIGIN_PROPERTY}",),
}
_FROM_SETTINGS = "settings: SKU table or default parcel"
_POSITION = re.compile(r"\.(\d+)\.")


def source_fields(starshipit_field: str, settings: MappingSettings) -> tuple[str, ...]:
    """The CartonCloud fields (dotted paths) a Starshipit field is read from; () when none.

    Raises nothing: an unknown field simply has no source."""
    if starshipit_field == "order_number":
        return (_IDENTIFIER_PATHS[settings.order_number_source],)
    if starshipit_field == "reference":
        source = settings.reference_source
        if source == "other_identifier":
            source = "numeric_id" if settings.order_number_source == "customer_reference" else "customer_reference"
        return (_IDENTIFIER_PATHS[source],) if source in _IDENTIFIER_PATHS else ()
    if starshipit_field == "signature_required":
        return (f"properties.{settings.extras_property}",) if settings.extras_property else ()
    if starshipit_field.startswith("packages."):
        return (_FROM_SETTINGS,)
    position = _POSITION.search(starshipit_field)
    pattern = _POSITION.sub(".{n}.", starshipit_field, count=1) if position else starshipit_field
    paths = _SOURCES.get(pattern, ())
    return tuple(path.replace("{n}", position.group(1)) for path in paths) if position else paths
