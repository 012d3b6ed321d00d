"""The tracking poller reads Starshipit's shipped list in either shape — flat summary rows (the
reference) or full orders — and, either way, a label printed in the Starshipit app gets its
tracking written back without one order lookup per row; the cursor follows ``shipped_date``."""

from __future__ import annotations

import pytest

from server.db import get_database
from server.models import SyncCursor
from server.starshipit.client import StarshipitClient
from server.sync.entities import parse_time

from .conftest import consignment_tracking

CURSOR = "starshipit.environment"


@pytest.fixture
def shipped_list_only(monkeypatch):
    """The recently-printed list left out: the shipped list is the only source."""
    monkeypatch.setattr(StarshipitClient, "iter_recently_printed", lambda self, since=None, **kwargs: iter(()))


@pytest.fixture
def printed_in_app(new_sale_orders, runner, db, sandbox):
    """``make(count)``: sale orders transferred by the trigger, then printed in the Starshipit app."""

    def make(count: int = 1):
        sale_orders = new_sale_orders(count)
        assert runner.run_once(force=True).created == count
        records = [db.record(sale_order["id"]) for sale_order in sale_orders]
        shipments = [sandbox.state.starshipit.print_in_app(record.starshipit_order_id) for record in records]
        return records, shipments

    return make


def order_lookups(sandbox) -> int:
    return sandbox.state.counters.snapshot()["starshipit"].get("GET /api/orders", 0)


def cursor(app) -> SyncCursor:
    with get_database(app).sessions() as session:
        return session.get(SyncCursor, CURSOR)


@pytest.mark.parametrize("not_found", [200, 404])
@pytest.mark.parametrize("rows", ["summary", "full"])
def test_tracking_printed_in_starshipit_is_written_back_from_either_shape_of_the_shipped_list(
    sandbox, shipped_list_only, printed_in_app, runner, writeback, db, rows, not_found
):
    sandbox.state.set_options(starshipit_shipped_rows=rows, starshipit_not_found=not_found)
    records, shipments = printed_in_app(3)
    lookups = order_lookups(sandbox)
    runner.run_once(force=True)
    assert order_lookups(sandbox) == lookups  # each row said enough: no order read
    assert writeback.run_once() == 3
    for record, shipment in zip(records, shipments, strict=False):
        assert consignment_tracking(sandbox, record.sale_order_id) == ", ".join(shipment["tracking_numbers"])
        assert db.record(record.sale_order_id).state == "written_back"
    runner.run_once(force=True)  # read again in the overlap: nothing new
    assert len(db.jobs()) == 3


def test_a_later_tracking_status_in_a_row_moves_the_order_on(sandbox, shipped_list_only, printed_in_app, runner, db):
    (record,), _ = printed_in_app(1)
    runner.run_once(force=True)
    sandbox.state.starshipit.set_tracking_status(record.starshipit_order_id, "InTransit")
    runner.run_once(force=True)
    assert db.record(record.sale_order_id).tracking_status == "InTransit"


def test_a_row_without_its_tracking_number_costs_one_order_lookup(
    sandbox, shipped_list_only, printed_in_app, runner, writeback, monkeypatch
):
    (record,), (shipment,) = printed_in_app(1)
    listed = StarshipitClient.iter_shipped

    def rows_without_tracking(self, since=None, **kwargs):
        return ({**row, "tracking_number": None} for row in listed(self, since, **kwargs))

    monkeypatch.setattr(StarshipitClient, "iter_shipped", rows_without_tracking)
    lookups = order_lookups(sandbox)
    runner.run_once(force=True)
    assert order_lookups(sandbox) == lookups + 1
    writeback.run_once()
    assert consignment_tracking(sandbox, record.sale_order_id) == ", ".join(shipment["tracking_numbers"])


def test_the_cursor_follows_shipped_date(app, sandbox, shipped_list_only, printed_in_app, runner):
    printed_in_app(2)
    runner.run_once(force=True)
    shipped = [
        row["shipped_date"]
        for row in StarshipitClient.iter_shipped(
            runner.upstreams.starshipit(runner.upstreams.accounts().starshipit(None))
        )
    ]
    assert cursor(app).position == max(parse_time(date) for date in shipped)


def test_a_shipped_date_ahead_of_labelbridges_clock_never_puts_the_cursor_ahead(
    app, sandbox, shipped_list_only, printed_in_app, runner, monkeypatch
):
    printed_in_app(1)
    listed = StarshipitClient.iter_shipped

    def shipped_tomorrow(self, since=None, **kwargs):
        return ({**row, "shipped_date": "2999-01-01T00:00:00"} for row in listed(self, since, **kwargs))

    monkeypatch.setattr(StarshipitClient, "iter_shipped", shipped_tomorrow)
    runner.run_once(force=True)
    moved = cursor(app)
    assert moved.position == moved.last_started_at
