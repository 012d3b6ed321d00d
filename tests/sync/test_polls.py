"""Pollers' cursors: persisted, leased to one worker at a time, read with an overlap so nothing
falls in a gap, and left where they were when the result set moved while paging."""

from __future__ import annotations

from datetime import timedelta

import pytest

from server.cartoncloud.client import CartonCloudClient
from server.clients import get_upstreams
from server.db import get_database
from server.models import SyncCursor, utcnow
from server.sync import cursors
from server.sync.runner import SyncRunner

CURSOR = "cartoncloud.sale_orders"


def cursor(app, name: str = CURSOR) -> SyncCursor:
    with get_database(app).sessions() as session:
        return session.get(SyncCursor, name)


def test_the_cursor_is_kept_in_the_database_and_moves_forward(app, new_sale_orders, runner):
    before = utcnow()
    new_sale_orders(3)
    runner.run_once(force=True)
    first = cursor(app)
    assert first.position >= before and first.last_summary["created"] == 3 and first.lease_owner is None
    runner.run_once(force=True)
    assert cursor(app).position > first.position


@pytest.mark.parametrize(("overlap", "found"), [(300, 1), (0, 0)])
def test_the_overlap_catches_an_order_stamped_by_a_clock_behind_labelbridge(
    app, sandbox, new_sale_orders, overlap, found
):
    """labelbridge's clock runs a minute ahead of CartonCloud's: without the overlap, an order
    packed just after a poll falls behind the cursor and is never seen."""
    app.config["POLL_OVERLAP_SECONDS"] = overlap
    ahead = SyncRunner(
        get_database(app).sessions, get_upstreams(app), app.config, clock=lambda: utcnow() + timedelta(minutes=1)
    )
    ahead.run_once(force=True)
    new_sale_orders(1)
    assert ahead.run_once(force=True).created == found


def test_a_result_set_that_moves_while_paging_is_read_again(app, sandbox, new_sale_orders, runner, monkeypatch):
    new_sale_orders(150)  # two pages
    (late,) = new_sale_orders(1, "PICKED")
    search = CartonCloudClient.search_sale_orders

    def packing_meanwhile(self, condition, *, page=1, size=100):
        if page == 2:  # an order is packed between the two pages
            sandbox.state.set_sale_order_status(late["id"], "PACKED")
        return search(self, condition, page=page, size=size)

    monkeypatch.setattr(CartonCloudClient, "search_sale_orders", packing_meanwhile)
    runner.run_once(force=True)
    assert cursor(app).position is None  # not moved: the same window is read again
    monkeypatch.undo()
    runner.run_once(force=True)
    assert len(sandbox.state.starshipit_orders()) == 151
    assert cursor(app).position is not None


def test_one_worker_at_a_time_holds_a_cursor_and_a_dead_ones_lease_expires(app):
    now = utcnow()
    hold = timedelta(minutes=5)
    with get_database(app).sessions() as session:
        assert cursors.lease(session, CURSOR, "worker-1", now, hold, force=True) is not None
        assert cursors.lease(session, CURSOR, "worker-2", now, hold, force=True) is None
        assert cursors.lease(session, CURSOR, "worker-2", now + hold + timedelta(seconds=1), hold, force=True)


def test_a_poll_is_not_repeated_before_its_interval(app, new_sale_orders, runner, sandbox):
    runner.run_once()
    new_sale_orders(1)
    assert runner.run_once().created == 0  # not due yet (a minute by default)
    assert runner.run_once(force=True).created == 1


def test_polling_switched_off_leaves_the_webhooks_to_do_the_work(app, new_sale_orders, runner):
    app.config["CARTONCLOUD_POLL_SECONDS"] = 0
    new_sale_orders(2)
    assert runner.run_once().created == 0
    assert cursor(app) is None


def test_a_failed_poll_is_recorded_on_its_cursor_and_leaves_it_in_place(app, sandbox, new_sale_orders, runner):
    new_sale_orders(2)
    sandbox.state.add_fault(service="cartoncloud", path="*/outbound-orders/search", status=503)
    summary = runner.run_once(force=True)
    failed = cursor(app)
    assert failed.position is None and failed.consecutive_failures == 1
    assert "503" in failed.last_error and summary.errors
    sandbox.state.clear_faults()
    assert runner.run_once(force=True).created == 2
    assert cursor(app).consecutive_failures == 0
