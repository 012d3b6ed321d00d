"""The inbox: work that arrived by webhook or poll, stored once and done by a worker.

Storing is one INSERT that ignores a duplicate key, so a webhook answers at once and a
duplicate delivery (or the same update seen by webhook and poll) is dropped on arrival.
Claims work as for the outbox (``claims``): SKIP LOCKED on PostgreSQL, expiring claims.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .. import claims, outbox
from ..models import InboxEvent, utcnow

CARTONCLOUD, STARSHIPIT = "cartoncloud", "starshipit"
QUEUED, RUNNING, DONE, FAILED = claims.QUEUED, claims.RUNNING, "done", "failed"


def dedupe_key(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def add(session: Session, source: str, items: Iterable[tuple[str, dict[str, Any]]]) -> int:
    """Store ``(dedupe_key, payload)`` items not stored before; returns how many were new. Commits."""
    now = utcnow()
    rows = [
        {
            "source": source,
            "dedupe_key": key,
            "payload": payload,
            "state": QUEUED,
            "attempts": 0,
            "next_attempt_at": now,
            "received_at": now,
        }
        for key, payload in dict(items).items()
    ]
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    make_insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}.get(dialect, insert)
    statement = make_insert(InboxEvent.__table__)  # Core, not ORM bulk: it reports a rowcount
    if dialect in ("postgresql", "sqlite"):
        statement = statement.on_conflict_do_nothing(index_elements=["source", "dedupe_key"])
    # RETURNING counts what was stored where an executemany's rowcount cannot be trusted.
    added = len(session.execute(statement.returning(InboxEvent.__table__.c.id), rows).all())
    session.commit()
    return added


def claim_due(
    session: Session, source: str, worker: str, now: datetime, claim: timedelta, limit: int
) -> list[InboxEvent]:
    return claims.claim_due(session, InboxEvent, worker, now, claim, limit, InboxEvent.source == source)


def mark_done(event: InboxEvent, outcome: str, now: datetime) -> None:
    event.state, event.outcome, event.done_at = DONE, outcome[:200], now
    event.claimed_by = event.claimed_until = None


def mark_done_many(session: Session, outcomes: dict[int, str], now: datetime) -> None:
    """``mark_done`` for many events at once (one UPDATE per outcome). Commits."""
    by_outcome: dict[str, list[int]] = {}
    for event_id, outcome in outcomes.items():
        by_outcome.setdefault(outcome[:200], []).append(event_id)
    for outcome, ids in by_outcome.items():
        session.execute(
            update(InboxEvent)
            .where(InboxEvent.id.in_(ids))
            .values(state=DONE, outcome=outcome, done_at=now, claimed_by=None, claimed_until=None)
            .execution_options(synchronize_session=False)
        )
    session.commit()


def mark_later(event: InboxEvent, now: datetime, delay: timedelta) -> None:
    """Not an attempt: the order was busy; come back shortly."""
    event.state, event.next_attempt_at = QUEUED, now + delay
    event.claimed_by = event.claimed_until = None


def mark_failed_attempt(event: InboxEvent, error: str, now: datetime) -> None:
    """Backoff as the outbox's; failed for good after as many attempts."""
    event.attempts += 1
    event.last_error = error
    event.claimed_by = event.claimed_until = None
    if event.attempts >= outbox.MAX_ATTEMPTS:
        event.state = FAILED
    else:
        event.state = QUEUED
        event.next_attempt_at = now + outbox.retry_delay(event.attempts)


def purge_done(session: Session, before: datetime) -> int:
    """Forget events done before ``before`` (far behind any poll's overlap); a replay that old
    is processed again, harmlessly. Commits."""
    removed = session.execute(delete(InboxEvent).where(InboxEvent.state == DONE, InboxEvent.done_at < before)).rowcount
    session.commit()
    return removed


def depth(session: Session) -> dict[str, dict[str, int]]:
    """Events per source and state (done ones excluded): the queue depth."""
    rows = session.execute(
        select(InboxEvent.source, InboxEvent.state, func.count())
        .where(InboxEvent.state != DONE)
        .group_by(InboxEvent.source, InboxEvent.state)
    )
    counts: dict[str, dict[str, int]] = {}
    for source, state, count in rows:
        counts.setdefault(source, {})[state] = count
    return counts
