"""Troubleshooting: an order's preview (how it maps to Starshipit and what is wrong), its
history, and the import of the per-SKU weights table from CSV."""

from __future__ import annotations

from flask import current_app, g, request

from .. import settings
from ..audit_log import order_history
from ..clients import get_upstreams
from ..db import get_session
from ..errors import ApiError
from ..mapping.sku_csv import read_sku_csv
from ..orders.identifiers import SaleOrderRef
from ..orders.resolver import IDENTIFIER_KINDS, fetch_sale_order
from ..orders.settings import mapping_settings
from ..schemas.labels import LookupQuerySchema
from ..schemas.troubleshooting import (
    EventsQuerySchema,
    OrderEventsResponseSchema,
    PreviewResponseSchema,
    SkuImportQuerySchema,
    SkuImportRequestSchema,
    SkuImportResponseSchema,
)
from ..troubleshooting.preview import build_preview
from .auth import admin_only
from .blueprint import api
from .operations import errors, path_parameter
from .parser import CSV
from .services import runtime_config

_PREVIEW_ERRORS = {
    404: "The sale order is not in CartonCloud.",
    502: "CartonCloud refused, in its own words, or did not accept labelbridge's keys.",
    503: "CartonCloud is busy or down (with Retry-After), or the connection is not set up.",
}


@api.get("/orders/<uuid:sale_order_id>/preview")
@api.response(200, PreviewResponseSchema, description="How the order maps to Starshipit, and what is wrong.")
@errors(_PREVIEW_ERRORS)
def preview_order(sale_order_id):
    """The preview of the sale order with this UUID. Creates nothing in Starshipit."""
    return _preview(SaleOrderRef("id", str(sale_order_id)))


@api.get("/orders/preview")
@api.arguments(LookupQuerySchema, location="query")
@api.response(200, PreviewResponseSchema, description="How the order maps to Starshipit.")
@errors(
    {
        **_PREVIEW_ERRORS,
        409: "The identifier matches several sale orders.",
        422: "Give exactly one of `id`, `numeric_id`, `customer_reference`.",
    }
)
def preview_order_by_query(query):
    """The preview by ``numeric_id``, ``customer_reference`` or ``id``."""
    return _preview(SaleOrderRef.from_mapping({k: str(v) for k, v in query.items() if k in IDENTIFIER_KINDS}))


def _preview(ref: SaleOrderRef) -> dict:
    upstreams, config = get_upstreams(current_app), runtime_config()
    sale_order = fetch_sale_order(upstreams.cartoncloud(), ref)

    def starshipit():
        return upstreams.starshipit(upstreams.accounts().route(sale_order))

    return build_preview(sale_order, mapping_settings(config), starshipit if config["VALIDATE_ADDRESSES"] else None)


@api.get(
    "/orders/<identifier>/events",
    parameters=[path_parameter("identifier", "The sale order's UUID, numericId or customer reference.")],
)
@api.arguments(EventsQuerySchema, location="query")
@api.response(200, OrderEventsResponseSchema, description="The order's events, oldest first.")
def order_events(query, identifier: str):
    """Everything that happened to the sale order (UUID, numericId or customer reference),
    oldest first; an empty list when labelbridge has never handled it."""
    return order_history(get_session(), identifier, query["limit"])


@api.post("/settings/sku-packages/import")
@api.arguments(SkuImportQuerySchema, location="query")
@api.arguments(SkuImportRequestSchema, location="json_or_csv")
@api.doc(requestBody={"content": {CSV: {"schema": {"type": "string"}}}})
@api.response(200, SkuImportResponseSchema, description="The table after the import.")
@errors({422: "Rows of the CSV are invalid (each by its line under `errors`); nothing was imported."})
@admin_only
def import_sku_packages(query, body):
    """Per-SKU weights and sizes from CSV (admin): JSON ``{csv, replace?}`` or a ``text/csv``
    body (``?replace=true``). All or nothing: every bad row is listed by its line."""
    replace = query.get("replace", False) if request.mimetype == CSV else body["replace"]
    table = read_sku_csv(body["csv"])
    if table.errors:
        bad = len(table.errors)
        raise ApiError(
            422,
            "invalid_csv",
            f"{bad} {'row is' if bad == 1 else 'rows are'} invalid; nothing was imported. "
            "Fix the lines listed and import the file again.",
            errors=table.errors,
        )
    session = get_session()
    current = {} if replace else dict(settings.current(session, current_app.config)["sku_packages"] or {})
    saved = settings.update(session, current_app.config, {"sku_packages": {**current, **table.rows}}, g.token_name)
    return {"imported": len(table.rows), "total": len(saved["sku_packages"]), "sku_packages": saved["sku_packages"]}
