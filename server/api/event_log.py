"""Reading the audit log."""
from __future__ import annotations

from collections.abc import Mapping

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import ApiError
from ..models import OrderEvent, SaleOrder
from ..validation import no_nul
from .schemas import ResponseSchema

MAX_EVENTS = 500


class AuditQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE  # other query parameters have always been ignored here

    sale_order = fields.String(validate=no_nul, metadata={"description": "UUID, numericId or customer reference; without it, admin only."})
    kind = fields.String(validate=no_nul, metadata={"description": "Only events of this kind (print, reprint, redo, written_back, …)."})
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1), metadata={"description": f"At most {MAX_EVENTS}."})


class AuditSaleOrderSchema(ResponseSchema):
    id = fields.String(required=True)
    numeric_id = fields.String(allow_none=True, required=True)
    customer_reference = fields.String(allow_none=True, required=True)


class AuditEventSchema(ResponseSchema):
    id = fields.Integer(required=True)
    at = fields.DateTime(required=True)
    kind = fields.String(required=True)
    actor = fields.String(allow_none=True, required=True, metadata={"description": "The token's name, or null."})
    sale_order = fields.Nested(AuditSaleOrderSchema, allow_none=True, required=True)
    detail = fields.Dict(keys=fields.String(), required=True)


class AuditLogSchema(ResponseSchema):
    events = fields.List(fields.Nested(AuditEventSchema), required=True, metadata={"description": "Oldest first."})


_events_query = AuditQuerySchema()


def sale_order_pks(session: Session, identifier: str) -> list[int]:
    """Records matching a UUID, numericId or customer reference, in any tenant."""
    query = select(SaleOrder.id).where(
        (SaleOrder.sale_order_id == identifier)
        | (SaleOrder.numeric_id == identifier)
        | (SaleOrder.customer_reference == identifier)
    )
    return list(session.scalars(query))


def event_dict(event: OrderEvent, sale_orders: Mapping[int, SaleOrder]) -> dict:
    record = sale_orders.get(event.sale_order_pk)
    return {
        "id": event.id,
        "at": event.at.isoformat(),
        "kind": event.kind,
        "actor": event.actor,
        "sale_order": None if record is None else {
            "id": record.sale_order_id, "numeric_id": record.numeric_id, "customer_reference": record.customer_reference,
        },
        "detail": event.detail,
    }  # fmt: skip


def events_response(session: Session, args: Mapping[str, str]) -> dict:
    try:
        limit = min(_events_query.load(args)["limit"], MAX_EVENTS)
    except ValidationError as error:
        raise ApiError(422, "validation_error", "limit must be a whole number, 1 or more.", errors=error.messages) from None
    query = select(OrderEvent).order_by(OrderEvent.id.desc()).limit(limit)
    if args.get("sale_order"):
        pks = sale_order_pks(session, args["sale_order"])
        if not pks:
            raise ApiError(404, "not_found", f"labelbridge has no history for sale order {args['sale_order']}.")
        query = query.where(OrderEvent.sale_order_pk.in_(pks))
    if args.get("kind"):
        query = query.where(OrderEvent.kind == args["kind"])
    events = list(session.scalars(query))
    pks = {event.sale_order_pk for event in events if event.sale_order_pk}
    records = {r.id: r for r in session.scalars(select(SaleOrder).where(SaleOrder.id.in_(pks)))} if pks else {}
    body = {"events": [event_dict(event, records) for event in reversed(events)]}
    session.commit()
    return body
