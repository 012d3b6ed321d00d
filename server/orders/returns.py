"""A sale order's return label: Starshipit clones the shipment as a return, its label is printed
and kept. One return per sale order: asking again reprints the kept label, with no upstream call.

Like a create, the clone has no idempotency key in Starshipit, so it is recorded before it is
sent (``sent``) and its new order id as soon as it answers (``cloned``), before the return's
label is printed. A print that fails (or a process that dies) after the clone continues from
that order on the next ask; a clone sent without an answer is not sent again while it may still
land (``sends.in_flight_window``), and after that it is looked for before cloning again: the
orders Starshipit's search finds by the shipment's order number (the return's number holds it,
whether Starshipit numbers it ``<number>-R`` or keeps the number), other than the shipment's
own, read in full, and the one marked ``return_order`` adopted (one search request, plus one per
such order: 1 + 1 for the usual return found). Everything happens under the order's lease lock,
so two benches asking at once make one return; the lease is renewed in the transaction that
records the clone (as creates are, ``lock.py``), so a holder whose lease ran out sends nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..clients import Upstreams
from ..events import queue_event, record_event
from ..failures import Conflict, Failure, NotFound, Refused, Unavailable, from_upstream
from ..http.errors import UpstreamError, UpstreamNotFound
from ..models import Label, ReturnShipment, SaleOrder, utcnow
from ..printing import labels
from ..starshipit.client import AlreadyPrinted, Shipment, StarshipitClient
from . import sends
from .lock import Lease, LockTimeout, order_lock

SENT, CLONED, PRINTED = "sent", "cloned", "printed"
RETURN = "return"


@dataclass(frozen=True)
class ReturnOutcome:
    record: SaleOrder
    label: Label  # the return's label, with its bytes
    return_order_id: int  # the return's order in Starshipit
    reprint: bool  # True: the kept label, nothing asked of Starshipit


class ReturnMayStillLand(Unavailable):
    """The return was asked of Starshipit moments ago without an answer: do not clone again yet."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(
            "return_unconfirmed",
            "Starshipit has not confirmed this order's return yet: it was asked moments ago without an "
            "answer and may still appear. Try again shortly; it will not be made twice.",
            retry_after=retry_after,
        )


class ReturnService:
    """Return labels for one caller (``actor``: the token's name) within one database session."""

    def __init__(self, session: Session, upstreams: Upstreams, config: Mapping[str, Any], actor: str | None) -> None:
        self.session = session
        self.upstreams = upstreams
        self.config = config
        self.actor = actor

    def print_return(self, label_id: str) -> ReturnOutcome:
        """The return label of the order ``label_id`` belongs to: made now (clone + print: two
        calls to Starshipit) or, when the order has one, the kept one (none)."""
        label = self.session.get(Label, label_id)
        if label is None:
            raise NotFound("not_found", f"Label {label_id} does not exist.")
        record = self.session.get(SaleOrder, label.sale_order_pk)
        kept = self._kept(record)
        if kept is not None:
            return kept
        if record.starshipit_order_id is None or record.current_label_id is None:
            self.session.rollback()
            raise Conflict("not_printed", "This order has no current label to return; print its label first.")
        self.session.commit()  # no transaction stays open across the upstream calls
        try:
            with self._lock(record) as acquired:
                self.session.refresh(record)  # in the transaction that locked it
                pending = self._pending(record)
                self.session.commit()
                if not acquired or (pending is not None and pending.state == PRINTED):
                    return self._kept(record) or self._vanished()
                if pending is None or pending.state == SENT:
                    pending = self._clone(record, pending, acquired)
                return self._print(record, pending)
        except LockTimeout:
            raise Conflict(
                "request_in_progress",
                "Another workstation is working on this order right now; try again in a few seconds.",
                retry_after=2,
            ) from None

    # -- steps ------------------------------------------------------------------------------

    def _pending(self, record: SaleOrder) -> ReturnShipment | None:
        query = select(ReturnShipment).where(ReturnShipment.sale_order_pk == record.id)
        return self.session.scalars(query.execution_options(populate_existing=True)).first()

    def _kept(self, record: SaleOrder) -> ReturnOutcome | None:
        """The printed return, if any; the reprint is in the order's history (queued)."""
        row = self.session.execute(
            select(ReturnShipment, Label)
            .join(Label, Label.id == ReturnShipment.label_id)
            .where(ReturnShipment.sale_order_pk == record.id, ReturnShipment.state == PRINTED)
        ).first()
        if row is None:
            return None
        returned, label = row
        queue_event(
            self.session,
            record,
            "return_reprint",
            self.actor,
            label_id=label.id,
            return_order_id=returned.starshipit_order_id,
        )
        self.session.commit()
        return ReturnOutcome(record, label, returned.starshipit_order_id, True)

    def _vanished(self) -> ReturnOutcome:
        # The lock's holder finished, but without a printed return: it failed.
        raise Conflict("return_failed", "Another workstation's return label for this order failed; try again.")

    def _lock(self, record: SaleOrder):
        def printed() -> bool:
            state = self.session.scalar(select(ReturnShipment.state).where(ReturnShipment.sale_order_pk == record.id))
            self.session.commit()
            return state == PRINTED

        return order_lock(
            self.session,
            record.id,
            lease_seconds=self.config["ORDER_LOCK_SECONDS"],
            wait_seconds=self.config["ORDER_LOCK_WAIT_SECONDS"],
            done=printed,
        )

    def _clone(self, record: SaleOrder, pending: ReturnShipment | None, lease: Lease) -> ReturnShipment:
        """Ask Starshipit for the return, recorded (committed, with the lease renewed) before
        the request goes out; an earlier clone whose answer was lost is adopted instead."""
        if pending is None:
            pending = ReturnShipment(sale_order_pk=record.id, source_order_id=record.starshipit_order_id, state=SENT)
            self.session.add(pending)
        else:
            wait = (pending.sent_at + sends.in_flight_window(self.config) - utcnow()).total_seconds()
            if wait > 0:
                self.session.rollback()
                raise ReturnMayStillLand(retry_after=wait)
            self.session.commit()  # no transaction stays open across the look-up
            landed = self._earlier_clone(record, pending)
            if landed is not None:
                return self._cloned(record, pending, landed, "return_adopted")
            # Sent long enough ago to have landed had it been done, and not there: not done.
            pending.source_order_id = record.starshipit_order_id
        lease.hold(self.session, record.id)  # in the transaction that records the clone
        pending.sent_at, pending.created_by = utcnow(), self.actor
        self.session.commit()
        try:
            return_order_id = self._starshipit(record).clone_shipment(record.starshipit_order_id)
        except UpstreamError as error:
            if sends.outcome_of(error) == sends.REFUSED:
                self.session.delete(pending)  # refused before doing anything: nothing to wait for
            raise self._failed(record, from_upstream(error, "making the return")) from error
        return self._cloned(record, pending, return_order_id, "return_cloned")

    def _cloned(self, record: SaleOrder, pending: ReturnShipment, return_order_id: int, kind: str) -> ReturnShipment:
        pending.starshipit_order_id, pending.state = return_order_id, CLONED
        record_event(self.session, record, kind, self.actor, return_order_id=return_order_id)
        self.session.commit()
        return pending

    def _earlier_clone(self, record: SaleOrder, pending: ReturnShipment) -> int | None:
        """The id of the return an unanswered clone of ``pending.source_order_id`` made, if
        Starshipit has it: found by the shipment's number, marked ``return_order``."""
        if record.starshipit_order_number is None or pending.source_order_id != record.starshipit_order_id:
            return None  # the shipment changed since (voided, printed anew): its clone is not this one's
        starshipit, number = self._starshipit(record), record.starshipit_order_number
        try:
            for row in starshipit.search_orders(number):
                order_id = row.get("order_id")
                if not isinstance(order_id, int) or order_id == pending.source_order_id:
                    continue
                if not _numbered_after(str(row.get("order_number") or ""), number):
                    continue  # found by its recipient's name or a tracking number, or another order's number
                try:
                    if starshipit.get_order(order_id).get("return_order"):
                        return order_id
                except UpstreamNotFound:
                    continue  # deleted between the search and the read
        except UpstreamError as error:
            raise self._failed(record, from_upstream(error, "looking for the return asked before")) from error
        return None

    def _print(self, record: SaleOrder, pending: ReturnShipment) -> ReturnOutcome:
        starshipit = self._starshipit(record)
        try:
            shipment = self._print_once(starshipit, pending.starshipit_order_id)
            content, label_format = labels.combine(shipment.labels)
        except UpstreamError as error:
            raise self._failed(record, from_upstream(error, "printing the return label")) from error
        except ValueError as error:
            raise self._failed(
                record, Refused("upstream_bad_response", f"Starshipit's return label was unusable: {error}.")
            ) from error
        label = Label(
            sale_order_pk=record.id,
            kind=RETURN,
            format=label_format,
            content=content,
            carrier=shipment.carrier_name,
            carrier_service_code=shipment.carrier_service_code,
            tracking_numbers=list(shipment.tracking_numbers),
        )
        self.session.add(label)
        self.session.flush()
        pending.state, pending.label_id = PRINTED, label.id
        record_event(
            self.session,
            record,
            "return_printed",
            self.actor,
            label_id=label.id,
            return_order_id=pending.starshipit_order_id,
            carrier=label.carrier,
            tracking_numbers=label.tracking_numbers,
        )
        self.session.commit()
        return ReturnOutcome(record, label, pending.starshipit_order_id, False)

    @staticmethod
    def _print_once(starshipit: StarshipitClient, order_id: int) -> Shipment:
        """Print the return; if it was printed already (a print answered after its client left),
        fetch that label instead of booking another."""
        try:
            return starshipit.print_label(order_id=order_id)
        except AlreadyPrinted:
            return starshipit.print_label(order_id=order_id, reprint=True)

    def _starshipit(self, record: SaleOrder) -> StarshipitClient:
        return self.upstreams.starshipit(self.upstreams.accounts().starshipit(record.starshipit_account))

    def _failed(self, record: SaleOrder, error: Failure) -> Failure:
        """Keep the failure in the order's history (what was recorded before it stays)."""
        self.session.commit()
        record_event(self.session, record, "return_failed", self.actor, code=error.code, message=error.message)
        self.session.commit()
        return error


def _numbered_after(order_number: str, number: str) -> bool:
    """``order_number`` is ``number`` or ``number`` and a suffix (``SO-10045-R``), not another
    order's number that starts the same (``SO-100451``)."""
    rest = order_number.removeprefix(number)
    return order_number.startswith(number) and (not rest or not rest[0].isalnum())
