"""One order's label: find or create the Starshipit order, print once, store, queue writeback;
reprint what is stored; redo on purpose.

Exactly one shipment per sale order rests on three things: the unique (tenant, sale order) row,
the per-order lock around create-and-print, and create-or-lookup by ``order_number`` (Starshipit
has no idempotency key). Progress is committed as it is made (the Starshipit order id first), so
a print that fails half way continues from there on the next click.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, insert, select
from sqlalchemy.orm import Session, defer

from .. import outbox
from ..clients import Upstreams
from ..db import read_only
from ..events import queue_event, record_event, record_events
from ..failures import Conflict, Failure, Invalid, NotFound, Refused, from_upstream
from ..http.errors import UpstreamError, UpstreamNotFound
from ..mapping import UnshippableOrder, build_starshipit_order
from ..models import Label, SaleOrder, new_id, utcnow
from ..printing import labels
from ..starshipit.client import AlreadyPrinted, Shipment, StarshipitClient
from ..troubleshooting.address_check import check_address
from . import creation, known, record_columns, resolver, sends
from .chosen_service import ChosenService, needs_redo
from .identifiers import SaleOrderRef
from .lock import Lease, LockTimeout, holding, new_lease, order_lock
from .settings import mapping_settings

_NEW_LABEL = insert(Label.__table__)


@dataclass(frozen=True)
class PrintOutcome:
    record: SaleOrder | Row  # a reprint's are rows as read (server/orders/known.py)
    label: known.StoredLabel
    reprint: bool
    writeback: str
    after_void: Label | None = None  # the voided label this first print since its void replaces

    def replaced_void(self) -> dict[str, Any] | None:
        """What the answer says of ``after_void`` (the print page shows its tracking numbers)."""
        if self.after_void is None:
            return None
        return {"label_id": self.after_void.id, "tracking_numbers": list(self.after_void.tracking_numbers or [])}


def not_shippable(unshippable: UnshippableOrder) -> Invalid:
    """Every reason the sale order cannot be shipped, each under its field."""
    errors: dict[str, list[str]] = {}
    for issue in unshippable.issues:
        errors.setdefault(issue.field, []).append(issue.message)
    words = " ".join(issue.message for issue in unshippable.issues)
    return Invalid("sale_order_not_shippable", f"This sale order cannot be shipped: {words}", errors=errors)


def _busy() -> Conflict:
    return Conflict(
        "request_in_progress",
        "Another workstation is printing this order right now; try again in a few seconds.",
        retry_after=2,
    )


class PrintService:
    """Prints labels for one caller (``actor``: the token's name) within one database session."""

    def __init__(self, session: Session, upstreams: Upstreams, config: Mapping[str, Any], actor: str | None) -> None:
        self.session = session
        self.upstreams = upstreams
        self.config = config
        self.actor = actor

    # -- public -----------------------------------------------------------------------------

    def print_label(
        self, ref: SaleOrderRef, tenant_slug: str | None = None, service: ChosenService | None = None
    ) -> PrintOutcome:
        """Print the sale order's label, or return the one it already has (``reprint``: one read
        and the audit row, no upstream call). ``service``: the packer's pick (None: the mapping
        rules'); another service than the label's is a new shipment, so a redo (Conflict)."""
        self.check_tenant(tenant_slug)
        found = known.by_ref(self.session, self._tenant_id(), ref, self._mode(), content=True)
        if found is not None and found.label is not None:
            return self._reprinted(found, service)
        if found is not None:
            return self.print_record(self._stored(found.record.id), None, service)
        return self._print_new(ref, service)

    def lookup(self, ref: SaleOrderRef) -> known.Known:
        """What labelbridge knows of the sale order (its label without the bytes); CartonCloud is
        asked only about a sale order labelbridge has not seen yet."""
        found = known.by_ref(self.session, self._tenant_id(), ref, self._mode())
        if found is not None:
            return found
        record, _sale_order = self._from_cartoncloud(ref)
        return known.Known(record, None, None)

    def print_record(
        self, record: SaleOrder, sale_order: dict[str, Any] | None = None, service: ChosenService | None = None
    ) -> PrintOutcome:
        """``print_label`` for a sale order resolved already (a batch resolves all of its orders
        first); ``sale_order`` is its CartonCloud JSON when at hand, else it is read when needed."""
        if record.current_label_id:
            found = known.by_pk(self.session, record.id, self._mode(), content=True)
            if found.label is not None:
                return self._reprinted(found, service)
            # Its label was voided meanwhile (relabelled in Starshipit): print anew (the record is
            # read again under the lock).
        try:
            with self._lock(record, until=self._labelled(record)) as lease:
                self.session.refresh(record)  # in the transaction that locked it
                self.session.commit()  # no transaction stays open across the upstream calls
                if lease is None or record.current_label_id:
                    return self._reprint(record, service)
                return self._create_and_print(record, lease, sale_order, service)
        except LockTimeout:
            raise _busy() from None

    def redo(self, label_id: str, reason: str, service: ChosenService | None = None) -> PrintOutcome:
        """A deliberate new label (a new shipment) for an order that has one; records the old one.

        The old label stops being the order's before Starshipit is asked (``redo_started``): a
        redo that fails or is cut short half way (the order reopened, or a new label made and
        not stored) leaves the next print to fetch the label Starshipit holds, never to hand out
        one Starshipit has voided. ``service``: book the new label with this service."""
        old = self.session.get(Label, label_id)
        if old is None:
            raise NotFound("not_found", f"Label {label_id} does not exist.")
        record = self.session.get(SaleOrder, old.sale_order_pk)
        if record.current_label_id != old.id:
            raise Conflict("label_replaced", "That label has been replaced already; redo the order's current label.")
        try:
            with self._lock(record, until=lambda: False) as lease:
                self.session.refresh(record)  # in the transaction that locked it
                self.session.commit()  # no transaction stays open across the upstream calls
                if record.current_label_id != old.id:
                    raise Conflict("label_replaced", "That label was replaced meanwhile by another request.")
                record.current_label_id = None
                record_event(self.session, record, "redo_started", self.actor, label_id=old.id, reason=reason)
                self.session.commit()
                starshipit = self._starshipit_for(record)
                try:
                    starshipit.update_order({"order_id": record.starshipit_order_id, "status": "Unshipped"})
                    shipment = starshipit.print_label(order_id=record.starshipit_order_id, **_booking(service))
                except UpstreamError as error:
                    raise self._failure(record, error, "printing a new label") from error
                label, writeback = self._store(record, lease, shipment, "redo", service, replaces=old, reason=reason)
                return PrintOutcome(record, label, False, writeback)
        except LockTimeout:
            raise _busy() from None

    def resolve(self, ref: SaleOrderRef) -> tuple[SaleOrder, dict[str, Any] | None]:
        return resolver.resolve(self.session, self.upstreams.cartoncloud, self._tenant_id(), ref)

    def _print_new(self, ref: SaleOrderRef, service: ChosenService | None) -> PrintOutcome:
        """``print_label`` for a sale order labelbridge did not know a moment ago: its record is
        written already locked by this print (one write, not a second to lock it), unless another
        request recorded it meanwhile: then it is printed as any known order, under the lock."""
        lease = new_lease(self.config["ORDER_LOCK_SECONDS"])
        record, sale_order = self._from_cartoncloud(ref, locked_by=lease)
        if record.lock_token != lease.token:
            return self.print_record(record, sale_order, service)
        with holding(self.session, record.id, lease):
            return self._create_and_print(record, lease, sale_order, service)

    def _from_cartoncloud(self, ref: SaleOrderRef, locked_by: Lease | None = None) -> tuple[SaleOrder, dict[str, Any]]:
        """``resolve`` for a ``ref`` just read as unknown (``known.by_ref``): not read again."""
        return resolver.from_cartoncloud(
            self.session, self.upstreams.cartoncloud, self._tenant_id(), ref, locked_by=locked_by
        )

    def _stored(self, record_pk: int) -> SaleOrder:
        """The record as the session's own, to print it (a lookup reads it as a plain row)."""
        record = read_only(self.session).get(SaleOrder, record_pk, populate_existing=True)
        self.session.commit()
        return record

    def _tenant_id(self) -> str:
        return self.upstreams.cartoncloud_credentials().tenant_id

    def _mode(self) -> str:
        return self.config["WRITEBACK_MODE"]

    # -- steps ------------------------------------------------------------------------------

    def check_tenant(self, tenant_slug: str | None) -> None:
        expected = self.upstreams.cartoncloud_credentials().tenant_slug
        if tenant_slug and expected and tenant_slug.lower() != expected.lower():
            raise Invalid(
                "wrong_tenant",
                f"This labelbridge is connected to the CartonCloud tenant '{expected}', "
                f"but the page is from '{tenant_slug}'.",
                errors={"tenant_slug": [f"Expected '{expected}'."]},
            )

    def _labelled(self, record: SaleOrder):
        def labelled() -> bool:
            label_id = self.session.scalar(select(SaleOrder.current_label_id).where(SaleOrder.id == record.id))
            self.session.commit()
            return label_id is not None

        return labelled

    def _lock(self, record: SaleOrder, until):
        return lock_order(self.session, self.config, record, until)

    def _reprint(self, record: SaleOrder, service: ChosenService | None) -> PrintOutcome:
        found = known.by_pk(self.session, record.id, self._mode(), content=True)
        if found.label is None:  # printed by another request, then voided by a relabel, all meanwhile
            raise Conflict(
                "label_replaced",
                "This order's label was replaced while it was being printed; print it again to get the new one.",
                retry_after=1,
            )
        return self._reprinted(found, service)

    def _reprinted(self, found: known.Known, service: ChosenService | None) -> PrintOutcome:
        """The stored label again; the reprint is in the order's history, queued to be written
        with others (server/event_queue.py), so answering it writes nothing. A label booked with
        another service than ``service`` is not reprinted: that is a redo."""
        if service is not None and not service.booked_on(found.label):
            raise needs_redo()
        queue_event(self.session, found.record, "reprint", self.actor, label_id=found.label.id)
        if self.session.new:  # the process does not batch its audit rows: this one is written now
            self.session.commit()
        return PrintOutcome(found.record, found.label, True, found.writeback)

    def _create_and_print(
        self, record: SaleOrder, lease: Lease, sale_order: dict[str, Any] | None, service: ChosenService | None
    ) -> PrintOutcome:
        printed_already = False
        if record.starshipit_order_id is None:
            sale_order = sale_order or self._fetch_sale_order(record)
            printed_already = self._ensure_starshipit_order(record, lease, sale_order)
        starshipit = self._starshipit_for(record)
        try:
            shipment, booked_now = self._print_once(starshipit, record, printed_already, service)
        except UpstreamError as error:
            raise self._failure(record, error, "printing the label") from error
        # A shipment booked before (in Starshipit's app) keeps its own service, not the pick.
        after_void = self._voided_last(record)
        label, writeback = self._store(record, lease, shipment, "print", service if booked_now else None)
        return PrintOutcome(record, label, False, writeback, after_void)

    def _voided_last(self, record: SaleOrder) -> Label | None:
        """The order's latest label when it is void (so the label printed now replaces it); None
        for an order never voided (no query) or whose latest label stands."""
        if not record.voided_shipments:
            return None
        latest = self.session.scalar(
            select(Label)
            .options(defer(Label.content))
            .where(Label.sale_order_pk == record.id, Label.kind == "shipment")
            .order_by(Label.created_at.desc())
            .limit(1)
        )
        return latest if latest is not None and latest.voided_at is not None else None

    def _fetch_sale_order(self, record: SaleOrder) -> dict[str, Any]:
        try:
            sale_order = self.upstreams.cartoncloud().get_sale_order(record.sale_order_id)
        except UpstreamNotFound:
            raise NotFound("not_found", f"Sale order {record.numeric_id} is no longer in CartonCloud.") from None
        except UpstreamError as error:
            raise from_upstream(error, "reading the sale order") from error
        resolver.apply_sale_order(record, sale_order)
        self.session.commit()
        return sale_order

    def _starshipit_for(self, record: SaleOrder) -> StarshipitClient:
        return starshipit_for(self.upstreams, record)

    def _ensure_starshipit_order(self, record: SaleOrder, lease: Lease, sale_order: dict) -> bool:
        """Find the Starshipit order by its number (the trigger or another integration may have
        made it) or create it (``creation.find_or_create``, under the rule every path shares);
        its id is committed at once so a later failure continues from here.
        Returns whether that order is printed already."""
        try:
            order, warnings = build_starshipit_order(sale_order, mapping_settings(self.config))
        except UnshippableOrder as unshippable:
            raise self._unshippable(record, unshippable) from None
        account = self.upstreams.accounts().route(sale_order)
        if self.config["VALIDATE_ADDRESSES"]:
            # Advice for the history only: the label still prints, to the address as written.
            address = check_address(self.upstreams.starshipit(account), order["destination"])
            warnings = [*warnings, address.issue] if address.issue else warnings
        try:
            found, _kind = creation.find_or_create(
                self.session,
                self.upstreams.starshipit(account),
                record,
                order,
                self.actor,
                warnings,
                account=account.name,
                window=sends.in_flight_window(self.config),
                lease=lease,
            )
        except UpstreamError as error:
            raise self._failure(record, error, "creating the order") from error
        except sends.CreateMayStillLand as unconfirmed:
            raise self._remember(record, unconfirmed) from None
        return found.get("status") in creation.PRINTED_STATUSES

    def _print_once(
        self, starshipit: StarshipitClient, record: SaleOrder, printed_already: bool, service: ChosenService | None
    ) -> tuple[Shipment, bool]:
        """Print; when Starshipit says the order is printed already, fetch that label instead
        (booked with the service it was booked with). Also says whether the shipment was booked now."""
        if printed_already:
            return starshipit.print_label(order_id=record.starshipit_order_id, reprint=True), False
        try:
            return starshipit.print_label(order_id=record.starshipit_order_id, **_booking(service)), True
        except AlreadyPrinted:
            return starshipit.print_label(order_id=record.starshipit_order_id, reprint=True), False

    def _store(
        self,
        record: SaleOrder,
        lease: Lease,
        shipment: Shipment,
        kind: str,
        service: ChosenService | None,
        replaces: Label | None = None,
        reason: str | None = None,
    ) -> tuple[known.StoredLabel, str]:
        """Label, tracking and the writeback job in one transaction, which also ends the lock
        (``lease``); the label and its writeback state. Each row is written by one Core
        statement as it is made, the record kept in step (``record_columns``): no unit of work."""
        try:
            content, label_format = labels.combine(shipment.labels)
        except ValueError as error:
            raise self._remember(
                record, Refused("upstream_bad_response", f"Starshipit's label was unusable: {error}.")
            ) from error
        label = known.StoredLabel(
            id=new_id(),
            format=label_format,
            carrier=shipment.carrier_name,
            carrier_service_code=shipment.carrier_service_code or (service and service.carrier_service_code),
            tracking_numbers=list(shipment.tracking_numbers),
            content=content,
        )
        replaced_id = replaces.id if replaces else None
        self.session.connection().execute(
            _NEW_LABEL,
            {
                "id": label.id,
                "sale_order_pk": record.id,
                "format": label.format,
                "content": label.content,
                "carrier": label.carrier,
                "carrier_service_code": label.carrier_service_code,
                "service_chosen_by": self.actor if service else None,
                "tracking_numbers": label.tracking_numbers,
                "replaces_label_id": replaced_id,
                "replaced_reason": reason,
                "starshipit_order_id": record.starshipit_order_id,
            },
        )
        labelled = {
            "current_label_id": label.id,
            "carrier": label.carrier,
            "tracking_numbers": list(label.tracking_numbers),
            "state": "labelled",
            "last_error_code": None,
            "last_error_message": None,
            "last_error_at": None,
            "updated_at": utcnow(),
        }
        record_columns.write(self.session, [(record, labelled)])
        job_id = outbox.enqueue(self.session, record.id, label.id, self._mode())
        printed = {
            "label_id": label.id,
            "tracking_numbers": label.tracking_numbers,
            "carrier": label.carrier,
            "carrier_service_code": label.carrier_service_code,
            "service_chosen": service is not None,
            "replaces_label_id": replaced_id,
            "reason": reason,
        }
        events = [(record, kind, self.actor, printed)]
        if job_id is not None:
            queued = {"job_id": job_id, "mode": self._mode(), "label_id": label.id}
            events.append((record, "writeback_queued", self.actor, queued))
        record_events(self.session, events)  # one INSERT, no object or flush for each
        lease.commit_and_release(self.session, [record.id])
        return label, outbox.writeback_of(outbox.QUEUED if job_id is not None else None, self._mode())

    # -- failures ---------------------------------------------------------------------------

    def _unshippable(self, record: SaleOrder, unshippable: UnshippableOrder) -> Invalid:
        return self._remember(record, not_shippable(unshippable))

    def _failure(self, record: SaleOrder, upstream: UpstreamError, doing: str) -> Failure:
        return self._remember(record, from_upstream(upstream, doing))

    def _remember(self, record: SaleOrder, error: Failure) -> Failure:
        """Keep the error on the record (the lookup shows it) and in the order's history."""
        self.session.rollback()
        record.last_error_code, record.last_error_message, record.last_error_at = error.code, error.message, utcnow()
        record_event(self.session, record, "error", self.actor, code=error.code, message=error.message)
        self.session.commit()
        return error


def starshipit_for(upstreams: Upstreams, record: SaleOrder) -> StarshipitClient:
    """The client of the account that holds (or will hold) the record's Starshipit order."""
    return upstreams.starshipit(upstreams.accounts().starshipit(record.starshipit_account))


def lock_order(session: Session, config: Mapping[str, Any], record: SaleOrder, until=lambda: False):
    """The order's lock (``lock.order_lock``) for as long as the settings say; ``until``: the
    work was finished by someone else while waiting."""
    return order_lock(
        session,
        record.id,
        lease_seconds=config["ORDER_LOCK_SECONDS"],
        wait_seconds=config["ORDER_LOCK_WAIT_SECONDS"],
        done=until,
    )


def _booking(service: ChosenService | None) -> dict[str, str]:
    """The print call's ``carrier`` and ``carrier_service_code``: none leaves the order's own
    (what the mapping rules set, or Starshipit's default)."""
    if service is None:
        return {}
    return {key: value for key, value in service.as_detail().items() if value is not None}
