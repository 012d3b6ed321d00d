"""The audit log: per-order history (prints, reprints, redos, writeback attempts, upstream errors)
and the events that belong to no order (settings changes, refused tokens)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from .models import OrderEvent, SaleOrder


def record_event(session: Session, record: SaleOrder | None, kind: str, actor: str | None, **detail: Any) -> None:
    """Add an event to the session; it is committed with the change it describes."""
    session.add(OrderEvent(sale_order_pk=record.id if record else None, kind=kind, actor=actor, detail=detail))
