"""The audit log: per-order history (prints, reprints, redos, writeback attempts, upstream errors)
and the events that belong to no order (settings changes, refused tokens)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from . import event_queue
from .models import OrderEvent, SaleOrder, utcnow

_when_queued: list[Callable[[str, SaleOrder | None], None]] = []
_when_recorded: list[Callable[[Session, list[dict[str, Any]]], None]] = []
_INSERT = insert(OrderEvent.__table__)


def record_event(session: Session, record: SaleOrder | None, kind: str, actor: str | None, **detail: Any) -> None:
    """Add an event to the session; it is committed with the change it describes (after any
    this process queued before it, server/event_queue.py)."""
    event_queue.take_into(session)
    session.add(OrderEvent(**_row(record, kind, actor, detail)))


def record_events(session: Session, events: list[tuple[SaleOrder | None, str, str | None, dict[str, Any]]]) -> None:
    """``record_event`` for each ``(record, kind, actor, detail)``, in one INSERT sent now in the
    session's transaction: a bulk import's fifty events, or a print's, without an object and a
    flush each (Core: 40 µs against the ORM's bulk insert's 100). Counted for the metrics as
    they are written (``when_recorded``). No events: nothing is written."""
    if not events:
        return
    event_queue.take_into(session)
    session.flush()  # the rows queued before them, and the records they name, go first
    rows = [_row(*event) for event in events]
    session.connection().execute(_INSERT, rows)
    for listener in _when_recorded:
        listener(session, rows)


def queue_event(session: Session, record: SaleOrder | None, kind: str, actor: str | None, **detail: Any) -> None:
    """An event that changes nothing else (a reprint): queued by the process and written within
    AUDIT_BATCH_SECONDS (server/event_queue.py), or added to the session when the process does not
    batch (0)."""
    queue = event_queue.queue_for(session)
    if queue is None:
        record_event(session, record, kind, actor, **detail)
        return
    queue.put({**_row(record, kind, actor, detail), "at": utcnow()})
    for listener in _when_queued:
        listener(kind, record)


def _row(record: SaleOrder | None, kind: str, actor: str | None, detail: dict[str, Any]) -> dict[str, Any]:
    """An event's columns (its time is the column's default, or the queue's)."""
    return {"sale_order_pk": record.id if record else None, "kind": kind, "actor": actor, "detail": detail}


def when_queued(listener: Callable[[str, SaleOrder | None], None]) -> None:
    """Call ``listener(kind, record)`` for each event queued (it is committed later, elsewhere)."""
    if listener not in _when_queued:
        _when_queued.append(listener)


def when_recorded(listener: Callable[[Session, list[dict[str, Any]]], None]) -> None:
    """Call ``listener(session, rows)`` for the rows ``record_events`` writes in the session's
    transaction (which may still roll back)."""
    if listener not in _when_recorded:
        _when_recorded.append(listener)
