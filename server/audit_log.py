"""Reading the audit log: everything (newest last), or one sale order's history."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import event_queue
from .failures import NotFound
from .models import OrderEvent, SaleOrder

MAX_EVENTS = 500


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
        "sale_order": None
        if record is None
        else {
            "id": record.sale_order_id,
            "numeric_id": record.numeric_id,
            "customer_reference": record.customer_reference,
        },
        "detail": event.detail,
    }


def read_events(session: Session, *, sale_order: str | None = None, kind: str | None = None, limit: int = 100) -> dict:
    """The last ``limit`` events (at most MAX_EVENTS), oldest first: of ``sale_order`` (UUID,
    numericId or customer reference; NotFound when labelbridge has no history of it), of ``kind``.
    What this process has queued (server/event_queue.py) is written first."""
    event_queue.flush_all()
    query = select(OrderEvent).order_by(OrderEvent.id.desc()).limit(min(limit, MAX_EVENTS))
    if sale_order:
        pks = sale_order_pks(session, sale_order)
        if not pks:
            raise NotFound("not_found", f"labelbridge has no history for sale order {sale_order}.")
        query = query.where(OrderEvent.sale_order_pk.in_(pks))
    if kind:
        query = query.where(OrderEvent.kind == kind)
    events = list(session.scalars(query))
    pks = {event.sale_order_pk for event in events if event.sale_order_pk}
    records = {r.id: r for r in session.scalars(select(SaleOrder).where(SaleOrder.id.in_(pks)))} if pks else {}
    body = {"events": [event_dict(event, records) for event in reversed(events)]}
    session.commit()
    return body


def order_history(session: Session, identifier: str, limit: int) -> dict:
    """One sale order's last ``limit`` events, oldest first, with its record (None and no events
    when labelbridge has never handled it). What this process has queued is written first, so a
    reprint just answered is in it."""
    event_queue.flush_all()
    pks = sale_order_pks(session, identifier)
    if not pks:
        return {"sale_order": None, "events": []}
    latest = select(OrderEvent).where(OrderEvent.sale_order_pk.in_(pks)).order_by(OrderEvent.id.desc())
    events = list(session.scalars(latest.limit(limit)))
    records = {r.id: r for r in session.scalars(select(SaleOrder).where(SaleOrder.id.in_(pks)))}
    session.commit()
    return {
        "sale_order": records[min(records)],
        "events": [event_dict(event, records) for event in reversed(events)],
    }
