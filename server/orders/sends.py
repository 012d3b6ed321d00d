"""The record of every create sent to Starshipit, and the one rule read from it: ``may_still_land``.

Starshipit has no idempotency key, so "one Starshipit order per sale order" rests on this record.
Every create, for one order or fifty in a bulk import, is written (``sent``) and committed
before its request goes out, and ended with how it went once the answer comes:
- ``created``: Starshipit answered with the order;
- ``refused``: Starshipit answered that it did not do it (a 4xx, a rate limit, refused keys);
- ``unconfirmed``: Starshipit answered, but not with this order (a 5xx, an import answer that
  leaves it out): whatever it did is done, so a look-up by number sees it;
- ``no_answer``: the request timed out or its connection dropped.

A create still ``sent`` (its process is waiting, or died before it could end the record) or
ended with ``no_answer`` may still land: Starshipit can finish the work after nobody waits for
it. So for ``in_flight_window`` from when it was sent, the order is not created again by anyone:
a click is told to retry (``CreateMayStillLand``), the automatic transfer leaves it for a later
pass. Every path that creates asks here; none keeps a rule of its own.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from ..failures import Unavailable
from ..http.errors import UpstreamAuthError, UpstreamError, UpstreamRateLimited, UpstreamRejected
from ..models import SaleOrder, StarshipitCreate, utcnow

SENT, CREATED, REFUSED, UNCONFIRMED, NO_ANSWER = "sent", "created", "refused", "unconfirmed", "no_answer"
MAY_STILL_LAND = (SENT, NO_ANSWER)

# The statements of every create, built once and run on the session's connection, in its
# transaction: no ORM work per statement (they are on the path of every first print). What the
# session holds unflushed is written after them, at its commit; none of them reads it.
_SEND = insert(StarshipitCreate)
_SENT_BY = (StarshipitCreate.send_id == bindparam("send"), StarshipitCreate.outcome == SENT)
_END = update(StarshipitCreate).where(*_SENT_BY).values(outcome=bindparam("to"), ended_at=bindparam("at"))
_END_CREATED = _END.where(StarshipitCreate.order_number.in_(bindparam("created", expanding=True)))
_LAST_SENT = (
    select(StarshipitCreate.outcome, StarshipitCreate.sent_at)
    .where(StarshipitCreate.sale_order_pk == bindparam("pk"))
    .order_by(StarshipitCreate.id.desc())
    .limit(1)
)


class CreateMayStillLand(Unavailable):
    """A create of this order was sent moments ago and may still land: do not create it again."""

    def __init__(self, order_number: str, retry_after: float) -> None:
        super().__init__(
            "create_unconfirmed",
            f"Starshipit has not confirmed order {order_number} yet: it was sent moments ago without an answer "
            "and may still appear. Try again shortly; it will not be created twice.",
            retry_after=retry_after,
        )


def in_flight_window(config: Mapping[str, Any]) -> timedelta:
    """How long a create may still land after it was sent: the longest call (connect + read
    timeout), and as long again for a server finishing after its client left."""
    return timedelta(seconds=2 * (config["HTTP_CONNECT_TIMEOUT"] + config["HTTP_READ_TIMEOUT"]))


def record_sent(session: Session, orders: Iterable[tuple[SaleOrder, str]], *, account: str | None, via: str) -> str:
    """Record (and commit) a create of each ``(record, order number)`` about to be sent in one
    request; returns the request's ``send_id``. Call it before the request goes out."""
    send_id, now = str(uuid.uuid4()), utcnow()
    rows = [
        {
            "send_id": send_id,
            "sale_order_pk": record.id,
            "account": account,
            "order_number": number,
            "via": via,
            "outcome": SENT,
            "sent_at": now,
        }
        for record, number in orders
    ]
    session.connection().execute(_SEND, rows)  # one INSERT, no object per order
    session.commit()
    return send_id


def record_end(session: Session, send_id: str, outcome: str) -> None:
    """End the request's records as ``outcome`` (committed, whatever else the session held)."""
    session.rollback()
    end(session, send_id, outcome)
    session.commit()


def end(session: Session, send_id: str, outcome: str, *, created: Iterable[str] = ()) -> None:
    """End the request's records in the caller's transaction, which records what was created
    with it and commits: those whose order number is in ``created`` as ``created``, the rest as
    ``outcome``."""
    created, now, connection = list(created), utcnow(), session.connection()
    if created:
        connection.execute(_END_CREATED, {"send": send_id, "created": created, "to": CREATED, "at": now})
    connection.execute(_END, {"send": send_id, "to": outcome, "at": now})


def outcome_of(error: UpstreamError) -> str:
    """How a create that failed with ``error`` ended."""
    if error.http_status is None:
        return NO_ANSWER
    if isinstance(error, (UpstreamRejected, UpstreamRateLimited, UpstreamAuthError)):
        return REFUSED  # refused before doing anything
    return UNCONFIRMED


def may_still_land(session: Session, record_pk: int, window: timedelta, now: datetime | None = None) -> float:
    """Seconds for which the order's last create may still land in Starshipit (0: it cannot):
    it is ``sent`` or ended with ``no_answer``, and was sent less than ``window`` ago."""
    last = session.connection().execute(_LAST_SENT, {"pk": record_pk}).first()
    if last is None or last.outcome not in MAY_STILL_LAND:
        return 0.0
    return max(0.0, (last.sent_at + window - (now or utcnow())).total_seconds())


def check_settled(session: Session, record: SaleOrder, order_number: str, window: timedelta) -> None:
    """Raise ``CreateMayStillLand`` (the transaction rolled back) while the order's last create
    may still land; else the caller goes on in the same transaction (``record_sent`` commits it)."""
    wait = may_still_land(session, record.id, window)
    if wait > 0:
        session.rollback()
        raise CreateMayStillLand(order_number, retry_after=wait)


def ever_sent(session: Session, record_pks: Iterable[int]) -> set[int]:
    """Those of the orders with a create sent before that Starshipit did not refuse outright:
    they may exist in Starshipit, so they are looked up by number before any create."""
    query = (
        select(StarshipitCreate.sale_order_pk)
        .distinct()
        .where(StarshipitCreate.sale_order_pk.in_(list(record_pks)), StarshipitCreate.outcome != REFUSED)
    )
    return set(session.scalars(query))
