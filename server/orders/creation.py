"""Finding or creating one sale order's Starshipit order, and adopting an order found there.

Every caller holds the order's lock (``lock.py``). The order is looked up by its number first
(another integration, the Starshipit app, or a create whose answer was lost may have made it);
when it is not there, it is created only if the caller still holds the lock and no earlier
create may still land (``sends.py``), and that create is recorded before it is sent. The bulk path (``bulk.py``) keeps the same rules
for fifty orders at a time.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from ..events import record_events
from ..http.errors import UpstreamError
from ..mapping import MappingIssue
from ..models import SaleOrder, utcnow
from ..starshipit.client import StarshipitClient
from . import record_columns, sends
from .lock import Lease
from .numbering import numbered

# Starshipit statuses of an order whose label exists already: print with reprint instead.
PRINTED_STATUSES = {"Printed", "Shipped", "Delivered", "Dispatched", "Manifested"}
# The order events that record where the Starshipit order came from.
CREATED, FOUND = "starshipit_order_created", "found_in_starshipit"


def adopt(
    session: Session,
    record: SaleOrder,
    order: dict[str, Any],
    order_number: str,
    kind: str,
    actor: str | None,
    *,
    account: str | None = None,
    **detail: Any,
) -> None:
    """Record the Starshipit order as the sale order's own (the caller commits)."""
    adopt_all(session, [(record, order, order_number, detail)], kind, actor, account=account)


def adopt_all(
    session: Session,
    adoptions: list[tuple[SaleOrder, dict[str, Any], str, dict[str, Any]]],
    kind: str,
    actor: str | None,
    *,
    account: str | None,
) -> None:
    """``adopt`` for each ``(record, order, order_number, detail)`` (a bulk import's fifty), in
    one UPDATE and one INSERT of their events, sent now in the caller's transaction (the caller
    commits). The session's records show the change."""
    if not adoptions:
        return
    changes, events = [], []
    for record, order, number, detail in adoptions:
        adopted = _adopted(record, order, number, account)
        changes.append((record, adopted))
        events.append((record, kind, actor, _event_detail(adopted, account, detail)))
    record_columns.write(session, changes)
    record_events(session, events)


def _adopted(record: SaleOrder, order: dict[str, Any], order_number: str, account: str | None) -> dict[str, Any]:
    """The record's columns once it has adopted ``order``: its id, number and account, ``ordered``
    from ``new`` or ``voided``, and nothing blocked or failed any more."""
    values: dict[str, Any] = {
        "starshipit_order_id": int(order["order_id"]),
        "starshipit_order_number": order.get("order_number") or order_number,
        "state": "ordered" if record.state in ("new", "voided") else record.state,
        "blocked_fingerprint": None,
        "blocked_reasons": None,
        "last_error_code": None,
        "last_error_message": None,
        "last_error_at": None,
        "updated_at": utcnow(),  # set here, not by the column's onupdate, so the session's record shows it too
    }
    if account is not None:
        values["starshipit_account"] = account
    return values


def _event_detail(adopted: dict[str, Any], account: str | None, detail: dict[str, Any]) -> dict[str, Any]:
    return {
        "order_id": adopted["starshipit_order_id"],
        "order_number": adopted["starshipit_order_number"],
        "account": account,
        **detail,
    }


def find_or_create(
    session: Session,
    starshipit: StarshipitClient,
    record: SaleOrder,
    order: dict[str, Any],
    actor: str | None,
    warnings: Iterable[MappingIssue] = (),
    *,
    account: str | None,
    window: timedelta,
    lease: Lease,
) -> tuple[dict[str, Any], str]:
    """Find the order by its number, else create it; its id is committed at once so a later
    failure continues from here. Returns the order and CREATED or FOUND. The number is the
    current shipment's (``numbering.py``): a voided shipment's order is never found again.
    Raises UpstreamError, ``sends.CreateMayStillLand`` while an earlier create may land, or
    ``lock.LeaseLost`` when ``lease`` ran out and someone else took the order meanwhile."""
    order = numbered(order, record.voided_shipments)
    order_number = order["order_number"]
    existing = starshipit.find_order_by_number(order_number)
    if existing is not None:
        found, kind = existing, FOUND
    else:
        lease.hold(session, record.id)  # in the transaction that records the send, as is the check
        sends.check_settled(session, record, order_number, window)
        found, kind = create(session, starshipit, record, order, account=account), CREATED
    adopt(
        session,
        record,
        found,
        order_number,
        kind,
        actor,
        account=account,
        warnings=[warning.message for warning in warnings],
        printed_already=found.get("status") in PRINTED_STATUSES,
    )
    session.commit()
    return found, kind


def create(
    session: Session, starshipit: StarshipitClient, record: SaleOrder, order: dict[str, Any], *, account: str | None
) -> dict[str, Any]:
    """Send one create, recorded before it goes and ended when its answer comes (a created
    one in the caller's transaction, which adopts the order and commits)."""
    send_id = sends.record_sent(session, [(record, order["order_number"])], account=account, via="create")
    try:
        created = starshipit.create_order(order)
    except UpstreamError as error:
        sends.record_end(session, send_id, sends.outcome_of(error))
        raise
    sends.end(session, send_id, sends.CREATED)  # committed with the adoption that follows
    return created
