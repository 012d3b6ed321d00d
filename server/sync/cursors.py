"""Pollers' cursors, kept in the database so a restart (or another worker) carries on from them.

A poll reads from ``position - overlap`` so nothing committed late or stamped by a clock a
little behind falls in a gap; what it reads twice is processed idempotently. One worker at a
time holds a cursor's lease (renewed while it pages, expiring if it dies), so several workers
share the polling instead of each repeating it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..models import SyncCursor


def lease(session: Session, name: str, owner: str, now: datetime, hold: timedelta, *, force: bool) -> SyncCursor | None:
    """Take the cursor for ``hold`` when it is free and due (or ``force``); None otherwise. Commits."""
    _ensure(session, name)
    conditions = [SyncCursor.name == name, or_(SyncCursor.lease_until.is_(None), SyncCursor.lease_until < now)]
    if not force:
        conditions.append(or_(SyncCursor.next_run_at.is_(None), SyncCursor.next_run_at <= now))
    taken = session.execute(
        update(SyncCursor)
        .where(*conditions)
        .values(lease_owner=owner, lease_until=now + hold, last_started_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.commit()
    if not taken:
        return None
    cursor = session.scalar(select(SyncCursor).where(SyncCursor.name == name).execution_options(populate_existing=True))
    session.commit()
    return cursor


def renew(session: Session, name: str, owner: str, now: datetime, hold: timedelta) -> None:
    """Keep the lease while a long poll pages on. Commits."""
    session.execute(
        update(SyncCursor)
        .where(SyncCursor.name == name, SyncCursor.lease_owner == owner)
        .values(lease_until=now + hold)
        .execution_options(synchronize_session=False)
    )
    session.commit()


def finish(
    session: Session,
    name: str,
    owner: str,
    now: datetime,
    *,
    position: datetime | None,
    next_run_at: datetime,
    summary: dict[str, Any],
    error: str | None,
) -> None:
    """Release the lease and record the run; the position only ever moves forward. Commits."""
    session.rollback()
    cursor = session.get(SyncCursor, name, populate_existing=True)
    if position is not None and (cursor.position is None or position > cursor.position):
        cursor.position = position
    cursor.next_run_at = next_run_at
    cursor.last_finished_at, cursor.last_summary, cursor.last_error = now, summary, error
    cursor.consecutive_failures = cursor.consecutive_failures + 1 if error else 0
    if cursor.lease_owner == owner:
        cursor.lease_owner = cursor.lease_until = None
    session.commit()


def all_cursors(session: Session) -> list[SyncCursor]:
    return list(session.scalars(select(SyncCursor).order_by(SyncCursor.name)))


def _ensure(session: Session, name: str) -> None:
    if session.get(SyncCursor, name) is not None:
        session.commit()
        return
    session.add(SyncCursor(name=name, consecutive_failures=0))
    try:
        session.commit()
    except IntegrityError:  # another worker made it at the same moment
        session.rollback()
