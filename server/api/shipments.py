"""Choosing the courier service before printing: the services Starshipit offers for an order."""

from __future__ import annotations

import uuid

from flask import current_app

from ..clients import get_upstreams
from ..openapi import operation
from ..orders.identifiers import SaleOrderRef
from ..orders.rates import RateMemory, quote
from ..schemas.rates import RatesResponseSchema
from .blueprint import api
from .labels import UPSTREAM_ERRORS
from .services import runtime_config

_rates_schema = RatesResponseSchema()
_MEMORY = "labelbridge.rate_memory"
NO_RATES = (
    "Starshipit offered no services for this order (some accounts answer none): "
    "Print label books the service the mapping rules pick."
)


def _ref(identifier: str) -> SaleOrderRef:
    """A UUID names the sale order, digits its numericId, anything else its customer reference."""
    try:
        return SaleOrderRef("id", str(uuid.UUID(identifier)))
    except ValueError:
        return SaleOrderRef(
            "numeric_id" if identifier.isascii() and identifier.isdigit() else "customer_reference", identifier
        )


def _memory() -> RateMemory:
    return current_app.extensions.setdefault(_MEMORY, RateMemory(current_app.config["RATES_KEEP_SECONDS"]))


@api.get("/orders/<identifier>/rates")
@operation(
    path={"identifier": "The sale order's UUID, numericId or customer reference."},
    responses={200: (RatesResponseSchema, "The services for the order's destination and packages.")},
    errors={
        404: "The sale order is not in CartonCloud.",
        409: "The customer reference matches several sale orders.",
        422: "The sale order cannot be shipped (each reason under `errors`), or its country is unknown.",
        **UPSTREAM_ERRORS,
    },
)
def order_rates(identifier: str):
    """The courier services Starshipit quotes for the sale order, the mapping rules' pick marked;
    kept 5 minutes per order, destination and packages. Books nothing."""
    found = quote(get_upstreams(current_app), runtime_config(), _memory(), _ref(identifier))
    return _rates_schema.dump(
        {
            "rates": found.rates,
            "rules_choice": found.rules_choice,
            "cached": found.cached,
            "message": None if found.rates else NO_RATES,
        }
    )
