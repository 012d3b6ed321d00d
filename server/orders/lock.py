"""The per-sale-order lock, held in the database so any process on any host sees it.

It is a lease (token + expiry on the sale order's row) taken and released by single atomic
UPDATEs, not a transaction held open: no connection stays busy while Starshipit is called, and a
holder that crashed frees the order when its lease runs out. One order is locked by waiting for
it (``order_lock``: a click waits for another workstation's click); many at once without waiting
(``acquire``: a bulk import leaves an order someone holds for later); an order new to
labelbridge is recorded already locked by the click that found it (``Lease.columns``, then
``holding``). All are the same lock.

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

from sqlalchemy import CursorResult, Executable, and_, bindparam, or_, select, update
from sqlalchemy.orm import Session

from ..failures import Conflict
from ..models import SaleOrder, utcnow

# The lock's statements, built once: each is run on the session's connection, in its transaction
# (``_run``), without the ORM's work per statement (a third of the cost of session.execute).
_PKS = bindparam("pks", expanding=True)
_HELD = and_(SaleOrder.id.in_(_PKS), SaleOrder.lock_token == bindparam("token"))
_FREE = and_(SaleOrder.id.in_(_PKS), or_(SaleOrder.lock_token.is_(None), SaleOrder.locked_until < bindparam("now")))
_FREE_ROWS = select(SaleOrder.id).where(_FREE).order_by(SaleOrder.id).with_for_update(skip_locked=True)
_LOCK = (
    update(SaleOrder)
    .where(_FREE)
    .values(lock_token=bindparam("token"), locked_until=bindparam("until"))
    .returning(SaleOrder.id)
)
_RENEW = update(SaleOrder).where(_HELD).values(locked_until=bindparam("until")).returning(SaleOrder.id)
_UNLOCK = update(SaleOrder).where(_HELD).values(lock_token=None, locked_until=None)


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
        until = utcnow() + self.length
        renewed = _run(session, _RENEW, pks=list(record_pks), token=self.token, until=until).scalars()
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

    def columns(self) -> dict[str, object]:
        """The lock's columns of an order written already locked under this lease (a new one)."""
        return {"lock_token": self.token, "locked_until": utcnow() + self.length}


def new_lease(lease_seconds: float) -> Lease:
    """A lease under a new token, holding nothing yet."""
    return Lease(str(uuid.uuid4()), timedelta(seconds=lease_seconds))


def acquire(session: Session, record_pks: Collection[int], token: str, lease: timedelta) -> set[int]:
    """Lock the free ones of ``record_pks`` under ``token``, a new one (it holds nothing yet);
    returns those locked. The caller commits (and may first read the locked rows in the same
    short transaction). On PostgreSQL the free rows are first read ``FOR UPDATE SKIP LOCKED``, so
    two processes locking overlapping sets never wait on (or deadlock with) each other."""
    now, wanted = utcnow(), list(record_pks)
    if session.get_bind().dialect.name == "postgresql":
        wanted = list(_run(session, _FREE_ROWS, pks=wanted, now=now).scalars())
    if not wanted:
        return set()
    locked = _run(session, _LOCK, pks=wanted, now=now, token=token, until=now + lease).scalars()
    return set(locked)


def release(session: Session, record_pks: Collection[int], token: str) -> None:
    """Unlock those of ``record_pks`` still held under ``token``. Commits."""
    session.rollback()
    _unlock(session, record_pks, token)
    session.commit()


def _unlock(session: Session, record_pks: Collection[int], token: str) -> None:
    _run(session, _UNLOCK, pks=list(record_pks), token=token)


def _run(session: Session, statement: Executable, **values: object) -> CursorResult:
    """``statement`` with ``values`` in the session's transaction (begun as the session begins it).
    What the session holds unflushed is written at its next flush or commit, after this: none of
    the lock's statements reads it."""
    return session.connection().execute(statement, values)


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
    held = new_lease(lease_seconds)
    deadline = time.monotonic() + wait_seconds
    pause = 0.02
    while True:
        if acquire(session, [record_pk], held.token, held.length):
            break
        session.rollback()
        if done():
            yield None
            return
        if time.monotonic() >= deadline:
            raise LockTimeout()
        sleep(pause)  # waiting on another process's lease: poll with a growing pause
        pause = min(pause * 2, 0.25)
    with holding(session, record_pk, held):
        yield held


@contextmanager
def holding(session: Session, record_pk: int, lease: Lease) -> Iterator[Lease]:
    """Work on an order locked under ``lease``: unlocked at the end unless the work ended the
    lock itself (``Lease.commit_and_release``)."""
    try:
        yield lease
    finally:
        if not lease.released:
            release(session, [record_pk], lease.token)
