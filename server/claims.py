"""Claiming due rows of a work table (outbox jobs, inbox events) across any number of workers.

A row is due when queued and its time has come, or when a claim on it ran out (its worker
died). On PostgreSQL the due rows are chosen ``FOR UPDATE SKIP LOCKED``, so two workers claiming
at the same moment get different rows; SQLite serialises writers (BEGIN IMMEDIATE) to the same
end. Only their ids are chosen, sorted and locked: choosing whole rows sorted every due row with
its payload (15 MB on disk for a claim of 500 webhook deliveries out of 10,000 waiting, 37 ms
against 14); the claimed rows are then marked in one UPDATE and read by their ids.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

QUEUED, RUNNING = "queued", "running"
_NO_SYNC = {"synchronize_session": False}  # the rows are read after the UPDATE, as it left them
_FRESH = {"populate_existing": True}  # rows the session held before are read again, not kept as they were

Row = TypeVar("Row")


def claim_due(
    session: Session,
    model: type[Row],
    worker: str,
    now: datetime,
    claim: timedelta,
    limit: int,
    *where: Any,
    retake_own: bool = False,
) -> list[Row]:
    """Claim up to ``limit`` due rows of ``model`` (matching ``where``) for ``worker`` until
    ``now + claim``; commits. ``retake_own``: also the rows ``worker`` itself claimed and left
    (a pass that failed half way, say when the database dropped its connection), for callers
    that hold no claimed row in progress when they claim: they need not wait for the claim to run out."""
    due = [
        and_(model.state == QUEUED, model.next_attempt_at <= now),
        and_(model.state == RUNNING, model.claimed_until < now),
    ]
    if retake_own:
        due.append(and_(model.state == RUNNING, model.claimed_by == worker))
    order = (model.next_attempt_at, model.id)
    chosen = select(model.id).where(or_(*due), *where).order_by(*order).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        chosen = chosen.with_for_update(skip_locked=True)
    ids = list(session.scalars(chosen))
    if not ids:
        session.commit()
        return []
    claimed = {"state": RUNNING, "claimed_by": worker, "claimed_until": now + claim}
    session.execute(update(model).where(model.id.in_(ids)).values(**claimed), execution_options=_NO_SYNC)
    rows = list(session.scalars(select(model).where(model.id.in_(ids)).order_by(*order), execution_options=_FRESH))
    session.commit()
    return rows
