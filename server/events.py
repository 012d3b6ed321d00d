"""Per-order history: every print, reprint, redo, writeback attempt and upstream error."""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from .models import OrderEvent, SaleOrder


def record_event(session: Session, record: SaleOrder, kind: str, actor: str | None, **detail: Any) -> None:
    """Add an event to the session; it is committed with the change it describes."""
    session.add(OrderEvent(sale_order_pk=record.id, kind=kind, actor=actor, detail=detail))
