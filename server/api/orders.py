"""What labelbridge knows of a sale order, for the button's state when a page opens."""

from __future__ import annotations

from ..orders.identifiers import SaleOrderRef
from ..orders.resolver import IDENTIFIER_KINDS
from ..orders.void import last_voided
from ..schemas.labels import LookupQuerySchema, LookupResponseSchema
from .blueprint import api
from .operations import errors
from .presenters import lookup_response
from .services import print_service


@api.get("/orders/lookup")
@api.arguments(LookupQuerySchema, location="query")
@api.response(200, LookupResponseSchema, description="What labelbridge knows of the order.")
@errors(
    {
        404: "The sale order is not in CartonCloud.",
        409: "The identifier matches several sale orders.",
        422: "Give exactly one of `id`, `numeric_id`, `customer_reference`.",
        502: "CartonCloud refused the look-up, in its own words.",
        503: "CartonCloud is busy or down (with Retry-After), or the connection is not set up.",
    }
)
def lookup_order(query):
    """By ``numeric_id``, ``customer_reference`` or ``id``: answered from labelbridge's own record
    when it has one, else from CartonCloud."""
    ref = SaleOrderRef.from_mapping({k: str(v) for k, v in query.items() if k in IDENTIFIER_KINDS})
    service = print_service()
    found = service.lookup(ref)
    voided = last_voided(service.session, found.record) if found.label is None else None
    return lookup_response(found.record, found.label, found.writeback, voided, found.returned)
