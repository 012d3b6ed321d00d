"""Troubleshooting: an order's preview (how it maps to Starshipit and what is wrong), its
history, and the import of the per-SKU weights table from CSV."""

from __future__ import annotations

from flask import current_app, g, request
from sqlalchemy import select

from .. import settings
from ..audit_log import event_dict, sale_order_pks
from ..clients import get_upstreams
from ..db import get_session
from ..errors import ApiError
from ..mapping.sku_csv import read_sku_csv
from ..models import OrderEvent, SaleOrder
from ..openapi import operation
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
from .auth import require_admin
from .blueprint import api
from .bodies import load_json, text_body
from .services import runtime_config

_lookup_query, _events_query = LookupQuerySchema(), EventsQuerySchema()
_preview_schema, _events_schema = PreviewResponseSchema(), OrderEventsResponseSchema()
_import_request, _import_response = SkuImportRequestSchema(), SkuImportResponseSchema()


_PREVIEW_ERRORS = {
    404: "The sale order is not in CartonCloud.",
    502: "CartonCloud refused, in its own words, or did not accept labelbridge's keys.",
    503: "CartonCloud is busy or down (with Retry-After), or the connection is not set up.",
}


@api.get("/orders/<uuid:sale_order_id>/preview")
@operation(
    responses={200: (PreviewResponseSchema, "How the order maps to Starshipit, and what is wrong.")},
    errors=_PREVIEW_ERRORS,
)
def preview_order(sale_order_id):
    """The preview of the sale order with this UUID. Creates nothing in Starshipit.
    Errors: 404 unknown sale order, 502/503 CartonCloud refused or down."""
    return _preview(SaleOrderRef("id", str(sale_order_id)))


@api.get("/orders/preview")
@operation(
    query=LookupQuerySchema,
    responses={200: (PreviewResponseSchema, "How the order maps to Starshipit.")},
    errors={
        **_PREVIEW_ERRORS,
        409: "The identifier matches several sale orders.",
        422: "Give exactly one of `id`, `numeric_id`, `customer_reference`.",
    },
)
def preview_order_by_query():
    """The preview by ``numeric_id``, ``customer_reference`` or ``id``. Errors: 422 bad query,
    404 unknown sale order, 409 a reference matching several orders, 502/503 upstream."""
    query = _lookup_query.load(request.args.to_dict())
    return _preview(SaleOrderRef.from_mapping({k: str(v) for k, v in query.items() if k in IDENTIFIER_KINDS}))


def _preview(ref: SaleOrderRef) -> dict:
    upstreams, config = get_upstreams(current_app), runtime_config()
    sale_order = fetch_sale_order(upstreams.cartoncloud(), ref)

    def starshipit():
        return upstreams.starshipit(upstreams.accounts().route(sale_order))

    preview = build_preview(sale_order, mapping_settings(config), starshipit if config["VALIDATE_ADDRESSES"] else None)
    return _preview_schema.dump(preview)


@api.get("/orders/<identifier>/events")
@operation(
    query=EventsQuerySchema,
    path={"identifier": "The sale order's UUID, numericId or customer reference."},
    responses={200: (OrderEventsResponseSchema, "The order's events, oldest first.")},
)
def order_events(identifier: str):
    """Everything that happened to the sale order (UUID, numericId or customer reference),
    oldest first; an empty list when labelbridge has never handled it. 422 for a bad ``limit``."""
    limit = _events_query.load(request.args.to_dict())["limit"]
    session = get_session()
    pks = sale_order_pks(session, identifier)
    query = select(OrderEvent).where(OrderEvent.sale_order_pk.in_(pks)).order_by(OrderEvent.id.desc()).limit(limit)
    events = list(session.scalars(query)) if pks else []
    records = {r.id: r for r in session.scalars(select(SaleOrder).where(SaleOrder.id.in_(pks)))} if pks else {}
    body = _events_schema.dump(
        {
            "sale_order": records[min(records)] if records else None,
            "events": [event_dict(event, records) for event in reversed(events)],
        }
    )
    session.commit()
    return body


@api.post("/settings/sku-packages/import")
@operation(
    admin=True,
    request=SkuImportRequestSchema,
    request_text=("text/csv",),
    query=SkuImportQuerySchema,
    responses={200: (SkuImportResponseSchema, "The table after the import.")},
    errors={422: "Rows of the CSV are invalid (each by its line under `errors`); nothing was imported."},
)
def import_sku_packages():
    """Per-SKU weights and sizes from CSV (admin): JSON ``{csv, replace?}`` or a ``text/csv``
    body (``?replace=true``). All or nothing: 422 lists every bad row by its line."""
    require_admin()
    if request.mimetype == "text/csv":
        body = _import_request.load({"csv": text_body(), "replace": request.args.get("replace", "false")})
    else:
        body = load_json(_import_request)
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
    current = {} if body["replace"] else dict(settings.current(session, current_app.config)["sku_packages"] or {})
    saved = settings.update(session, current_app.config, {"sku_packages": {**current, **table.rows}}, g.token_name)
    return _import_response.dump(
        {"imported": len(table.rows), "total": len(saved["sku_packages"]), "sku_packages": saved["sku_packages"]}
    )
