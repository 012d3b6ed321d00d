"""Claiming due rows of a work table (outbox jobs, inbox events) across any number of workers.

A row is due when queued and its time has come, or when a claim on it ran out (its worker
died). On PostgreSQL the rows are read ``FOR UPDATE SKIP LOCKED``, so two workers claiming at
the same moment get different rows; SQLite serialises writers (BEGIN IMMEDIATE) to the same end.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

QUEUED, RUNNING = "queued", "running"

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
    query = select(model).where(or_(*due), *where).order_by(model.next_attempt_at, model.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    rows = list(session.scalars(query))
    for row in rows:
        row.state, row.claimed_by, row.claimed_until = RUNNING, worker, now + claim
    session.commit()
    return rows
