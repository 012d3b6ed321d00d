"""Voiding a label: its shipment taken out of Starshipit, the label kept and marked void, and the
sale order free for a new shipment.

Under the order's lock (the one printing takes), Starshipit's order is read, then deleted when
Starshipit holds it unshipped (no courier booking left) or archived when it is printed (so it is
not manifested). A refusal is a ``Refused`` in Starshipit's words, and nothing changes here. Then
in one transaction: the label marked void, the order left without a Starshipit order (state
``voided``; its next order is numbered past this one, ``numbering.py``, so the archived order is
never found and reused), the event in the order's history, and the writeback job that clears (or
annotates) what the label wrote back to CartonCloud. Voiding a void label answers as the first
void did, without asking Starshipit again.

Requests to Starshipit per void: 2 (read the order; delete or archive it), 1 when Starshipit no
longer has the order or has archived it already, 0 for a label voided already.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from .. import outbox
from ..clients import Upstreams
from ..events import record_event
from ..failures import Conflict, NotFound, from_upstream
from ..http.errors import UpstreamError, UpstreamNotFound
from ..models import Label, OutboxJob, SaleOrder, utcnow
from .lock import LockTimeout
from .service import lock_order, starshipit_for

DELETED, ARCHIVED = "deleted", "archived"
VOIDED = "voided"  # the sale order's state after a void, until it is printed again
UNSHIPPED_STATUSES = ("Unshipped", "Saved")
CANCELLED_IN_CARTONCLOUD = "cancelled in CartonCloud"

# What a void did and did not do, in words for the packer (the API's ``explanation``).
EXPLANATIONS = {
    DELETED: "The order was deleted from Starshipit: it held no courier booking there, so nothing will be "
    "manifested or collected for it. Throw the printed label away. Print label makes a new shipment.",
    ARCHIVED: "The shipment was archived in Starshipit, so it will not be manifested with the day's parcels. "
    "Voiding does not cancel anything at the courier or recall a parcel: if it was already handed to the "
    "courier, contact them. Throw the printed label away. Print label makes a new shipment.",
}


@dataclass(frozen=True)
class VoidOutcome:
    record: SaleOrder
    label: Label
    already: bool  # voided before: this void asked Starshipit nothing
    writeback: str  # the clearing job's state: queued, done, failed or disabled

    @property
    def explanation(self) -> str:
        return EXPLANATIONS[self.label.void_action]


class Voider:
    """Voids labels for one caller (``actor``: the token's name, or the worker's) in one session."""

    def __init__(self, session: Session, upstreams: Upstreams, config: Mapping[str, Any], actor: str | None) -> None:
        self.session = session
        self.upstreams = upstreams
        self.config = config
        self.actor = actor

    def void(self, label_id: str, reason: str) -> VoidOutcome:
        """Void ``label_id`` (the order's current label, or one voided already).
        Raises NotFound, Conflict (replaced by a newer label; the order is busy), Refused
        (Starshipit's words) or Unavailable."""
        label = self.session.get(Label, label_id, options=[defer(Label.content)])  # its bytes are not needed
        if label is None:
            raise NotFound("not_found", f"Label {label_id} does not exist.")
        record = self.session.get(SaleOrder, label.sale_order_pk)
        self.session.commit()
        if label.voided_at is not None:
            return self._outcome(record, label, already=True)
        try:
            with lock_order(self.session, self.config, record):
                self.session.refresh(record)  # in the transaction that locked it
                self.session.refresh(label)
                self.session.commit()  # no transaction stays open across the upstream calls
                if label.voided_at is not None:
                    return self._outcome(record, label, already=True)
                if record.current_label_id != label.id:
                    raise _replaced()
                action = self._take_out_of_starshipit(record, label.starshipit_order_id)
                return self._mark_void(record, label, action, reason)
        except LockTimeout:
            raise Conflict(
                "request_in_progress",
                "Another workstation is printing or voiding this order right now; try again in a few seconds.",
                retry_after=2,
            ) from None

    # -- steps ------------------------------------------------------------------------------

    def _take_out_of_starshipit(self, record: SaleOrder, label_order_id: int | None) -> str:
        """Delete or archive the order in Starshipit; what was done (DELETED or ARCHIVED)."""
        order_id = record.starshipit_order_id or label_order_id
        if order_id is None:
            return DELETED  # labelbridge never knew a Starshipit order for it: nothing is there
        starshipit = starshipit_for(self.upstreams, record)
        doing = "reading the order to void it"
        try:
            order = starshipit.get_order(order_id)
            if order.get("status") in UNSHIPPED_STATUSES:
                doing = "deleting the order"
                starshipit.delete_order(order_id)
                return DELETED
            if not order.get("archived"):
                doing = "archiving the order"
                starshipit.archive_order(order_id)
            return ARCHIVED
        except UpstreamNotFound:
            return DELETED  # not (or no longer) in Starshipit
        except UpstreamError as error:
            failure = from_upstream(error, doing)
            self.session.rollback()
            record_event(self.session, record, "void_refused", self.actor, code=failure.code, message=failure.message)
            self.session.commit()
            raise failure from error

    def _mark_void(self, record: SaleOrder, label: Label, action: str, reason: str) -> VoidOutcome:
        """The label void and the order free for a new shipment, with its history and the
        writeback job, in one transaction."""
        order_id, order_number = record.starshipit_order_id, record.starshipit_order_number
        label.voided_at, label.void_reason, label.voided_by, label.void_action = utcnow(), reason, self.actor, action
        label.starshipit_order_id = label.starshipit_order_id or order_id
        record.current_label_id = None
        record.starshipit_order_id = record.starshipit_order_number = None
        record.carrier, record.tracking_numbers = None, []
        record.tracking_status = record.tracking_updated_at = None
        record.last_error_code = record.last_error_message = record.last_error_at = None
        record.voided_shipments += 1
        record.state = VOIDED
        job = outbox.enqueue_void(self.session, record, label, self.config["WRITEBACK_MODE"])
        self.session.flush()
        record_event(
            self.session,
            record,
            "void",
            self.actor,
            label_id=label.id,
            reason=reason,
            action=action,
            order_id=order_id,
            order_number=order_number,
            tracking_numbers=label.tracking_numbers,
            job_id=job.id if job else None,
        )
        self.session.commit()
        return VoidOutcome(record, label, False, outbox.writeback_of(job and job.state, self.config["WRITEBACK_MODE"]))

    def _outcome(self, record: SaleOrder, label: Label, *, already: bool) -> VoidOutcome:
        job_state = self.session.scalar(
            select(OutboxJob.state)
            .where(OutboxJob.label_id == label.id, OutboxJob.kind == outbox.VOID)
            .order_by(OutboxJob.id.desc())
            .limit(1)
        )
        self.session.commit()
        return VoidOutcome(record, label, already, outbox.writeback_of(job_state, self.config["WRITEBACK_MODE"]))


def last_voided(session: Session, record: SaleOrder) -> Label | None:
    """The label voided last, while the order is ``voided`` (no shipment since); else None."""
    if record.state != VOIDED:
        return None
    label = session.scalar(
        select(Label)
        .options(defer(Label.content))
        .where(Label.sale_order_pk == record.id, Label.voided_at.is_not(None))
        .order_by(Label.voided_at.desc())
        .limit(1)
    )
    session.commit()
    return label


def voided_tracking(session: Session, record_pk: int) -> set[str]:
    """The tracking numbers of the order's voided labels: an update about them changes nothing."""
    rows = session.scalars(
        select(Label.tracking_numbers).where(Label.sale_order_pk == record_pk, Label.voided_at.is_not(None))
    )
    return {number for numbers in rows for number in numbers or []}


def _replaced() -> Conflict:
    return Conflict("label_replaced", "That label has been replaced by a newer one; void the order's current label.")
