"""The status trigger: sale orders at or past a trigger status are created in Starshipit,
fifty to a request through the order core's bulk import, each exactly once (``orders.bulk``).

``Transfer`` is fed sale order entities (by the poll, the webhook inbox and the sweep of orders
left pending), keeps labelbridge's record of each up to date (an order cancelled after its label
was printed is voided or flagged: ``cancellations.py``), and buffers those to create per
Starshipit account until it has a full import. Orders that cannot be mapped are recorded with
their reasons and left alone until CartonCloud changes them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..accounts import StarshipitCredentials
from ..clients import Upstreams
from ..db import refresh_statistics
from ..events import record_event
from ..http.errors import UpstreamError, UpstreamNotFound, UpstreamRejected
from ..mapping import UnshippableOrder, build_starshipit_order
from ..models import SaleOrder, StarshipitCreate, utcnow
from ..orders import resolver
from ..orders.bulk import MAX_IMPORT, BulkCreator, Candidate, ImportAborted
from ..orders.settings import mapping_settings
from ..statuses import eligible_statuses
from .cancellations import Cancellations
from .entities import fingerprint, is_older, modified_at, newest_per_order
from .summary import Summary

# An order whose transfer failed on an upstream error is swept up again after this long.
RETRY_AFTER_ERROR = timedelta(minutes=2)
SWEEP_LIMIT = 200
# A pass that has recorded this many new orders refreshes the database's statistics of them, and
# again each time it has doubled that count (``db.refresh_statistics``): a new installation's first
# pass over thousands of packed orders otherwise reads them with the plans made for an empty table
# (on PostgreSQL, 10,000 orders took 1.4 times as long).
REFRESH_STATISTICS_AFTER = 1000


class TransferAborted(Exception):
    """Starshipit (or CartonCloud) failed in a way that makes the rest of this pass pointless;
    the orders stay pending and are picked up again by the next pass."""


class Transfer:
    """One pass's transfers, within one session. ``add`` then ``finish``."""

    def __init__(
        self,
        session: Session,
        upstreams: Upstreams,
        config: Mapping[str, Any],
        summary: Summary,
        *,
        actor: str,
        report: bool = False,
    ) -> None:
        self.session = session
        self.upstreams = upstreams
        self.summary = summary
        self.actor = actor
        self.eligible = eligible_statuses(config["TRIGGER_STATUSES"])
        self.settings = mapping_settings(config)
        self.tenant_id = upstreams.cartoncloud_credentials().tenant_id
        # Sale order id -> what became of it, kept only when asked (``report``: the inbox marks
        # each event with it), so a poll of any number of orders holds none of them.
        self.outcomes: dict[str, str] | None = {} if report else None
        self._creator = BulkCreator(session, upstreams, config, self, tenant_id=self.tenant_id, actor=actor)
        self._buffers: dict[StarshipitCredentials, list[Candidate]] = {}
        self._routes: dict[tuple[Any, Any], StarshipitCredentials] = {}
        self._cancellations = Cancellations(session, upstreams, config, summary, actor=actor)
        self._previous: dict[int, str | None] = {}  # each record's status before this pass's copy
        self._recorded, self._refresh_at = 0, REFRESH_STATISTICS_AFTER  # new records, and when to refresh

    # -- public ---------------------------------------------------------------------------

    def add(self, sale_orders: Iterable[dict[str, Any]]) -> None:
        """Consider these sale orders; full imports are sent as they fill up."""
        sale_orders = newest_per_order(list(sale_orders))
        if not sale_orders:
            return
        with self._completing_on_error():
            # Every order is recorded, eligible or not: its version stops an older copy delivered
            # late (still PACKED, say, when it is REJECTED now) from being transferred.
            records = self._records(sale_orders)
            self._cancellations.check(list(records.values()), self._previous)
            eligible = [so for so in sale_orders if so.get("status") in self.eligible]
            self.summary.found += len(eligible)
            for sale_order in eligible:
                candidate = self._candidate(records[sale_order["id"]], sale_order)
                if candidate is not None:
                    self._buffers.setdefault(self._route(sale_order), []).append(candidate)
            self.session.commit()
            for account, buffer in self._buffers.items():
                while len(buffer) >= MAX_IMPORT:
                    self._send(account, buffer[:MAX_IMPORT])
                    del buffer[:MAX_IMPORT]

    def finish(self) -> None:
        """Send what is still buffered, and record what the last import created."""
        with self._completing_on_error():
            for account, buffer in self._buffers.items():
                while buffer:
                    self._send(account, buffer[:MAX_IMPORT])
                    del buffer[:MAX_IMPORT]
            self._complete_in_flight()

    def sweep(self, limit: int = SWEEP_LIMIT) -> None:
        """Orders labelbridge knows to be at or past a trigger status but not in Starshipit yet
        (a failed import, an answer that never came, a busy order): read again and transferred."""
        now = utcnow()
        query = (
            select(SaleOrder)
            .where(
                SaleOrder.tenant_id == self.tenant_id,
                SaleOrder.starshipit_order_id.is_(None),
                SaleOrder.blocked_fingerprint.is_(None),
                SaleOrder.status.in_(self.eligible),
                or_(SaleOrder.lock_token.is_(None), SaleOrder.locked_until < now),
                or_(SaleOrder.last_error_at.is_(None), SaleOrder.last_error_at < now - RETRY_AFTER_ERROR),
            )
            .order_by(SaleOrder.updated_at)
            .limit(limit)
        )
        pending = list(self.session.scalars(query))
        self.session.commit()
        if not pending:
            return
        cartoncloud = self.upstreams.cartoncloud()
        sale_orders = []
        for record in pending:
            try:
                sale_orders.append(cartoncloud.get_sale_order(record.sale_order_id))
            except UpstreamNotFound:
                gone = [{"field": "", "message": "The sale order is no longer in CartonCloud."}]
                self._block(record, "deleted", gone, code="not_found")
                self.session.commit()
            except UpstreamError as error:
                raise TransferAborted(f"CartonCloud failed while reading pending orders: {error.message}") from error
        self.add(sale_orders)
        self.finish()

    @contextmanager
    def _completing_on_error(self) -> Iterator[None]:
        """Whatever fails, an import already on its way has its result recorded."""
        try:
            yield
        except BaseException:
            self.session.rollback()  # what this pass did so far is committed already
            with contextlib.suppress(TransferAborted):  # the first failure is the one to report
                self._complete_in_flight()
            raise

    def _send(self, account: StarshipitCredentials, candidates: list[Candidate]) -> None:
        try:
            self._creator.send(account, candidates)
        except ImportAborted as aborted:
            raise TransferAborted(str(aborted)) from aborted

    def _complete_in_flight(self) -> None:
        try:
            self._creator.complete()
        except ImportAborted as aborted:
            raise TransferAborted(str(aborted)) from aborted

    # -- records --------------------------------------------------------------------------

    def _records(self, sale_orders: list[dict[str, Any]]) -> dict[str, SaleOrder]:
        """labelbridge's record of each sale order, updated when newer, and created when new: the
        new ones in one ``INSERT … RETURNING`` (the ORM's unit of work, an object and a flush
        per order, was a fifth of a transfer's time)."""
        ids = [sale_order["id"] for sale_order in sale_orders]
        query = select(SaleOrder).where(SaleOrder.tenant_id == self.tenant_id, SaleOrder.sale_order_id.in_(ids))
        records = {record.sale_order_id: record for record in self.session.scalars(query)}
        self._previous = {record.id: record.status for record in records.values()}
        new = [sale_order for sale_order in sale_orders if sale_order["id"] not in records]
        for sale_order in sale_orders:
            if sale_order["id"] in records:
                _apply(records[sale_order["id"]], sale_order)
        try:
            if new:
                rows = [self._new_record(sale_order) for sale_order in new]
                created = self.session.scalars(insert(SaleOrder).returning(SaleOrder), rows)
                records.update((record.sale_order_id, record) for record in created)
            self.session.commit()
        except IntegrityError:  # another worker or a click recorded one of them meanwhile
            self.session.rollback()
            records = {so["id"]: resolver.record_for(self.session, self.tenant_id, so) for so in sale_orders}
            for sale_order in sale_orders:
                _apply(records[sale_order["id"]], sale_order)
            self.session.commit()
        self._count_recorded(len(new))
        return records

    def _count_recorded(self, count: int) -> None:
        self._recorded += count
        if self._recorded >= self._refresh_at:
            refresh_statistics(self.session, SaleOrder, StarshipitCreate)
            self._refresh_at = 2 * self._recorded

    def _new_record(self, sale_order: dict[str, Any]) -> dict[str, Any]:
        return {
            "tenant_id": self.tenant_id,
            "sale_order_id": sale_order["id"],
            "state": "new",
            "tracking_numbers": [],
            **_newer_values(sale_order),
        }

    def _candidate(self, record: SaleOrder, sale_order: dict[str, Any]) -> Candidate | None:
        if record.starshipit_order_id is not None:
            return self._skip(sale_order, "already_in_starshipit")
        if is_older(sale_order, record.source_version):
            return self._skip(sale_order, "older_than_known")
        if record.blocked_fingerprint == fingerprint(sale_order):
            return self._skip(sale_order, "not_shippable_unchanged")
        try:
            order, warnings = build_starshipit_order(sale_order, self.settings)
        except UnshippableOrder as unshippable:
            reasons = [{"field": issue.field, "message": issue.message} for issue in unshippable.issues]
            self._block(record, fingerprint(sale_order), reasons, code="sale_order_not_shippable")
            return self._skip(sale_order, "not_shippable")
        return Candidate(record.id, sale_order, order, tuple(warnings))

    def _route(self, sale_order: dict[str, Any]) -> StarshipitCredentials:
        """The sale order's Starshipit account, asked once per customer in a pass."""
        customer = sale_order.get("customer") or {}
        key = (customer.get("id"), (customer.get("references") or {}).get("code"))
        if key not in self._routes:
            self._routes[key] = self.upstreams.accounts().route(sale_order)
        return self._routes[key]

    def _block(self, record: SaleOrder, state: str, reasons: list[dict[str, str]], *, code: str) -> None:
        """Not retried until the sale order changes (its fingerprint ``state``)."""
        words = " ".join(reason["message"] for reason in reasons)
        record.blocked_fingerprint, record.blocked_reasons = state, reasons
        record.last_error_code, record.last_error_at = code, utcnow()
        record.last_error_message = f"This sale order cannot be created in Starshipit: {words}"
        record_event(
            self.session, record, "transfer_blocked", self.actor, code=code, reasons=reasons, fingerprint=state
        )

    def _skip(self, sale_order: dict[str, Any], reason: str) -> None:
        self.summary.skip(reason)
        self._note(sale_order["id"], reason)
        return None

    # -- what became of each order (bulk.Outcomes) ------------------------------------------

    def _note(self, sale_order_id: str, outcome: str) -> None:
        if self.outcomes is not None:
            self.outcomes[sale_order_id] = outcome

    def skipped(self, candidate: Candidate, reason: str) -> None:
        self._skip(candidate.sale_order, reason)

    def created(self, candidate: Candidate) -> None:
        self.summary.created += 1
        self._note(candidate.sale_order["id"], "created")

    def refused(self, candidate: Candidate, record: SaleOrder, refusal: UpstreamRejected) -> None:
        reasons = [{"field": "", "message": f"Starshipit refused it: {refusal.message}"}]
        self._block(record, fingerprint(candidate.sale_order), reasons, code="upstream_rejected")
        self.session.commit()
        self._skip(candidate.sale_order, "refused_by_starshipit")

    def failed(self, candidates: list[Candidate], error: UpstreamError) -> None:
        """Keep the error on each order still without a Starshipit order (the lookup shows it)."""
        self.session.rollback()
        message = f"Starshipit failed while creating the order: {error.message}"
        code = "upstream_error" if error.http_status is not None else "upstream_no_answer"
        pending = self.session.scalars(
            select(SaleOrder).where(
                SaleOrder.id.in_([c.record_pk for c in candidates]), SaleOrder.starshipit_order_id.is_(None)
            )
        ).all()
        for record in pending:
            record.last_error_code, record.last_error_message = code, message
            record.last_error_at = utcnow()
            record_event(self.session, record, "error", self.actor, code=code, message=message)
            self._note(record.sale_order_id, "failed")
        self.session.commit()
        self.summary.fail(message, count=len(pending))


def _apply(record: SaleOrder, sale_order: dict[str, Any]) -> None:
    """Bring the record up to this copy of the sale order, unless it knows a newer one."""
    if is_older(sale_order, record.source_version):
        return
    for name, value in _newer_values(sale_order).items():
        setattr(record, name, value)


def _newer_values(sale_order: dict[str, Any]) -> dict[str, Any]:
    """What a record takes from a copy of the sale order no older than the one it knows: its
    references and status, and its version and modified time where the copy has them."""
    values = resolver.sale_order_values(sale_order)
    if isinstance(sale_order.get("version"), int):
        values["source_version"] = sale_order["version"]
    if (modified := modified_at(sale_order)) is not None:
        values["source_modified_at"] = modified
    return values
