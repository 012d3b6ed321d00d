"""Choosing the courier service before printing: the services Starshipit offers for an order."""

from __future__ import annotations

from flask import current_app

from ..cache import get_cache
from ..clients import get_upstreams
from ..orders.identifiers import SaleOrderRef
from ..orders.rates import quote
from ..schemas.rates import RatesResponseSchema
from .blueprint import api
from .labels import UPSTREAM_ERRORS
from .operations import errors, path_parameter
from .services import runtime_config

NO_RATES = (
    "Starshipit offered no services for this order (some accounts answer none): "
    "Print label books the service the mapping rules pick."
)


@api.get(
    "/orders/<identifier>/rates",
    parameters=[path_parameter("identifier", "The sale order's UUID, numericId or customer reference.")],
)
@api.response(200, RatesResponseSchema, description="The services for the order's destination and packages.")
@errors(
    {
        404: "The sale order is not in CartonCloud.",
        409: "The customer reference matches several sale orders.",
        422: "The sale order cannot be shipped (each reason under `errors`), or its country is unknown.",
        **UPSTREAM_ERRORS,
    }
)
def order_rates(identifier: str):
    """The courier services Starshipit quotes for the sale order, the mapping rules' pick marked;
    kept 5 minutes per order, destination and packages. Books nothing."""
    ref = SaleOrderRef.from_identifier(identifier)
    found = quote(get_upstreams(current_app), runtime_config(), get_cache(current_app), ref)
    return {
        "rates": found.rates,
        "rules_choice": found.rules_choice,
        "cached": found.cached,
        "message": None if found.rates else NO_RATES,
    }
