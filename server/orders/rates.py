"""The courier services Starshipit offers for one sale order: its mapped destination and
packages sent to Starshipit's rates, the answer kept for a while, the rules' pick marked.

Rates are a quote (no shipment is booked), so this path takes no order lock and records
nothing. Starshipit documents each rate as ``{service_name, service_code, total_price}``;
answers that also name the carrier, the currency or a delivery estimate are read too, and an
account may answer no rates at all (``rates`` is then empty and printing uses the rules).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..cache import ProcessCache
from ..clients import Upstreams
from ..countries import country_code
from ..failures import Invalid, from_upstream
from ..http.errors import UpstreamError
from ..mapping import UnshippableOrder, build_starshipit_order
from .identifiers import SaleOrderRef
from .resolver import fetch_sale_order
from .service import not_shippable
from .settings import mapping_settings

_ETA_FIELDS = ("eta", "estimated_delivery", "estimated_delivery_date", "transit_time", "delivery_days")
_DESTINATION_FIELDS = ("street", "suburb", "city", "state", "post_code")


@dataclass(frozen=True)
class Rate:
    carrier: str | None
    carrier_name: str | None
    service_name: str
    carrier_service_code: str
    price: float | None
    currency: str | None
    eta: str | None
    rules_choice: bool


@dataclass(frozen=True)
class Quote:
    sale_order: dict[str, Any]
    rates: list[Rate]
    rules_choice: dict[str, str | None] | None  # the mapping rules' carrier and service; None: Starshipit's default
    cached: bool


def quote(upstreams: Upstreams, config: Mapping[str, Any], cache: ProcessCache, ref: SaleOrderRef) -> Quote:
    """The services for the sale order ``ref`` names, Starshipit's answer kept by the process
    for ``RATES_KEEP_SECONDS`` (a quote is cheap to ask again, so processes do not share it).
    Raises NotFound, Invalid (not shippable, or no country Starshipit knows) and the upstream
    failures in words."""
    sale_order = fetch_sale_order(upstreams.cartoncloud(), ref)
    try:
        order, _warnings = build_starshipit_order(sale_order, mapping_settings(config))
    except UnshippableOrder as unshippable:
        raise not_shippable(unshippable) from None
    destination = _rates_destination(order["destination"])
    packages, currency = order.get("packages") or [], order.get("currency")
    key = json.dumps([sale_order.get("id"), destination, packages, currency], sort_keys=True, default=str)
    asked = []

    def ask_starshipit() -> list[dict]:
        asked.append(key)
        starshipit = upstreams.starshipit(upstreams.accounts().route(sale_order))
        try:
            return starshipit.rates(destination, packages, currency)
        except UpstreamError as error:
            raise from_upstream(error, "quoting the services") from error

    answered = cache.timed(("rates", key), ask_starshipit, seconds=config["RATES_KEEP_SECONDS"])
    cached = not asked
    rules = _rules_choice(order)
    rates = [rate for row in answered if (rate := _read_rate(row, currency, rules)) is not None]
    return Quote(sale_order, rates, rules, cached)


def _rates_destination(destination: Mapping[str, Any]) -> dict[str, Any]:
    """The rates call's destination: the address fields and an ISO ``country_code`` (the order
    itself carries the country's name)."""
    code = country_code(destination.get("country") or "")
    if code is None:
        raise Invalid(
            "unknown_country",
            f"No rates: Starshipit needs a country code, and '{destination.get('country')}' is not a known country.",
        )
    fields = {key: destination[key] for key in _DESTINATION_FIELDS if destination.get(key)}
    return {**fields, "country_code": code}


def _rules_choice(order: Mapping[str, Any]) -> dict[str, str | None] | None:
    code = order.get("carrier_service_code")
    return {"carrier": order.get("carrier"), "carrier_service_code": code} if code else None


def _read_rate(row: Mapping[str, Any], currency: str | None, rules: Mapping[str, Any] | None) -> Rate | None:
    """One rate in either reading; a row without a service code cannot be booked and is left out."""
    code = _text(row.get("service_code") or row.get("carrier_service_code"))
    if code is None:
        return None
    carrier = _text(row.get("carrier"))
    chosen = rules is not None and code.casefold() == str(rules["carrier_service_code"]).casefold()
    if chosen and carrier and rules.get("carrier"):
        chosen = carrier.casefold() == str(rules["carrier"]).casefold()
    return Rate(
        carrier=carrier,
        carrier_name=_text(row.get("carrier_name")),
        service_name=_text(row.get("service_name")) or code,
        carrier_service_code=code,
        price=_price(row.get("total_price")),
        currency=_text(row.get("currency")) or currency,
        eta=next((text for name in _ETA_FIELDS if (text := _text(row.get(name))) is not None), None),
        rules_choice=chosen,
    )


def _text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    text = str(value).strip()
    return text or None


def _price(value: Any) -> float | None:
    """A number, or numeric text; anything else (missing without ``include_pricing``) is None."""
    if isinstance(value, bool):
        return None
    try:
        return float(value) if value is not None and str(value).strip() else None
    except ValueError:
        return None
