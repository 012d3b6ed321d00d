"""Tracking for labels printed in the Starshipit app, from its webhook or its order lists.

Each update is matched to the sale order (labelbridge's record by Starshipit id or order number,
else CartonCloud by order number), and under the order's lock:
- new tracking numbers (first print, or a relabel) are recorded, the change is in the order's
  history, and the writeback goes through the same outbox as a print from CartonCloud;
- the tracking status only moves forward;
- an update about a voided label (older than a relabel, or voided in labelbridge) changes nothing.
An update whose tracking labelbridge does not already hold is checked against the order in
Starshipit first, so a late or replayed update can never put old tracking back. A webhook is only
a hint: it may name only an order labelbridge knows, and what it applies (tracking number, status,
time) is what Starshipit itself answers for that tracking number, never what the caller claims.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import outbox
from ..clients import Upstreams
from ..events import record_event
from ..failures import Failure, Unavailable
from ..http.errors import UpstreamNotFound
from ..models import Label, SaleOrder
from ..orders import creation, resolver
from ..orders.identifiers import SaleOrderRef
from ..orders.lock import release, try_lock
from ..orders.void import voided_tracking
from ..starshipit.client import StarshipitClient
from .entities import parse_time
from .inbox import dedupe_key

# Where each tracking status stands on the way to the door; an update never moves back.
STATUS_RANKS = {
    "Printed": 1,
    "AwaitingCollection": 2,
    "Dispatched": 3,
    "InTransit": 4,
    "OutForDelivery": 5,
    "AttemptedDelivery": 5,
    "Exception": 5,
    "PickupInStore": 6,
    "Delivered": 7,
    "Cancelled": 7,
}
UNKNOWN_RANK = 4
# Starshipit order statuses (its order lists) as tracking statuses.
ORDER_STATUSES = {"Printed": "Printed", "Shipped": "Dispatched", "Dispatched": "Dispatched", "Delivered": "Delivered"}


class Busy(Exception):
    """Someone holds the order's lock (a print in progress): try the update again shortly."""


@dataclass(frozen=True)
class TrackingUpdate:
    order_number: str
    tracking_numbers: tuple[str, ...]
    status: str | None
    updated_at: str | None
    carrier_name: str | None = None
    order_id: int | None = None
    account: str | None = None
    complete: bool = False  # tracking_numbers are all the order's (a list), not one package's (a webhook)

    @property
    def key(self) -> str:
        """Dedupe key: (order number, tracking number(s), status, last updated)."""
        return dedupe_key(self.order_number, sorted(self.tracking_numbers), self.status, self.updated_at)

    def to_payload(self) -> dict[str, Any]:
        return {**asdict(self), "tracking_numbers": list(self.tracking_numbers)}

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> TrackingUpdate:
        return cls(**{**payload, "tracking_numbers": tuple(payload["tracking_numbers"])})

    @classmethod
    def from_webhook(cls, body: Mapping[str, Any], account: str | None) -> TrackingUpdate:
        return cls(
            order_number=str(body["order_number"]),
            tracking_numbers=(str(body["tracking_number"]),),
            status=body.get("tracking_status"),
            updated_at=body.get("last_updated_date"),
            carrier_name=body.get("carrier_name"),
            account=account,
        )

    @classmethod
    def from_order(cls, order: Mapping[str, Any], account: str) -> TrackingUpdate | None:
        """From a listed order, whichever shape Starshipit lists it in: a shipped list's flat row
        (one ``tracking_number``, ``tracking_short_status``, ``shipped_date``), a full order
        (``packages``) or a shipment (``tracking_numbers``). None when it lacks the order number
        or any tracking number: the caller reads the full order for those."""
        packages = order.get("packages") or []
        if packages:
            numbers = [p.get("tracking_number") for p in packages]
        elif "tracking_numbers" in order:
            numbers = order.get("tracking_numbers") or []
        else:
            numbers = [order.get("tracking_number")]
        numbers = tuple(str(number) for number in numbers if number)
        if not numbers or not order.get("order_number"):
            return None
        stamps = [p.get("label_created_date") for p in packages if p.get("label_created_date")]
        short_status = order.get("tracking_short_status")
        return cls(
            order_number=str(order["order_number"]),
            tracking_numbers=numbers,
            status=short_status if short_status in STATUS_RANKS else ORDER_STATUSES.get(order.get("status"), "Printed"),
            updated_at=order.get("last_updated_date")
            or order.get("shipped_date")
            or order.get("shipment_date")
            or max(stamps, default=None),
            carrier_name=order.get("carrier_name"),
            order_id=order.get("order_id"),
            account=account,
            complete=True,
        )


def moves_forward(current: str | None, current_at: datetime | None, new: str | None, new_at: datetime | None) -> bool:
    """Whether ``new`` may replace ``current``: further along, or as far along and newer."""
    if new is None or new == current:
        return False
    if current is None:
        return True
    new_rank, current_rank = STATUS_RANKS.get(new, UNKNOWN_RANK), STATUS_RANKS.get(current, UNKNOWN_RANK)
    if new_rank != current_rank:
        return new_rank > current_rank
    return new_at is not None and current_at is not None and new_at > current_at


class TrackingApplier:
    """Applies tracking updates within one session."""

    def __init__(self, session: Session, upstreams: Upstreams, config: Mapping[str, Any], *, actor: str) -> None:
        self.session = session
        self.upstreams = upstreams
        self.config = config
        self.actor = actor
        self.lease = timedelta(seconds=config["ORDER_LOCK_SECONDS"])

    def apply(self, update: TrackingUpdate) -> str:
        """What became of the update (its outcome). Raises Busy, UpstreamError, Failure (Refused, Unavailable)."""
        record = self._match(update)
        if record is None:
            return "unmatched: no sale order has this order number"
        token = str(uuid.uuid4())
        if not try_lock(self.session, record.id, token, self.lease):
            raise Busy()
        try:
            self.session.refresh(record)
            self.session.commit()  # no transaction stays open across the upstream calls
            return self._apply(record, update)
        finally:
            release(self.session, [record.id], token)

    # -- matching -------------------------------------------------------------------------

    def _match(self, update: TrackingUpdate) -> SaleOrder | None:
        tenant_id = self.upstreams.cartoncloud_credentials().tenant_id
        known = None
        if update.order_id is not None:
            known = self._first(SaleOrder.starshipit_order_id == int(update.order_id), tenant_id)
        known = known or self._first(SaleOrder.starshipit_order_number == update.order_number, tenant_id)
        if known is not None or not update.complete:
            return known  # a webhook may name only an order labelbridge knows: a made-up one costs no call
        source = self.config["ORDER_NUMBER_SOURCE"]
        if source == "numeric_id" and not update.order_number.isdigit():
            return None
        try:
            record, _ = resolver.resolve(
                self.session, self.upstreams.cartoncloud, tenant_id, SaleOrderRef(source, update.order_number)
            )
        except Failure as error:
            if not isinstance(error, Unavailable):  # not a CartonCloud order, or not one order
                return None
            raise
        return record

    def _first(self, condition, tenant_id: str) -> SaleOrder | None:
        record = self.session.scalar(
            select(SaleOrder).where(SaleOrder.tenant_id == tenant_id, condition).order_by(SaleOrder.id).limit(1)
        )
        self.session.commit()
        return record

    # -- applying -------------------------------------------------------------------------

    def _apply(self, record: SaleOrder, update: TrackingUpdate) -> str:
        voided = voided_tracking(self.session, record.id)
        self.session.commit()
        if voided & set(update.tracking_numbers):
            return "stale: tracking of a voided label"  # its Starshipit order was archived: never adopted again
        starshipit = self._starshipit(record, update)
        if not update.complete:
            update = self._as_starshipit_tells_it(starshipit, record, update)
            if update is None:
                return "unverified: Starshipit does not show this tracking number on the order"
        order: dict[str, Any] | None = None
        current = list(record.tracking_numbers)
        if not set(update.tracking_numbers) <= set(current):
            if update.complete and not current:
                current = list(update.tracking_numbers)  # first tracking, straight from Starshipit's list
            else:
                order = self._starshipit_order(starshipit, record, update)
                if order is None:
                    return "unmatched: the order is not in Starshipit"
                current = _tracking_numbers(order)
                if not set(update.tracking_numbers) & set(current):
                    return "stale: tracking of a label since replaced"
        if record.starshipit_order_id is None:
            order = order or self._starshipit_order(starshipit, record, update)
            if order is None:
                return "unmatched: the order is not in Starshipit"
            self._adopt(record, order, update)
        if current and current != record.tracking_numbers:
            outcome = self._new_tracking(record, update, current, order)
        elif moves_forward(
            record.tracking_status, record.tracking_updated_at, update.status, parse_time(update.updated_at)
        ):
            record_event(
                self.session,
                record,
                "tracking_status",
                self.actor,
                status=update.status,
                previous=record.tracking_status,
                at=update.updated_at,
            )
            record.tracking_status, record.tracking_updated_at = update.status, parse_time(update.updated_at)
            outcome = "status_updated"
        else:
            outcome = "unchanged"
        self.session.commit()
        return outcome

    def _new_tracking(self, record: SaleOrder, update: TrackingUpdate, current: list[str], order: dict | None) -> str:
        old = list(record.tracking_numbers)
        record.tracking_numbers = current
        record.carrier = update.carrier_name or (order or {}).get("carrier_name") or record.carrier
        record.tracking_status, record.tracking_updated_at = update.status or "Printed", parse_time(update.updated_at)
        if record.current_label_id is not None:
            label = self.session.get(Label, record.current_label_id)
            if label.tracking_numbers != current:
                record.current_label_id = None  # voided: the next click fetches the new label
        record.state = "labelled"
        job = outbox.enqueue_tracking(self.session, record, current, record.carrier, self.config["WRITEBACK_MODE"])
        self.session.flush()
        kind = "relabelled" if old else "printed_in_starshipit"
        record_event(
            self.session,
            record,
            kind,
            self.actor,
            tracking_numbers=current,
            previous_tracking_numbers=old,
            carrier=record.carrier,
            job_id=job.id if job else None,
        )
        return kind

    def _adopt(self, record: SaleOrder, order: dict[str, Any], update: TrackingUpdate) -> None:
        creation.adopt(
            self.session,
            record,
            order,
            update.order_number,
            creation.FOUND,
            self.actor,
            account=update.account or record.starshipit_account,
        )

    def _starshipit(self, record: SaleOrder, update: TrackingUpdate) -> StarshipitClient:
        account = record.starshipit_account or update.account
        return self.upstreams.starshipit(self.upstreams.accounts().starshipit(account))

    def _as_starshipit_tells_it(
        self, starshipit: StarshipitClient, record: SaleOrder, update: TrackingUpdate
    ) -> TrackingUpdate | None:
        """A webhook's update with Starshipit's own status and time for its tracking number (one
        rate-limited call), or None when Starshipit does not show that number on the order."""
        (tracking_number,) = update.tracking_numbers
        try:
            results = starshipit.track(tracking_number=tracking_number)
        except UpstreamNotFound:
            return None
        if (
            results.get("tracking_number") != tracking_number
            or results.get("order_number") != record.starshipit_order_number
        ):
            return None
        return replace(
            update,
            status=results.get("tracking_status"),
            updated_at=results.get("last_updated_date"),
            carrier_name=results.get("carrier_name") or update.carrier_name,
        )

    def _starshipit_order(self, starshipit: StarshipitClient, record: SaleOrder, update: TrackingUpdate) -> dict | None:
        order_id = record.starshipit_order_id or update.order_id
        try:
            if order_id is not None:
                return starshipit.get_order(int(order_id))
            return starshipit.find_order_by_number(update.order_number)
        except UpstreamNotFound:
            return None


def _tracking_numbers(order: Mapping[str, Any]) -> list[str]:
    return [str(p["tracking_number"]) for p in order.get("packages") or [] if p.get("tracking_number")]
