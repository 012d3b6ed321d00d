"""The status trigger: sale orders at or past a trigger status are created in Starshipit,
fifty to a request through the bulk import, each exactly once (see ``creation``).

``Transfer`` is fed sale order entities (by the poll, the webhook inbox and the sweep of orders
left pending), keeps labelbridge's record of each up to date, and buffers those to create per
Starshipit account until it has a full import. Orders that cannot be mapped are recorded with
their reasons and left alone until CartonCloud changes them.
"""
from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..accounts import StarshipitCredentials
from ..events import record_event
from ..mapping import MappingIssue, UnshippableOrder, build_starshipit_order
from ..models import SaleOrder, utcnow
from ..printing import resolver
from ..printing.service import mapping_settings
from ..starshipit.client import MAX_IMPORT, StarshipitClient
from ..upstream.errors import (
    UpstreamAuthError,
    UpstreamError,
    UpstreamNotFound,
    UpstreamRateLimited,
    UpstreamRejected,
)
from ..upstreams import Upstreams
from . import batch_lock, creation
from .entities import fingerprint, is_older, modified_at, newest_per_order
from .statuses import eligible_statuses
from .summary import Summary

# An order whose transfer failed on an upstream error is swept up again after this long.
RETRY_AFTER_ERROR = timedelta(minutes=2)
SWEEP_LIMIT = 200


class TransferAborted(Exception):
    """Starshipit (or CartonCloud) failed in a way that makes the rest of this pass pointless;
    the orders stay pending and are picked up again by the next pass."""


@dataclass(frozen=True)
class Candidate:
    record_pk: int
    sale_order: dict[str, Any]
    order: dict[str, Any]
    warnings: tuple[MappingIssue, ...]

    @property
    def order_number(self) -> str:
        return self.order["order_number"]


ANSWERED_FAILURE = "upstream_error"  # the code kept on an order whose create Starshipit answered with an error


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
    ) -> None:
        self.session = session
        self.upstreams = upstreams
        self.summary = summary
        self.actor = actor
        self.eligible = eligible_statuses(config["TRIGGER_STATUSES"])
        self.settings = mapping_settings(config)
        self.lease = timedelta(seconds=config["ORDER_LOCK_SECONDS"])
        # How long a create sent but not answered may still land in Starshipit: the longest call
        # (connect + read timeout), and as long again for a server finishing after its client left.
        self.in_flight = timedelta(seconds=2 * (config["HTTP_CONNECT_TIMEOUT"] + config["HTTP_READ_TIMEOUT"]))
        self.tenant_id = upstreams.cartoncloud_credentials().tenant_id
        self.outcomes: dict[str, str] = {}  # sale order id -> what became of it
        self._buffers: dict[StarshipitCredentials, list[Candidate]] = {}
        self._in_flight: _Batch | None = None
        self._sent_numbers: set[str] = set()  # order numbers imported (or on their way) this pass
        self._routes: dict[tuple[Any, Any], StarshipitCredentials] = {}

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
            eligible = [so for so in sale_orders if so.get("status") in self.eligible]
            self.summary.found += len(eligible)
            for sale_order in eligible:
                candidate = self._candidate(records[sale_order["id"]], sale_order)
                if candidate is not None:
                    self._buffers.setdefault(self._route(sale_order), []).append(candidate)
            self.session.commit()
            for account, buffer in self._buffers.items():
                while len(buffer) >= MAX_IMPORT:
                    self._flush(account, buffer[:MAX_IMPORT])
                    del buffer[:MAX_IMPORT]

    def finish(self) -> None:
        """Send what is still buffered, and record what the last import created."""
        with self._completing_on_error():
            for account, buffer in self._buffers.items():
                while buffer:
                    self._flush(account, buffer[:MAX_IMPORT])
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
            try:
                self._complete_in_flight()
            except TransferAborted:
                pass  # the first failure is the one to report; this one is on its orders
            raise

    def _complete_in_flight(self) -> None:
        batch, self._in_flight = self._in_flight, None
        self._complete(batch)

    # -- records --------------------------------------------------------------------------

    def _records(self, sale_orders: list[dict[str, Any]]) -> dict[str, SaleOrder]:
        """labelbridge's record of each sale order, created when new, updated when newer."""
        ids = [sale_order["id"] for sale_order in sale_orders]
        query = select(SaleOrder).where(SaleOrder.tenant_id == self.tenant_id, SaleOrder.sale_order_id.in_(ids))
        records = {record.sale_order_id: record for record in self.session.scalars(query)}
        for sale_order in sale_orders:
            if sale_order["id"] not in records:
                record = SaleOrder(tenant_id=self.tenant_id, sale_order_id=sale_order["id"], state="new",
                                   tracking_numbers=[])  # fmt: skip
                self.session.add(record)
                records[sale_order["id"]] = record
            _apply(records[sale_order["id"]], sale_order)
        try:
            self.session.commit()
        except IntegrityError:  # another worker or a click recorded one of them meanwhile
            self.session.rollback()
            records = {so["id"]: resolver.record_for(self.session, self.tenant_id, so) for so in sale_orders}
            for sale_order in sale_orders:
                _apply(records[sale_order["id"]], sale_order)
            self.session.commit()
        return records

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
            self._routes[key] = self.upstreams.read_accounts("route", sale_order)
        return self._routes[key]

    def _block(self, record: SaleOrder, state: str, reasons: list[dict[str, str]], *, code: str) -> None:
        """Not retried until the sale order changes (its fingerprint ``state``)."""
        words = " ".join(reason["message"] for reason in reasons)
        record.blocked_fingerprint, record.blocked_reasons = state, reasons
        record.last_error_code, record.last_error_at = code, utcnow()
        record.last_error_message = f"This sale order cannot be created in Starshipit: {words}"
        record_event(self.session, record, "transfer_blocked", self.actor, code=code, reasons=reasons,
                     fingerprint=state)  # fmt: skip

    def _skip(self, sale_order: dict[str, Any], reason: str) -> None:
        self.summary.skip(reason)
        self.outcomes[sale_order["id"]] = reason
        return None

    # -- one import -----------------------------------------------------------------------
    #
    # A batch's import is sent as soon as the batch is ready, and the previous one's answer is
    # recorded while it travels: the rate limit allows one request every 1/R seconds, and the
    # work around a request fits in that time only if it does not wait for the answers too.

    def _flush(self, account: StarshipitCredentials, candidates: list[Candidate]) -> None:
        batch = self._prepare(account, candidates)
        if batch is not None:
            batch.call = _Call(batch.starshipit.import_orders, [candidate.order for candidate, _ in batch.ready])
        previous, self._in_flight = self._in_flight, batch
        self._complete(previous)

    def _prepare(self, account: StarshipitCredentials, candidates: list[Candidate]) -> "_Batch | None":
        """Lock the orders, find out which still need creating, and mark those as sent."""
        starshipit = self.upstreams.starshipit(account)
        batch = _Batch(account, starshipit, candidates, token=str(uuid.uuid4()))
        prepared = False
        try:
            locked = batch_lock.acquire(self.session, batch.pks, batch.token, self.lease)
            # What the orders are now, read under the lock: a click may have created one meanwhile.
            query = select(SaleOrder.id, SaleOrder.starshipit_order_id, SaleOrder.create_sent_at)
            now = {row.id: row for row in self.session.execute(query.where(SaleOrder.id.in_(locked)))}
            taken = self._numbers_taken(candidates, batch.pks)
            self.session.commit()  # no transaction stays open across the upstream calls
            batch.ready, unsure = self._sort(candidates, now, taken)
            batch.ready += self._look_up(starshipit, account, unsure)
            if batch.ready:
                creation.mark_create_sent(self.session, [record for _, record in batch.ready])
                self._sent_numbers.update(candidate.order_number for candidate, _ in batch.ready)
                prepared = True
                return batch
            return None
        except UpstreamError as error:
            self._failed(candidates, error)
            raise TransferAborted(f"Starshipit failed while looking orders up: {error.message}") from error
        finally:
            if not prepared:
                batch_lock.release(self.session, batch.pks, batch.token)

    def _complete(self, batch: "_Batch | None") -> None:
        """Record what ``batch``'s import created, and unlock its orders."""
        if batch is None:
            return
        try:
            self._record(batch)
        except UpstreamError as error:
            self._failed(batch.candidates, error)
            raise TransferAborted(f"Starshipit failed while creating orders: {error.message}") from error
        finally:
            batch_lock.release(self.session, batch.pks, batch.token)

    def _numbers_taken(self, candidates: list[Candidate], pks: list[int]) -> set[str]:
        """Order numbers another sale order's Starshipit order already has."""
        numbers = [candidate.order_number for candidate in candidates]
        query = select(SaleOrder.starshipit_order_number).where(
            SaleOrder.tenant_id == self.tenant_id,
            SaleOrder.starshipit_order_number.in_(numbers),
            SaleOrder.id.not_in(pks),
        )
        return set(self.session.scalars(query))

    def _sort(
        self, candidates: list[Candidate], now: dict[int, Any], taken: set[str]
    ) -> tuple[list[tuple[Candidate, SaleOrder]], list[tuple[Candidate, SaleOrder]]]:
        """Into those certainly not in Starshipit yet and those to look up by number first."""
        ready, unsure, numbers = [], [], set()
        for candidate in candidates:
            state = now.get(candidate.record_pk)
            if state is None:
                self._skip(candidate.sale_order, "busy")  # a click holds it; it creates the order
            elif state.starshipit_order_id is not None:
                self._skip(candidate.sale_order, "already_in_starshipit")
            elif candidate.order_number in numbers or candidate.order_number in self._sent_numbers:
                # Another sale order has this number (CartonCloud refuses duplicate references, but
                # a number is not a reference when ORDER_NUMBER_SOURCE says so): left to the sweep,
                # which looks the number up, as a click would.
                self._skip(candidate.sale_order, "order_number_shared")
            else:
                numbers.add(candidate.order_number)
                record = self.session.get(SaleOrder, candidate.record_pk)
                sent_before = state.create_sent_at is not None
                (unsure if sent_before or candidate.order_number in taken else ready).append((candidate, record))
        return ready, unsure

    def _look_up(
        self, starshipit: StarshipitClient, account: StarshipitCredentials, unsure: list[tuple[Candidate, SaleOrder]]
    ) -> list[tuple[Candidate, SaleOrder]]:
        absent = []
        for candidate, record in unsure:
            existing = starshipit.find_order_by_number(candidate.order_number)
            if existing is None and self._may_still_land(record):
                # Its create went out moments ago (its sender slow or killed mid-call, its lease run
                # out): sending another could make a second order. The sweep looks again later.
                self._skip(candidate.sale_order, "create_unconfirmed")
                continue
            if existing is None:
                absent.append((candidate, record))
                continue
            record.starshipit_account = account.name
            creation.adopt(self.session, record, existing, candidate.order_number, creation.FOUND, self.actor,
                           account=account.name)
            self.session.commit()
            self._skip(candidate.sale_order, "already_in_starshipit")
        return absent

    def _may_still_land(self, record: SaleOrder) -> bool:
        """Whether the order's last create may still land: sent within ``in_flight`` and not
        known to have ended with an answer."""
        sent = record.create_sent_at
        if sent is None or utcnow() - sent >= self.in_flight:
            return False
        return record.last_error_code != ANSWERED_FAILURE

    def _record(self, batch: "_Batch") -> None:
        try:
            reply = batch.call.result()
        except UpstreamRejected:
            self._one_by_one(batch.starshipit, batch.account, batch.ready)  # which order was refused, and why
            return
        except (UpstreamRateLimited, UpstreamAuthError):  # refused before any work: nothing was created
            self.session.rollback()
            creation.mark_create_sent(self.session, [record for _, record in batch.ready], sent=False)
            raise
        created = {str(order.get("order_number")): order for order in _imported_orders(reply)}
        for candidate, record in batch.ready:
            order = created.get(candidate.order_number)
            if order is None:
                self._skip(candidate.sale_order, "import_unconfirmed")  # looked up by number next time
                continue
            self._adopt_created(batch.account, candidate, record, order, via="bulk import")
        self.session.commit()

    def _one_by_one(
        self, starshipit: StarshipitClient, account: StarshipitCredentials, ready: list[tuple[Candidate, SaleOrder]]
    ) -> None:
        """After a refused import, each order through the print button's create-or-lookup, so a
        refusal lands on the order at fault (blocked until it changes) and the rest go through."""
        for candidate, record in ready:
            try:
                order, kind = creation.find_or_create(
                    self.session, starshipit, record, candidate.order, self.actor, candidate.warnings,
                    account=account.name,
                )  # fmt: skip
            except UpstreamRejected as refusal:
                self.session.rollback()
                reasons = [{"field": "", "message": f"Starshipit refused it: {refusal.message}"}]
                self._block(record, fingerprint(candidate.sale_order), reasons, code="upstream_rejected")
                self.session.commit()
                self._skip(candidate.sale_order, "refused_by_starshipit")
                continue
            if kind == creation.CREATED:
                self._count_created(candidate)
            else:
                self._skip(candidate.sale_order, "already_in_starshipit")

    def _adopt_created(
        self, account: StarshipitCredentials, candidate: Candidate, record: SaleOrder, order: dict[str, Any], via: str
    ) -> None:
        record.starshipit_account = account.name
        creation.adopt(
            self.session, record, order, candidate.order_number, creation.CREATED, self.actor,
            via=via, account=account.name, warnings=[warning.message for warning in candidate.warnings],
        )  # fmt: skip
        self._count_created(candidate)

    def _count_created(self, candidate: Candidate) -> None:
        self.summary.created += 1
        self.outcomes[candidate.sale_order["id"]] = "created"

    def _failed(self, candidates: list[Candidate], error: UpstreamError) -> None:
        """Keep the error on each order still without a Starshipit order (the lookup shows it)."""
        self.session.rollback()
        message = f"Starshipit failed while creating the order: {error.message}"
        # An answered failure ends the request; with no answer, its create may still land.
        code = ANSWERED_FAILURE if error.http_status is not None else "upstream_no_answer"
        pending = self.session.scalars(
            select(SaleOrder).where(
                SaleOrder.id.in_([c.record_pk for c in candidates]), SaleOrder.starshipit_order_id.is_(None)
            )
        ).all()
        for record in pending:
            record.last_error_code, record.last_error_message = code, message
            record.last_error_at = utcnow()
            record_event(self.session, record, "error", self.actor, code=code, message=message)
            self.outcomes[record.sale_order_id] = "failed"
        self.session.commit()
        self.summary.fail(message, count=len(pending))


def _apply(record: SaleOrder, sale_order: dict[str, Any]) -> None:
    """Bring the record up to this copy of the sale order, unless it knows a newer one."""
    if is_older(sale_order, record.source_version):
        return
    resolver.apply_sale_order(record, sale_order)
    if isinstance(sale_order.get("version"), int):
        record.source_version = sale_order["version"]
    record.source_modified_at = modified_at(sale_order) or record.source_modified_at


def _imported_orders(reply: Any) -> list[dict[str, Any]]:
    """The created orders in an import's answer (``orders``), each with its ``order_id``."""
    orders = reply.get("orders") if isinstance(reply, dict) else None
    return [o for o in orders or [] if isinstance(o, dict) and o.get("order_id") is not None]


@dataclass
class _Batch:
    """Up to fifty orders of one account, locked under ``token``; ``ready`` are those to import."""

    account: StarshipitCredentials
    starshipit: StarshipitClient
    candidates: list[Candidate]
    token: str
    ready: list[tuple[Candidate, SaleOrder]] = field(default_factory=list)
    call: "_Call | None" = None

    @property
    def pks(self) -> list[int]:
        return [candidate.record_pk for candidate in self.candidates]


class _Call:
    """One upstream call on a thread of its own; ``result()`` waits for it (or raises its error)."""

    def __init__(self, function: Callable[..., Any], *args: Any) -> None:
        self._result: Any = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(function, args), name="import", daemon=True)
        self._thread.start()

    def _run(self, function: Callable[..., Any], args: tuple) -> None:
        try:
            self._result = function(*args)
        except BaseException as error:  # raised in the caller's thread by result()
            self._error = error

    def result(self) -> Any:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._result
