"""The per-sale-order lock, held in the database so any process on any host sees it.

It is a lease (token + expiry on the sale order's row) taken and released by single atomic
UPDATEs, not a transaction held open: no connection stays busy while Starshipit is called, and a
holder that crashed frees the order when its lease runs out. One order is locked by waiting for
it (``order_lock``: a click waits for another workstation's click); many at once without waiting
(``acquire``: a bulk import leaves an order someone holds for later). Both are the same lock.

A lease can run out while its holder still works (a slow Starshipit, a busy machine), and then
someone else may take the order. So before a holder records a create (``sends.record_sent``) it
renews its lease in the same transaction (``renew``): a holder whose lease was taken finds out
there, before anything is sent, and leaves the order to the new holder.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from ..failures import Conflict
from ..models import SaleOrder, utcnow


class LockTimeout(Exception):
    """The order stayed locked by someone else for longer than the caller would wait."""


class LeaseLost(Conflict):
    """The holder's lease ran out and someone else took the order: it must not create it."""

    def __init__(self) -> None:
        super().__init__(
            "request_in_progress",
            "Another workstation took over this order while Starshipit was slow to answer; try again in a few seconds.",
            retry_after=2,
        )


@dataclass
class Lease:
    """The lock on some orders, held under ``token`` for ``length`` at a time."""

    token: str
    length: timedelta
    released: bool = field(default=False, compare=False)

    def renew(self, session: Session, record_pks: Collection[int]) -> set[int]:
        """Those of ``record_pks`` still held, their lease renewed, in the caller's transaction
        (which then records what it is about to send, and commits): on PostgreSQL their rows stay
        locked until then, so no one can take them over in between."""
        renewed = session.scalars(
            update(SaleOrder)
            .where(SaleOrder.id.in_(list(record_pks)), SaleOrder.lock_token == self.token)
            .values(locked_until=utcnow() + self.length)
            .returning(SaleOrder.id)
            .execution_options(synchronize_session=False)
        )
        return set(renewed)

    def commit_and_release(self, session: Session, record_pks: Collection[int]) -> None:
        """Commit the caller's transaction with the orders unlocked in it: the work it finishes
        (a stored label) and the lock's end are one write."""
        _unlock(session, record_pks, self.token)
        session.commit()
        self.released = True

    def hold(self, session: Session, record_pk: int) -> None:
        """``renew`` one order, or raise ``LeaseLost`` (rolled back) when it was taken over."""
        if not self.renew(session, [record_pk]):
            session.rollback()
            raise LeaseLost()


def acquire(session: Session, record_pks: Collection[int], token: str, lease: timedelta) -> set[int]:
    """Lock the free ones of ``record_pks`` under ``token``, a new one (it holds nothing yet);
    returns those locked. The caller commits (and may first read the locked rows in the same
    short transaction). On PostgreSQL the free rows are first read ``FOR UPDATE SKIP LOCKED``, so
    two processes locking overlapping sets never wait on (or deadlock with) each other."""
    now = utcnow()
    free = or_(SaleOrder.lock_token.is_(None), SaleOrder.locked_until < now)
    wanted = list(record_pks)
    if session.get_bind().dialect.name == "postgresql":
        query = select(SaleOrder.id).where(SaleOrder.id.in_(wanted), free).order_by(SaleOrder.id)
        wanted = list(session.scalars(query.with_for_update(skip_locked=True)))
    if not wanted:
        return set()
    locked = session.scalars(
        update(SaleOrder)
        .where(SaleOrder.id.in_(wanted), free)
        .values(lock_token=token, locked_until=now + lease)
        .returning(SaleOrder.id)
        .execution_options(synchronize_session=False)
    )
    return set(locked)


def release(session: Session, record_pks: Collection[int], token: str) -> None:
    """Unlock those of ``record_pks`` still held under ``token``. Commits."""
    session.rollback()
    _unlock(session, record_pks, token)
    session.commit()


def _unlock(session: Session, record_pks: Collection[int], token: str) -> None:
    session.execute(
        update(SaleOrder)
        .where(SaleOrder.id.in_(list(record_pks)), SaleOrder.lock_token == token)
        .values(lock_token=None, locked_until=None)
        .execution_options(synchronize_session=False)
    )


def try_lock(session: Session, record_pk: int, token: str, lease: timedelta) -> bool:
    """Lock one order if it is free. Commits."""
    locked = acquire(session, [record_pk], token, lease)
    session.commit()
    return bool(locked)


@contextmanager
def order_lock(
    session: Session,
    record_pk: int,
    *,
    lease_seconds: float,
    wait_seconds: float,
    done: Callable[[], bool],
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[Lease | None]:
    """Hold the order's lock; yields None instead when ``done()`` turns true while waiting
    (someone else finished the work, so there is nothing left to lock for). A free order is
    locked at once, without asking ``done()``, and its ``Lease`` is yielded in the transaction
    that locked it: the holder reads the order in it and commits."""
    token = str(uuid.uuid4())
    lease = timedelta(seconds=lease_seconds)
    deadline = time.monotonic() + wait_seconds
    pause = 0.02
    while True:
        if acquire(session, [record_pk], token, lease):
            break
        session.rollback()
        if done():
            yield None
            return
        if time.monotonic() >= deadline:
            raise LockTimeout()
        sleep(pause)  # waiting on another process's lease: poll with a growing pause
        pause = min(pause * 2, 0.25)
    held = Lease(token, lease)
    try:
        yield held
    finally:
        if not held.released:
            release(session, [record_pk], token)
