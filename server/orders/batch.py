"""Labels for many sale orders in one request, each with the one-click guarantee: one shipment
per sale order, whoever else prints it at the same time.

Bulk steps first, where they save upstream calls: every sale order is resolved, then those with
no Starshipit order yet are created through the order core's bulk import (``orders.bulk``:
fifty to a request, under the per-order locks, each order created once — the path the automatic
transfer takes too). It leaves alone any order it cannot create safely at once (locked by a
click, a create that may still land, a refusal), and unshippable ones: those take the one-order
path like the rest. Then each order is printed by ``PrintService`` (its lock, its create-or-lookup
for what is still missing, the label stored with its writeback in one transaction), and the
batch's row records the order's result at once, so another request can follow the progress.

A batch answers for every order, never stopping at a failure. But once an upstream looks down
or rate limited (two orders in a row failed with a 503), the orders of that step (resolving, with
CartonCloud; printing, with Starshipit) that still need it are not tried, each saying why: a
batch of 100 must not spend the gunicorn timeout on a hundred failing calls. One 503 alone does
not stop it: it can be the order's own (a create whose answer was lost is not confirmed yet).
Likewise once the batch has run for TIME_BUDGET_SECONDS, whatever the cause (Starshipit's rate
limit at its slowest, a refused import falling back to one create per order): the rest are not
tried and the packer prints the batch again for them, rather than the request outliving the
server's timeout. Orders with a label already still come back as reprints, and orders
labelbridge knows are still resolved without CartonCloud. Progress is written at most every
PROGRESS_EVERY seconds.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from ..clients import Upstreams
from ..failures import Failure, Invalid, Unavailable
from ..mapping import UnshippableOrder, build_starshipit_order
from ..models import Label, PrintBatch, SaleOrder
from ..printing import batch_document
from . import batch_runs, resolver
from .bulk import MAX_IMPORT, BulkCreator, Candidate, ImportAborted, Outcomes
from .chosen_service import ChosenService
from .identifiers import SaleOrderRef
from .service import PrintOutcome, PrintService
from .settings import mapping_settings

MAX_ORDERS = 100
UNAVAILABLE_AFTER = 2  # 503s in a row that stop the batch's upstream work
PROGRESS_EVERY = 0.25  # seconds: how often the progress is written (a commit each time)
TIME_BUDGET_SECONDS = 90  # then the rest are left for the next try: gunicorn's timeout is 120 s (server/serve.py)


@dataclass(frozen=True)
class BatchOrder:
    index: int
    identifier: dict[str, Any]  # as the request gave it
    ref: SaleOrderRef


@dataclass(frozen=True)
class _Resolved:
    order: BatchOrder
    record: SaleOrder
    sale_order: dict[str, Any] | None  # CartonCloud's JSON, when it had to be read


class BatchPrinter:
    def __init__(self, session: Session, upstreams: Upstreams, config: Mapping[str, Any], actor: str | None) -> None:
        self.session = session
        self.upstreams = upstreams
        self.config = config
        self.actor = actor
        self.service = PrintService(session, upstreams, config, actor)
        self._results: dict[int, dict[str, Any]] = {}
        self._unavailable: Failure | None = None  # set when the upstream looks down or busy
        self._unavailable_streak = 0
        self._saved_at = float("-inf")
        self._deadline = time.monotonic() + TIME_BUDGET_SECONDS

    def run(self, batch: PrintBatch, orders: list[BatchOrder], service: ChosenService | None = None) -> None:
        """Print ``orders`` into ``batch`` (claimed by this request), recording each result as
        it comes, then the merged document. ``service``: one service for every order (None: the
        mapping rules' per order)."""
        resolved = self._resolve_all(batch, orders)
        # Resolving talks to CartonCloud, the rest to Starshipit: an outage of one stops its own step.
        self._unavailable, self._unavailable_streak = None, 0
        self._create_in_starshipit([item for item in resolved if _needs_creating(item)])
        for item in resolved:
            self._print(item, service)
            self._save_progress(batch)
        merged = batch_document.merge(self._documents())
        batch_runs.finish(self.session, batch, list(self._results.values()), *(merged or (None, None)))

    # -- steps ------------------------------------------------------------------------------

    def _resolve_all(self, batch: PrintBatch, orders: list[BatchOrder]) -> list[_Resolved]:
        resolved, seen = [], {}
        for order in orders:
            try:
                record, sale_order = self._resolve(order.ref)
                if record.id in seen:
                    raise Invalid(
                        "duplicate_sale_order",
                        f"This is the same sale order as item {seen[record.id]} of the batch: "
                        "its label is printed once, there.",
                    )
            except Failure as error:
                self._failed(order, error)
            else:
                seen[record.id] = order.index
                self._unavailable_streak = 0
                resolved.append(_Resolved(order, record, sale_order))
            self._save_progress(batch)
        return resolved

    def _save_progress(self, batch: PrintBatch) -> None:
        """The results so far, for GET /labels/batches/<id> and as the lease's heartbeat; at most
        every PROGRESS_EVERY seconds, so a fast stretch (reprints, unknown orders) costs no commit
        per order."""
        if time.monotonic() - self._saved_at >= PROGRESS_EVERY:
            batch_runs.record_results(self.session, batch, list(self._results.values()))
            self._saved_at = time.monotonic()

    def _stop_reason(self) -> Failure | None:
        """Why an order that needs an upstream call is not tried now; None: it is."""
        if time.monotonic() > self._deadline:
            return _time_up()
        return self._unavailable and _not_tried(self._unavailable)

    def _resolve(self, ref: SaleOrderRef) -> tuple[SaleOrder, dict[str, Any] | None]:
        stop = self._stop_reason()
        if stop is None:
            return self.service.resolve(ref)
        # Only the orders labelbridge knows already can still be printed (or reprinted).
        tenant_id = self.upstreams.cartoncloud_credentials().tenant_id
        record = resolver.find_known(self.session, tenant_id, ref)
        self.session.commit()
        if record is None:
            raise stop
        return record, None

    def _create_in_starshipit(self, items: list[_Resolved]) -> None:
        """The missing Starshipit orders in bulk. An order the import leaves (or fails on) is
        created by the print below, one by one, under the same rules; so is an unshippable one,
        which the print refuses with its reasons."""
        if not items or self._stop_reason():
            return
        settings, per_account = mapping_settings(self.config), {}
        for item in items:
            try:
                order, warnings = build_starshipit_order(item.sale_order, settings)
            except UnshippableOrder:
                continue
            account = self.upstreams.accounts().route(item.sale_order)
            candidate = Candidate(item.record.id, item.sale_order, order, tuple(warnings))
            per_account.setdefault(account, []).append(candidate)
        tenant_id = self.upstreams.cartoncloud_credentials().tenant_id
        creator = BulkCreator(
            self.session, self.upstreams, self.config, Outcomes(), tenant_id=tenant_id, actor=self.actor or "batch"
        )
        try:
            for account, candidates in per_account.items():
                for start in range(0, len(candidates), MAX_IMPORT):
                    creator.send(account, candidates[start : start + MAX_IMPORT])
            creator.complete()
        except ImportAborted:
            pass  # its orders keep their state; each is printed (or told why not) below

    def _print(self, item: _Resolved, service: ChosenService | None) -> None:
        try:
            stop = self._stop_reason()
            if stop is not None and not self._labelled(item.record):
                raise stop
            outcome = self.service.print_record(item.record, item.sale_order, service)
        except Failure as error:
            self._failed(item.order, error)
        else:
            self._unavailable_streak = 0
            self._printed(item.order, outcome)

    def _labelled(self, record: SaleOrder) -> bool:
        self.session.refresh(record)
        self.session.commit()
        return record.current_label_id is not None

    def _documents(self) -> list[tuple[bytes, str]]:
        """The labels printed, in request order."""
        ids = [result["label"]["id"] for _, result in sorted(self._results.items()) if result["label"]]
        documents = []
        for label_id in ids:
            label = self.session.get(Label, label_id)
            documents.append((label.content, label.format))
        self.session.commit()
        return documents

    # -- results ----------------------------------------------------------------------------

    def _printed(self, order: BatchOrder, outcome: PrintOutcome) -> None:
        self._results[order.index] = {
            "index": order.index,
            "sale_order": order.identifier,
            "status": "reprinted" if outcome.reprint else "printed",
            "label": {"id": outcome.label.id, "format": outcome.label.format},
            "carrier": outcome.label.carrier,
            "tracking_numbers": list(outcome.label.tracking_numbers or []),
            "after_void": outcome.replaced_void(),
            "error": None,
        }

    def _failed(self, order: BatchOrder, error: Failure) -> None:
        self._unavailable_streak = self._unavailable_streak + 1 if isinstance(error, Unavailable) else 0
        if self._unavailable_streak >= UNAVAILABLE_AFTER and self._unavailable is None:
            self._unavailable = error
        body = {"code": error.code, "message": error.message}
        if error.errors:
            body["errors"] = error.errors
        self._results[order.index] = {
            "index": order.index,
            "sale_order": order.identifier,
            "status": "failed",
            "label": None,
            "carrier": None,
            "tracking_numbers": [],
            "after_void": None,
            "error": body,
        }


def _needs_creating(item: _Resolved) -> bool:
    record = item.record
    return item.sale_order is not None and record.current_label_id is None and record.starshipit_order_id is None


def _not_tried(cause: Failure) -> Unavailable:
    return Unavailable(cause.code, f"Not tried, as an earlier order of this batch failed: {cause.message}")


def _time_up() -> Unavailable:
    return Unavailable(
        "batch_time_up",
        f"Not tried: this batch has run for {TIME_BUDGET_SECONDS} s, as long as one request may. "
        "Print the batch again for the rest: the orders printed now come back as reprints.",
    )
