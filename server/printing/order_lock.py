"""A per-sale-order lock held in the database, so any process on any host sees it.

It is a lease (token + expiry on the sale order's row) taken and released by single atomic
UPDATEs, not a transaction held open: no connection stays busy while Starshipit is called, and a
holder that crashed frees the order when its lease runs out.
"""
from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlalchemy.orm import Session

from ..models import SaleOrder, utcnow


class LockTimeout(Exception):
    """The order stayed locked by someone else for longer than the caller would wait."""


def try_acquire(session: Session, record_pk: int, token: str, lease: timedelta, now: datetime) -> bool:
    result = session.execute(
        update(SaleOrder)
        .where(
            SaleOrder.id == record_pk,
            or_(SaleOrder.lock_token.is_(None), SaleOrder.locked_until < now),
        )
        .values(lock_token=token, locked_until=now + lease)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return result.rowcount == 1


def release(session: Session, record_pk: int, token: str) -> None:
    session.execute(
        update(SaleOrder)
        .where(SaleOrder.id == record_pk, SaleOrder.lock_token == token)
        .values(lock_token=None, locked_until=None)
        .execution_options(synchronize_session=False)
    )
    session.commit()


@contextmanager
def order_lock(
    session: Session,
    record_pk: int,
    *,
    lease_seconds: float,
    wait_seconds: float,
    done: Callable[[], bool],
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[bool]:
    """Hold the order's lock; yields False instead when ``done()`` turns true while waiting
    (someone else finished the work, so there is nothing left to lock for)."""
    token = str(uuid.uuid4())
    lease = timedelta(seconds=lease_seconds)
    deadline = time.monotonic() + wait_seconds
    pause = 0.02
    while True:
        if done():
            yield False
            return
        if try_acquire(session, record_pk, token, lease, utcnow()):
            break
        if time.monotonic() >= deadline:
            raise LockTimeout()
        sleep(pause)  # waiting on another process's lease: poll with a growing pause
        pause = min(pause * 2, 0.25)
    try:
        yield True
    finally:
        session.rollback()
        release(session, record_pk, token)
