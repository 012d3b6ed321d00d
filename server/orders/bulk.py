"""Creating many sale orders' Starshipit orders, fifty to a bulk import, each exactly once.

The automatic transfer and the batch print send their missing orders here. The rules are the
one-order path's (``creation.py``), kept for fifty at a time: the orders are locked (those held
by someone else are left), each is numbered as its current shipment (``numbering.py``: past a
voided one), an order whose create was ever sent is looked up by its number
first, one whose create may still land is left for later (``sends.may_still_land``), and the
import is recorded (``sends``) before it goes out and ended when its answer comes.

A batch's import is sent as soon as it is ready, and an earlier one's answer is recorded while
it travels: the rate limit allows one request every 1/R seconds, and the work around a request
fits in that time only if it does not wait for the answers too. Two are on their way at a time,
not one: Starshipit can take longer than 1/R to answer an import of fifty (80 ms in the
simulators against 50 ms at 20 a second), and waiting for the last one's answer then made every
request late.
"""

from __future__ import annotations

import contextlib
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts import StarshipitCredentials
from ..clients import Upstreams
from ..http.errors import UpstreamError, UpstreamRejected
from ..mapping import MappingIssue
from ..models import SaleOrder
from ..starshipit.client import MAX_IMPORT, StarshipitClient
from . import creation, lock, sends
from .numbering import numbered

IMPORTS_ON_THEIR_WAY = 2  # imports sent and not yet answered, at most

__all__ = ["MAX_IMPORT", "BulkCreator", "Candidate", "ImportAborted", "Outcomes"]


@dataclass(frozen=True)
class Candidate:
    """A sale order to create: its record, its CartonCloud JSON and the Starshipit order it maps to
    (as mapped: ``shipment`` is what is imported)."""

    record_pk: int
    sale_order: dict[str, Any]
    order: dict[str, Any]
    warnings: tuple[MappingIssue, ...]
    voided_shipments: int = 0  # read under the order's lock

    @property
    def shipment(self) -> dict[str, Any]:
        """The order to import: numbered as the current shipment (past any voided one)."""
        return numbered(self.order, self.voided_shipments)

    @property
    def order_number(self) -> str:
        return self.shipment["order_number"]


class Outcomes:
    """What the caller hears of each candidate; by default, nothing (a batch print learns each
    order's fate when it prints it)."""

    def skipped(self, candidate: Candidate, reason: str) -> None:
        """Not sent in this import: why (``busy``, ``already_in_starshipit``, ``create_unconfirmed``…)."""

    def created(self, candidate: Candidate) -> None:
        """Created in Starshipit, and adopted."""

    def refused(self, candidate: Candidate, record: SaleOrder, refusal: UpstreamRejected) -> None:
        """Starshipit refused this one order (after a refused import, each is sent alone)."""

    def failed(self, candidates: list[Candidate], error: UpstreamError) -> None:
        """Starshipit failed for all of these; more imports now are pointless (``ImportAborted``)."""


class ImportAborted(Exception):
    """Starshipit failed in a way that makes further imports now pointless; the orders keep
    their state and are created by a later pass (or click)."""


class BulkCreator:
    """One session's imports: ``send`` batches of up to fifty (per account), then ``complete``."""

    def __init__(
        self, session: Session, upstreams: Upstreams, config: Any, outcomes: Outcomes, *, tenant_id: str, actor: str
    ) -> None:
        self.session = session
        self.upstreams = upstreams
        self.outcomes = outcomes
        self.tenant_id = tenant_id
        self.actor = actor
        self.lease_seconds = config["ORDER_LOCK_SECONDS"]
        self.window = sends.in_flight_window(config)
        self._in_flight: deque[_Import] = deque()  # imports on their way, oldest first
        self._sent_numbers: set[str] = set()  # order numbers imported (or on their way) by this creator

    def send(self, account: StarshipitCredentials, candidates: list[Candidate]) -> None:
        """Import ``candidates`` (at most fifty, one account), recording the answer of an earlier
        import while this one travels (IMPORTS_ON_THEIR_WAY at most). Raises ImportAborted;
        whatever fails, the imports already on their way have their answers recorded."""
        try:
            batch = self._prepare(account, candidates)
        except BaseException:
            self._complete_quietly()
            raise
        if batch is not None:
            numbers = [candidate.order_number for candidate, _ in batch.ready]
            batch.send_id = sends.record_sent(
                self.session,
                [(record, candidate.order_number) for candidate, record in batch.ready],
                account=account.name,
                via="import",
            )
            self._sent_numbers.update(numbers)
            batch.call = _Call(batch.starshipit.import_orders, [candidate.shipment for candidate, _ in batch.ready])
            self._in_flight.append(batch)
        if len(self._in_flight) > IMPORTS_ON_THEIR_WAY:
            try:
                self._complete(self._in_flight.popleft())
            except BaseException:
                self._complete_quietly()
                raise

    def complete(self) -> None:
        """Record what the imports still on their way created, each of them whatever another's
        failure. Raises ImportAborted (the first)."""
        failure: BaseException | None = None
        while self._in_flight:
            try:
                self._complete(self._in_flight.popleft())
            except BaseException as error:
                failure = failure or error
        if failure is not None:
            raise failure

    def _complete_quietly(self) -> None:
        """``complete`` after another failure, which is the one to report."""
        with contextlib.suppress(ImportAborted):  # told to ``outcomes.failed`` already
            self.complete()

    # -- before the import ------------------------------------------------------------------

    def _prepare(self, account: StarshipitCredentials, candidates: list[Candidate]) -> _Import | None:
        """Lock the orders and find out which still need creating; None when none do."""
        starshipit = self.upstreams.starshipit(account)
        batch = _Import(account, starshipit, candidates, lock.new_lease(self.lease_seconds))
        try:
            locked = lock.acquire(self.session, batch.pks, batch.token, batch.lease.length)
            # What the orders are now, read under the lock: a click may have created one meanwhile.
            query = select(SaleOrder.id, SaleOrder.starshipit_order_id, SaleOrder.voided_shipments).where(
                SaleOrder.id.in_(locked)
            )
            now = {row.id: row for row in self.session.execute(query)}
            candidates = [_numbered(candidate, now.get(candidate.record_pk)) for candidate in candidates]
            sent_before = sends.ever_sent(self.session, locked)
            taken = self._numbers_taken(candidates, batch.pks)
            batch.ready, unsure = self._sort(candidates, now, sent_before, taken)
            self.session.commit()  # no transaction stays open across the upstream calls
            batch.ready += self._look_up(starshipit, account, unsure)
            batch.ready = self._still_held(batch)  # its transaction stays open for ``record_sent``
        except UpstreamError as error:
            lock.release(self.session, batch.pks, batch.token)
            self.outcomes.failed(candidates, error)
            raise ImportAborted(f"Starshipit failed while looking orders up: {error.message}") from error
        except BaseException:
            lock.release(self.session, batch.pks, batch.token)
            raise
        if not batch.ready:
            lock.release(self.session, batch.pks, batch.token)
            return None
        return batch

    def _still_held(self, batch: _Import) -> list[tuple[Candidate, SaleOrder]]:
        """Those ready whose lease is renewed (in the transaction that then records the import),
        less those whose lease ran out while others were looked up and were taken over: their
        new holder creates them."""
        held = batch.lease.renew(self.session, [candidate.record_pk for candidate, _ in batch.ready])
        for candidate, _record in batch.ready:
            if candidate.record_pk not in held:
                self.outcomes.skipped(candidate, "busy")
        return [(candidate, record) for candidate, record in batch.ready if candidate.record_pk in held]

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
        self, candidates: list[Candidate], now: dict[int, Any], sent_before: set[int], taken: set[str]
    ) -> tuple[list[tuple[Candidate, SaleOrder]], list[tuple[Candidate, SaleOrder]]]:
        """Into those certainly not in Starshipit yet and those to look up by number first."""
        ready, unsure, numbers = [], [], set()
        for candidate in candidates:
            state = now.get(candidate.record_pk)
            if state is None:
                self.outcomes.skipped(candidate, "busy")  # someone holds it; they create the order
            elif state.starshipit_order_id is not None:
                self.outcomes.skipped(candidate, "already_in_starshipit")
            elif candidate.order_number in numbers or candidate.order_number in self._sent_numbers:
                # Another sale order has this number (CartonCloud refuses duplicate references, but
                # a number is not a reference when ORDER_NUMBER_SOURCE says so): left to a later
                # pass, which looks the number up, as a click would.
                self.outcomes.skipped(candidate, "order_number_shared")
            else:
                numbers.add(candidate.order_number)
                record = self.session.get(SaleOrder, candidate.record_pk)
                looked_up = candidate.record_pk in sent_before or candidate.order_number in taken
                (unsure if looked_up else ready).append((candidate, record))
        return ready, unsure

    def _look_up(
        self, starshipit: StarshipitClient, account: StarshipitCredentials, unsure: list[tuple[Candidate, SaleOrder]]
    ) -> list[tuple[Candidate, SaleOrder]]:
        absent = []
        for candidate, record in unsure:
            existing = starshipit.find_order_by_number(candidate.order_number)
            if existing is None:
                landing = sends.may_still_land(self.session, record.id, self.window)
                self.session.commit()  # no transaction stays open across the next look-up
                if landing > 0:
                    # Its create went out moments ago (its sender slow or killed mid-call, its lease
                    # run out): sending another could make a second order. A later pass looks again.
                    self.outcomes.skipped(candidate, "create_unconfirmed")
                else:
                    absent.append((candidate, record))
                continue
            creation.adopt(
                self.session, record, existing, candidate.order_number, creation.FOUND, self.actor, account=account.name
            )
            self.session.commit()
            self.outcomes.skipped(candidate, "already_in_starshipit")
        return absent

    # -- after the import -------------------------------------------------------------------

    def _complete(self, batch: _Import) -> None:
        """Record what ``batch``'s import created, and unlock its orders."""
        try:
            self._record(batch)
        except UpstreamError as error:
            self.outcomes.failed(batch.candidates, error)
            raise ImportAborted(f"Starshipit failed while creating orders: {error.message}") from error
        finally:
            lock.release(self.session, batch.pks, batch.token)

    def _record(self, batch: _Import) -> None:
        try:
            reply = batch.call.result()
        except UpstreamError as error:
            sends.record_end(self.session, batch.send_id, sends.outcome_of(error))
            if isinstance(error, UpstreamRejected):
                self._one_by_one(batch)  # which order was refused, and why
                return
            raise
        created = {str(order.get("order_number")): order for order in _imported_orders(reply)}
        # An order the answer leaves out was not confirmed: looked up by number next time.
        # Committed with the adoptions below.
        sends.end(self.session, batch.send_id, sends.UNCONFIRMED, created=created)
        adopted = []
        for candidate, record in batch.ready:
            order = created.get(candidate.order_number)
            if order is None:
                self.outcomes.skipped(candidate, "import_unconfirmed")
                continue
            detail = {"via": "bulk import", "warnings": [warning.message for warning in candidate.warnings]}
            adopted.append((candidate, (record, order, candidate.order_number, detail)))
        creation.adopt_all(
            self.session,
            [adoption for _, adoption in adopted],
            creation.CREATED,
            self.actor,
            account=batch.account.name,
        )
        self.session.commit()
        for candidate, _ in adopted:
            self.outcomes.created(candidate)

    def _one_by_one(self, batch: _Import) -> None:
        """After a refused import, each order through the one-order path, so a refusal lands on
        the order at fault and the rest go through."""
        for candidate, record in batch.ready:
            try:
                _order, kind = creation.find_or_create(
                    self.session,
                    batch.starshipit,
                    record,
                    candidate.order,
                    self.actor,
                    candidate.warnings,
                    account=batch.account.name,
                    window=self.window,
                    lease=batch.lease,
                )
            except UpstreamRejected as refusal:
                self.session.rollback()
                self.outcomes.refused(candidate, record, refusal)
                continue
            except sends.CreateMayStillLand:
                self.outcomes.skipped(candidate, "create_unconfirmed")
                continue
            except lock.LeaseLost:
                self.outcomes.skipped(candidate, "busy")  # taken over: its new holder creates it
                continue
            if kind == creation.CREATED:
                self.outcomes.created(candidate)
            else:
                self.outcomes.skipped(candidate, "already_in_starshipit")


def _numbered(candidate: Candidate, state: Any) -> Candidate:
    """The candidate under its current shipment's order number (past any voided shipment's)."""
    if state is None:
        return candidate
    return replace(candidate, voided_shipments=state.voided_shipments)


def _imported_orders(reply: Any) -> list[dict[str, Any]]:
    """The created orders in an import's answer (``orders``), each with its ``order_id``."""
    orders = reply.get("orders") if isinstance(reply, dict) else None
    return [o for o in orders or [] if isinstance(o, dict) and o.get("order_id") is not None]


@dataclass
class _Import:
    """Up to fifty orders of one account, locked under ``token``; ``ready`` are those to import."""

    account: StarshipitCredentials
    starshipit: StarshipitClient
    candidates: list[Candidate]
    lease: lock.Lease
    ready: list[tuple[Candidate, SaleOrder]] = field(default_factory=list)
    send_id: str = ""
    call: _Call | None = None

    @property
    def pks(self) -> list[int]:
        return [candidate.record_pk for candidate in self.candidates]

    @property
    def token(self) -> str:
        return self.lease.token


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
