"""The pollers, each behind a cursor (see ``cursors``): the safety net under the webhooks, and
the only source when none is set up.

- CartonCloud: sale orders at or past a trigger status (or REJECTED) modified since the cursor, all pages,
  fed to the transfer; searched by date-time, or by day prefixes on a tenant that refuses
  date-time conditions (``modified_search``). Then, only while some order holds a label that
  could be withdrawn, those moved back before PACKED since the cursor, of which only the
  labelled ones are recorded (cancellations.py): one more search request, plus a page per
  100 orders changed before PACKED in the window.
- Starshipit, per account: orders printed or shipped since the cursor, into the inbox as
  tracking updates (deduplicated with the webhook's). The shipped list's rows (flat summaries,
  or full orders: both are read) give order number → tracking number and status; only a row
  without them costs a ``GET /api/orders?order_id=``. The cursor follows the rows'
  ``shipped_date``, never past labelbridge's own clock.
- Pending: orders labelbridge knows should be in Starshipit but are not yet (see Transfer.sweep).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy.orm import Session

from ..accounts import StarshipitCredentials
from ..cartoncloud import conditions
from ..cartoncloud.client import CartonCloudClient, SearchPage
from ..clients import Upstreams
from ..http.errors import UpstreamNotFound
from ..starshipit.client import StarshipitClient
from . import cancellations, inbox, modified_search
from .entities import parse_time
from .read_ahead import read_ahead
from .summary import Summary
from .tracking import TrackingUpdate
from .trigger import RETRY_AFTER_ERROR, Transfer

PAGE_SIZE = 100


class Progress(Protocol):
    def start(self, label: str, total: int) -> None: ...
    def advance(self, count: int) -> None: ...
    def finish(self) -> None: ...


class NoProgress:
    def start(self, label: str, total: int) -> None:
        pass

    def advance(self, count: int) -> None:
        pass

    def finish(self) -> None:
        pass


@dataclass
class Pass:
    """What a poller is given for one run."""

    session: Session
    upstreams: Upstreams
    config: Mapping[str, Any]
    position: datetime | None  # the cursor: changes up to here are seen
    now: datetime
    summary: Summary
    renew: Callable[[], None]  # keeps the cursor's lease while paging
    progress: Progress

    def since(self) -> datetime:
        start = self.position or self.now - timedelta(hours=self.config["TRIGGER_LOOKBACK_HOURS"])
        return start - timedelta(seconds=self.config["POLL_OVERLAP_SECONDS"])


class Poller(Protocol):
    name: str

    def interval(self, config: Mapping[str, Any]) -> float: ...

    def run(self, run: Pass) -> datetime | None:
        """Returns the new cursor position, or None to leave it (the pass is read again)."""


class CartonCloudPoller:
    name = "cartoncloud.sale_orders"

    def interval(self, config: Mapping[str, Any]) -> float:
        return config["CARTONCLOUD_POLL_SECONDS"]

    def run(self, run: Pass) -> datetime | None:
        transfer = Transfer(run.session, run.upstreams, run.config, run.summary, actor="trigger:poll")
        if not transfer.eligible:
            return run.now
        # REJECTED too: a labelled order rejected since is voided or flagged (cancellations.py).
        statuses = _any_status((*transfer.eligible, "REJECTED"))
        cartoncloud = run.upstreams.cartoncloud()
        totals: set[int] = set()
        try:
            search, first = modified_search.first_page(
                run.session, cartoncloud, [statuses], run.since(), run.now, PAGE_SIZE
            )
            for result in read_ahead(_pages(cartoncloud, search.condition(statuses), first)):
                if not totals:
                    run.progress.start("sale orders", result.total_elements)
                totals.add(result.total_elements)
                transfer.add([sale_order for sale_order in result.items if search.keeps(sale_order)])
                run.progress.advance(len(result.items))
                run.renew()
            steady = len(totals) == 1 and self._moved_back(run, transfer, search)
        finally:  # even when CartonCloud fails half way: what was read is still transferred
            transfer.finish()
            run.progress.finish()
        # Pages are offsets: if the set changed while paging, an order may have slipped between
        # two pages, so the same window is read again next time.
        return run.now if steady else None

    def _moved_back(self, run: Pass, transfer: Transfer, search: modified_search.ModifiedSearch) -> bool:
        """Labelled orders moved back before PACKED since the cursor (cancellations.py), read
        only while some order holds a label that could be withdrawn, in the search's form; only
        those labelbridge holds a label for are recorded (a new order is not the transfer's
        business until it reaches a trigger status). Whether the set held still while paging."""
        before = tuple(status for status in cancellations.BEFORE_PACKED if status not in transfer.eligible)
        if not before or not cancellations.any_withdrawable(run.session, transfer.tenant_id):
            return True
        cartoncloud = run.upstreams.cartoncloud()
        statuses = _any_status(before)
        condition = search.condition(statuses)
        first = cartoncloud.search_sale_orders(condition, page=1, size=PAGE_SIZE)
        totals: set[int] = set()
        for result in _pages(cartoncloud, condition, first):
            totals.add(result.total_elements)
            found = [sale_order for sale_order in result.items if search.keeps(sale_order)]
            transfer.add(cancellations.labelled(run.session, transfer.tenant_id, found))
            run.renew()
        return len(totals) == 1


def _any_status(statuses: tuple[str, ...]) -> dict:
    return conditions.any_of(*(conditions.text_equals(conditions.STATUS, status) for status in statuses))


def _pages(cartoncloud: CartonCloudClient, condition: dict, first: SearchPage) -> Iterator[SearchPage]:
    result, page = first, 1
    while True:
        yield result
        if page >= result.total_pages:
            return
        page += 1
        result = cartoncloud.search_sale_orders(condition, page=page, size=PAGE_SIZE)


class PendingPoller:
    name = "trigger.pending"

    def interval(self, config: Mapping[str, Any]) -> float:
        return RETRY_AFTER_ERROR.total_seconds()

    def run(self, run: Pass) -> datetime | None:
        transfer = Transfer(run.session, run.upstreams, run.config, run.summary, actor="trigger:retry")
        if transfer.eligible:
            transfer.sweep()
        return None


class StarshipitPoller:
    def __init__(self, account: StarshipitCredentials) -> None:
        self.account = account
        self.name = f"starshipit.{account.name}"[:60]

    def interval(self, config: Mapping[str, Any]) -> float:
        return config["STARSHIPIT_POLL_SECONDS"]

    def run(self, run: Pass) -> datetime | None:
        starshipit = run.upstreams.starshipit(self.account)
        since = run.since()
        shipped = list(starshipit.iter_shipped(since))
        listed = [*(self._complete(starshipit, row) for row in shipped), *starshipit.iter_recently_printed(since)]
        updates = [u for u in (TrackingUpdate.from_order(o, self.account.name) for o in listed if o) if u is not None]
        inbox.add(run.session, inbox.STARSHIPIT, ((u.key, u.to_payload()) for u in updates))
        shipped_dates = [moment for moment in (parse_time(row.get("shipped_date")) for row in shipped) if moment]
        # Starshipit's own clock (or a date without its zone) may run ahead of labelbridge's;
        # with nothing shipped the cursor stays put, or starts where this first window did.
        return min(max(shipped_dates, default=run.since()), run.now)

    def _complete(self, starshipit: StarshipitClient, row: dict) -> dict | None:
        """The row, or the full order when the row lacks the order number or tracking number."""
        if TrackingUpdate.from_order(row, self.account.name) is not None or row.get("order_id") is None:
            return row
        try:
            return starshipit.get_order(int(row["order_id"]))
        except UpstreamNotFound:  # deleted since it was listed
            return None


def pollers(upstreams: Upstreams) -> list[Poller]:
    accounts = upstreams.accounts().starshipit_accounts()
    return [CartonCloudPoller(), PendingPoller(), *(StarshipitPoller(account) for account in accounts)]
