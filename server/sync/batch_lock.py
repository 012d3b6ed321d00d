"""The per-order lock (server/printing/order_lock.py) taken on many orders at once.

Same lease columns, so a click on one of the orders waits for the batch and the batch skips an
order a click holds. Taken without waiting: an order someone else holds is left for later. On
PostgreSQL the free rows are first read ``FOR UPDATE SKIP LOCKED`` so two workers locking
overlapping batches never wait on (or deadlock with) each other.
"""
from __future__ import annotations

from collections.abc import Collection
from datetime import timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from ..models import SaleOrder, utcnow


def acquire(session: Session, record_pks: Collection[int], token: str, lease: timedelta) -> set[int]:
    """Lock the free ones of ``record_pks`` under ``token``; returns those locked. The caller
    commits (and may first read the locked rows in the same short transaction)."""
    now = utcnow()
    free = or_(SaleOrder.lock_token.is_(None), SaleOrder.locked_until < now)
    wanted = list(record_pks)
    if session.get_bind().dialect.name == "postgresql":
        query = select(SaleOrder.id).where(SaleOrder.id.in_(wanted), free).order_by(SaleOrder.id)
        wanted = list(session.scalars(query.with_for_update(skip_locked=True)))
    if wanted:
        session.execute(
            update(SaleOrder)
            .where(SaleOrder.id.in_(wanted), free)
            .values(lock_token=token, locked_until=now + lease)
            .execution_options(synchronize_session=False)
        )
    return set(session.scalars(select(SaleOrder.id).where(SaleOrder.id.in_(record_pks), SaleOrder.lock_token == token)))


def release(session: Session, record_pks: Collection[int], token: str) -> None:
    """Unlock those of ``record_pks`` still held under ``token``. Commits."""
    session.rollback()
    session.execute(
        update(SaleOrder)
        .where(SaleOrder.id.in_(list(record_pks)), SaleOrder.lock_token == token)
        .values(lock_token=None, locked_until=None)
        .execution_options(synchronize_session=False)
    )
    session.commit()
