"""Creating a sale order's Starshipit order exactly once, whoever asks first: the print button,
the status trigger (webhook, poll) or the tracking matcher.

Starshipit has no idempotency key, so "exactly once" rests on labelbridge's own record: every
caller holds the order's lock (a lease on its row, see server/printing/order_lock.py) and
``create_sent_at`` is committed before a create or an import is sent. So an order with no
Starshipit id recorded and no create ever sent was never created by labelbridge and may be
imported without asking Starshipit first — the bulk import's whole saving — while one whose
create was sent but never answered (a timeout, a crash) is looked up by its number first.

A create that got no answer (a timeout, a dropped connection) may still land after labelbridge
gave up on it: Starshipit can finish the work after nobody waits for its answer. That is
recorded (the ``create_unanswered`` event), and for as long again as the create was waited for,
an order not found by its number is reported as not confirmed yet (retryable) rather than
created a second time. An answered failure needs no such wait: whatever Starshipit did for that
request was done before it answered, so the lookup sees it.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..events import record_event
from ..mapping import MappingIssue
from ..models import OrderEvent, SaleOrder, utcnow
from ..starshipit.client import StarshipitClient
from ..upstream.errors import UpstreamError

# Starshipit statuses of an order whose label exists already: print with reprint instead.
PRINTED_STATUSES = {"Printed", "Shipped", "Delivered", "Dispatched", "Manifested"}
# The order events that record where the Starshipit order came from.
CREATED, FOUND = "starshipit_order_created", "found_in_starshipit"
UNANSWERED = "create_unanswered"


class CreateUnconfirmed(UpstreamError):
    """A create that may have been done is not found yet: look again later, do not create."""

    transient = True


def mark_create_sent(session: Session, records: Iterable[SaleOrder], sent: bool = True) -> None:
    """Committed before the request goes: if its answer is lost, the order is looked up next time.
    ``sent=False`` takes it back for a request refused before any work (or never sent)."""
    session.execute(
        update(SaleOrder)
        .where(SaleOrder.id.in_([record.id for record in records]))
        .values(create_sent_at=utcnow() if sent else None)
        .execution_options(synchronize_session=False)
    )
    session.commit()


def adopt(
    session: Session, record: SaleOrder, order: dict[str, Any], order_number: str, kind: str, actor: str | None,
    **detail: Any,
) -> None:
    """Record the Starshipit order as the sale order's own (the caller commits)."""
    record.starshipit_order_id = int(order["order_id"])
    record.starshipit_order_number = order.get("order_number") or order_number
    if record.state == "new":
        record.state = "ordered"
    record.blocked_fingerprint = record.blocked_reasons = None
    record.last_error_code = record.last_error_message = record.last_error_at = None
    record_event(
        session, record, kind, actor,
        order_id=record.starshipit_order_id, order_number=record.starshipit_order_number, **detail,
    )  # fmt: skip


def find_or_create(
    session: Session,
    starshipit: StarshipitClient,
    record: SaleOrder,
    order: dict[str, Any],
    actor: str | None,
    warnings: Iterable[MappingIssue] = (),
    *,
    account: str | None = None,
) -> tuple[dict[str, Any], str]:
    """The print button's path, one order: find it by its number (another integration, or a
    create whose answer was lost, may have made it), else create it; commits its id at once so a
    later failure continues from here. Returns the order and CREATED or FOUND.
    Raises UpstreamError. The caller holds the order's lock."""
    order_number = order["order_number"]
    existing = starshipit.find_order_by_number(order_number)
    if existing is not None:
        found, kind = existing, FOUND
    else:
        _check_settled(session, record, order_number)
        mark_create_sent(session, [record])
        found, kind = _create(session, starshipit, record, order, actor), CREATED
    if account is not None:
        record.starshipit_account = account
    adopt(
        session, record, found, order_number, kind, actor,
        account=account, warnings=[warning.message for warning in warnings],
        printed_already=found.get("status") in PRINTED_STATUSES,
    )  # fmt: skip
    session.commit()
    return found, kind


def _check_settled(session: Session, record: SaleOrder, order_number: str) -> None:
    """Raise CreateUnconfirmed while an unanswered create of the order may still land."""
    last = session.execute(
        select(OrderEvent.at, OrderEvent.detail)
        .where(OrderEvent.sale_order_pk == record.id, OrderEvent.kind == UNANSWERED)
        .order_by(OrderEvent.id.desc())
        .limit(1)
    ).first()
    session.commit()
    if last is None:
        return
    wait = (last.at + timedelta(seconds=last.detail["waited_seconds"]) - utcnow()).total_seconds()
    if wait > 0:
        raise CreateUnconfirmed(
            f"order {order_number} was sent without an answer and has not appeared yet",
            service="starshipit", retry_after=wait,
        )  # fmt: skip


def _create(
    session: Session, starshipit: StarshipitClient, record: SaleOrder, order: dict[str, Any], actor: str | None
) -> dict[str, Any]:
    sent = utcnow()
    try:
        return starshipit.create_order(order)
    except UpstreamError as error:
        if error.http_status is None:  # no answer: Starshipit may still be creating it
            session.rollback()
            waited = (utcnow() - sent).total_seconds()
            record_event(session, record, UNANSWERED, actor, order_number=order["order_number"],
                         waited_seconds=round(waited, 3))  # fmt: skip
            session.commit()
        raise
