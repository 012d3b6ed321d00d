"""CartonCloud sale order -> Starshipit order: the public entry points.

Pure: no I/O, no clock, same input same output. One pass (`_map`) finds the order and every
issue, so `build_starshipit_order` and `blocking_issues` can never disagree.
"""

from collections.abc import Mapping
from datetime import datetime

from server.mapping.destination import build_destination
from server.mapping.extras import build_extras
from server.mapping.issues import IssueLog, MappingIssue, UnshippableOrder
from server.mapping.items import build_items
from server.mapping.limits import fit
from server.mapping.packages import build_packages
from server.mapping.settings import MappingSettings, OrderNumberSource
from server.mapping.values import currency_code, dig, text, without_empty

# Which CartonCloud reference each order number source reads, and what a packer calls it.
_IDENTIFIERS: dict[OrderNumberSource, tuple[str, str]] = {
    "customer_reference": ("customer", "customer reference"),
    "numeric_id": ("numericId", "numeric id"),
}

_UNSHIPPABLE_STATUSES = {
    "DRAFT": "The sale order is still a draft in CartonCloud (status DRAFT): submit it before shipping.",
    "REJECTED": "The sale order was rejected in CartonCloud (status REJECTED), so it cannot be shipped.",
}


def build_starshipit_order(
    sale_order: dict, settings: MappingSettings = MappingSettings()
) -> tuple[dict, list[MappingIssue]]:
    """The body of Starshipit's `{"order": ...}` and the non-blocking warnings.

    Raises UnshippableOrder listing every blocking issue when the order cannot be shipped.
    """
    order, log = _map(sale_order, settings)
    if log.blocking:
        raise UnshippableOrder(log.blocking)
    return order, log.warnings


def blocking_issues(sale_order: dict, settings: MappingSettings = MappingSettings()) -> list[MappingIssue]:
    """Every reason the sale order cannot be shipped; empty when it can."""
    return _map(sale_order, settings)[1].blocking


def preview_starshipit_order(
    sale_order: dict, settings: MappingSettings = MappingSettings()
) -> tuple[dict, list[MappingIssue], list[MappingIssue]]:
    """The Starshipit order as far as it maps, the blocking issues and the warnings: what a
    preview shows, even for an order that cannot be shipped."""
    order, log = _map(sale_order, settings)
    return order, log.blocking, log.warnings


def order_number_for(sale_order: dict, settings: MappingSettings) -> str:
    """The Starshipit order number for a sale order (the key to find it in Starshipit again).

    Raises UnshippableOrder when the chosen identifier is missing or over Starshipit's limit.
    """
    log = IssueLog()
    order_number = _order_number(sale_order, settings, log)
    if order_number is None:
        raise UnshippableOrder(log.blocking)
    return order_number


def _map(sale_order: dict, settings: MappingSettings) -> tuple[dict, IssueLog]:
    log = IssueLog()
    if not isinstance(sale_order, Mapping):
        log.block(
            "", "not_an_object", "The sale order data from CartonCloud is not an order object, so it cannot be read."
        )
        return {}, log
    _check_status(sale_order, log)
    order = {
        "order_number": _order_number(sale_order, settings, log),
        "reference": _reference(sale_order, settings, log),
        "order_date": _order_date(sale_order, log),
        **_shipping(sale_order, settings, log),
        "currency": _currency(sale_order, settings, log),
        "destination": build_destination(sale_order, log),
        "items": build_items(sale_order, log),
        "packages": build_packages(sale_order, settings, log),
        **build_extras(sale_order, settings, log),
    }
    _check_phone_for_carrier(order, settings, log)
    return without_empty(order), log


def _check_phone_for_carrier(order: dict, settings: MappingSettings, log: IssueLog) -> None:
    """Some couriers refuse a parcel they cannot phone about: block before Starshipit does."""
    carrier = order.get("carrier")
    needs_phone = {name.casefold() for name in settings.phone_required_carriers}
    if carrier and carrier.casefold() in needs_phone and not order["destination"].get("phone"):
        log.block(
            "details.deliver.address.phone",
            "no_phone_for_carrier",
            f"The courier {carrier} needs the recipient's phone number, and the delivery address has none: "
            "add one in CartonCloud.",
        )


def _check_status(sale_order: dict, log: IssueLog) -> None:
    status = text(dig(sale_order, "status"))
    message = _UNSHIPPABLE_STATUSES.get(status.upper()) if status else None
    if message:
        log.block("status", "status_not_shippable", message)


def _order_number(sale_order: object, settings: MappingSettings, log: IssueLog) -> str | None:
    """The chosen identifier, whole: an order number is how the order is found again, so it is
    never cut, and a missing or over-long one blocks."""
    key, name = _IDENTIFIERS[settings.order_number_source]
    field = f"references.{key}"
    order_number = text(dig(sale_order, "references", key))
    if order_number is None:
        log.block(
            field,
            "no_order_number",
            f"The sale order has no {name}, and the Starshipit order number is taken from it: add one in CartonCloud.",
        )
    return fit(order_number, "order_number", field, log)


def _reference(sale_order: dict, settings: MappingSettings, log: IssueLog) -> str | None:
    """The configured identifier; by default the one the order number is not, so both can be
    found in Starshipit."""
    source = settings.reference_source
    if source == "none":
        return None
    if source == "other_identifier":
        source = "numeric_id" if settings.order_number_source == "customer_reference" else "customer_reference"
    key, _ = _IDENTIFIERS[source]
    return fit(text(dig(sale_order, "references", key)), "reference", f"references.{key}", log)


def _order_date(sale_order: dict, log: IssueLog) -> str | None:
    """The CartonCloud creation time as ISO-8601, keeping its UTC offset."""
    created = text(dig(sale_order, "timestamps", "created", "time"))
    if created is None:
        return None
    try:
        return datetime.fromisoformat(created).isoformat()
    except ValueError:
        log.warn(
            "timestamps.created.time",
            "bad_order_date",
            f"The sale order's created time '{created}' is not a date; the Starshipit order is sent without one.",
        )
        return None


def _shipping(sale_order: dict, settings: MappingSettings, log: IssueLog) -> dict:
    """Starshipit's shipping method from the requested service (through the configured table,
    as written when unmapped); the requested service itself is the description people read."""
    field = "details.deliver.method.requestedService"
    service = text(dig(sale_order, "details", "deliver", "method", "requestedService"))
    if service is None:
        return {}
    # Matched ignoring case: the table is typed by people, the service picked in CartonCloud.
    wanted = service.casefold()
    method = next(
        (method for known, method in settings.shipping_methods.items() if known.strip().casefold() == wanted),
        service,
    )
    rule = next((rule for known, rule in settings.carrier_services.items() if known.strip().casefold() == wanted), None)
    return {
        "shipping_method": fit(method, "shipping_method", field, log),
        "shipping_description": fit(service, "shipping_description", field, log),
        **({"carrier": rule.carrier, "carrier_service_code": rule.service_code} if rule else {}),
    }


def _currency(sale_order: dict, settings: MappingSettings, log: IssueLog) -> str | None:
    """The order's currency, else the configured one. A garbled code is left out (Starshipit
    then uses the account's currency) rather than replaced by a guess."""
    given = text(dig(sale_order, "details", "invoiceValue", "currency"))
    if given is None:
        return settings.currency
    currency = currency_code(given)
    if currency is None:
        log.warn(
            "details.invoiceValue.currency",
            "bad_currency",
            f"The order's currency '{given}' is not a three-letter currency code; "
            "it is left out of the Starshipit order.",
        )
    return currency
