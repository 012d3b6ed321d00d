"""The status trigger: sale orders at or past a trigger status are created in Starshipit through
the bulk import, each exactly once, whatever fails on the way."""

from __future__ import annotations

import math
import threading
from datetime import timedelta

import pytest
from sqlalchemy import text, update

from server.clients import get_upstreams
from server.db import get_database
from server.models import SaleOrder, SyncCursor, utcnow
from server.orders import resolver
from server.orders.lock import release, try_lock
from server.sync import trigger
from server.sync.trigger import Transfer

from .conftest import starshipit_numbers, wait_for


def test_a_thousand_packed_orders_are_each_created_once_by_bulk_import(app, sandbox, new_sale_orders, runner, db):
    app.config["STARSHIPIT_RATE_PER_SECOND"] = 20  # Starshipit's own limit, in the simulator too
    sandbox.state.set_starshipit_rate_limit(20)
    packed = new_sale_orders(900, "PACKED")
    dispatched = new_sale_orders(100, "DISPATCHED")  # tenants with Packed switched off
    new_sale_orders(30, "PICKED")  # not there yet

    summary = runner.run_once(force=True)

    wanted = sorted(so["references"]["customer"] for so in packed + dispatched)
    assert starshipit_numbers(sandbox) == wanted  # each exactly once, nothing else
    assert summary.created == 1000 and summary.failed == 0
    counters = sandbox.state.counters.snapshot()
    assert counters["starshipit"]["POST /api/orders/import"] == math.ceil(1000 / 50)
    assert "POST /api/orders" not in counters["starshipit"]  # no order created one by one
    assert counters["rate_limited"]["starshipit"] == {}  # paced under the limit: never refused
    assert all(record.starshipit_order_id for record in db.records() if record.status != "PICKED")


def test_a_second_pass_over_the_same_orders_creates_nothing(sandbox, new_sale_orders, runner):
    new_sale_orders(60)
    assert runner.run_once(force=True).created == 60
    again = runner.run_once(force=True)  # the overlap reads the same orders again
    assert again.created == 0 and again.skipped["already_in_starshipit"] == 60
    assert len(starshipit_numbers(sandbox)) == 60


@pytest.mark.parametrize(
    ("triggers", "statuses", "created"),
    [
        ("PACKED", ["PICKED", "PACKED", "DISPATCHED"], 2),
        ("PICKED", ["PICKED", "PACKED", "DISPATCHED"], 3),
        ("DISPATCHED", ["PICKED", "PACKED", "DISPATCHED"], 1),
        ("", ["PICKED", "PACKED", "DISPATCHED"], 0),
    ],
)
def test_orders_at_or_past_the_earliest_trigger_status_are_transferred(
    app, sandbox, new_sale_orders, runner, triggers, statuses, created
):
    app.config["TRIGGER_STATUSES"] = tuple(filter(None, triggers.split(",")))
    for status in statuses:
        new_sale_orders(1, status)
    assert runner.run_once(force=True).created == created
    assert len(sandbox.state.starshipit_orders()) == created


def test_an_order_moving_to_packed_later_is_picked_up_by_the_next_poll(sandbox, new_sale_orders, runner):
    (order,) = new_sale_orders(1, "AWAITING_PICK_AND_PACK")
    assert runner.run_once(force=True).created == 0
    sandbox.state.set_sale_order_status(order["id"], "PACKED")
    assert runner.run_once(force=True).created == 1
    assert starshipit_numbers(sandbox) == [order["references"]["customer"]]


def test_unshippable_orders_are_recorded_and_not_retried_until_they_change(sandbox, new_sale_orders, runner, db):
    (order,) = new_sale_orders(1, street=None)
    first = runner.run_once(force=True)
    assert first.skipped["not_shippable"] == 1 and first.created == 0
    record = db.record(order["id"])
    assert record.last_error_code == "sale_order_not_shippable"
    assert "street" in record.last_error_message.lower()
    assert [reason["field"] for reason in record.blocked_reasons] == ["details.deliver.address.address1"]

    second = runner.run_once(force=True)
    assert second.skipped["not_shippable_unchanged"] == 1
    assert len(db.events("transfer_blocked")) == 1  # not mapped again

    sandbox.state.set_sale_order_status(order["id"], "DISPATCHED")  # a change: a new version
    third = runner.run_once(force=True)
    assert third.skipped["not_shippable"] == 1
    assert len(db.events("transfer_blocked")) == 2
    assert sandbox.state.starshipit_orders() == []


def test_rate_limited_imports_are_retried_and_create_each_order_once(sandbox, new_sale_orders, runner):
    new_sale_orders(120)
    sandbox.state.add_fault(service="starshipit", path="/api/orders/import", status=429, count=2, retry_after=0)
    summary = runner.run_once(force=True)
    assert summary.created == 120 and summary.failed == 0
    assert len(set(starshipit_numbers(sandbox))) == len(starshipit_numbers(sandbox)) == 120
    assert sandbox.state.counters.snapshot()["rate_limited"]["starshipit"] == {"POST /api/orders/import": 2}


def test_an_import_whose_answer_was_lost_is_looked_up_not_sent_again(app, sandbox, new_sale_orders, runner, db):
    orders = new_sale_orders(10)
    app.config["HTTP_READ_TIMEOUT"] = 0.3
    # Starshipit creates the orders but the answer comes after the client gave up.
    sandbox.state.add_fault(service="starshipit", path="/api/orders/import", timeout=True, timeout_seconds=0.6, count=1)
    lost = runner.run_once(force=True)
    assert lost.created == 0 and lost.failed == 10
    assert all(record.starshipit_order_id is None for record in db.records())
    assert [send.outcome for send in db.sends()] == ["no_answer"] * 10 and len({s.send_id for s in db.sends()}) == 1
    wait_for(lambda: len(sandbox.state.starshipit_orders()) == 10, what="Starshipit to finish the import")

    mark_errors_old(app)
    runner.run_once(force=True)
    counters = sandbox.state.counters.snapshot()["starshipit"]
    assert counters["POST /api/orders/import"] == 1  # never sent again
    assert counters["GET /api/orders"] == 10  # each looked up by its number instead
    assert starshipit_numbers(sandbox) == sorted(o["references"]["customer"] for o in orders)
    assert {record.starshipit_order_id for record in db.records()} == {
        order["order_id"] for order in sandbox.state.starshipit_orders()
    }


@pytest.mark.parametrize("not_found", [200, 404])  # Starshipit's two answers for an unknown order number
def test_an_import_still_on_its_way_is_not_sent_again_before_it_can_land(
    app, sandbox, new_sale_orders, runner, db, not_found
):
    """A create whose answer is lost may land later: a pass that does not find the orders yet
    leaves them (create_unconfirmed) instead of importing them a second time."""
    sandbox.state.set_options(starshipit_not_found=not_found)
    orders = new_sale_orders(5)
    app.config["HTTP_READ_TIMEOUT"] = 0.3
    sandbox.state.add_fault(service="starshipit", path="/api/orders/import", timeout=True, timeout_seconds=4, count=1)
    assert runner.run_once(force=True).failed == 5
    mark_errors_old(app)
    early = runner.run_once(force=True)  # Starshipit is still working on the first import
    assert early.created == 0 and early.skipped["create_unconfirmed"] >= 5  # by the poll and by the sweep
    assert sandbox.state.counters.snapshot()["starshipit"]["POST /api/orders/import"] == 1
    wait_for(lambda: len(sandbox.state.starshipit_orders()) == 5, what="the first import to land")

    runner.run_once(force=True)
    assert sandbox.state.counters.snapshot()["starshipit"]["POST /api/orders/import"] == 1
    assert starshipit_numbers(sandbox) == sorted(o["references"]["customer"] for o in orders)
    assert all(record.starshipit_order_id for record in db.records())


def test_a_refused_import_falls_back_to_one_by_one_and_blocks_only_the_refused_order(
    sandbox, new_sale_orders, runner, db
):
    new_sale_orders(5)
    sandbox.state.add_fault(service="starshipit", path="/api/orders/import", status=400, count=1)
    sandbox.state.add_fault(service="starshipit", path="/api/orders", method="POST", status=400, count=1)
    summary = runner.run_once(force=True)
    assert summary.created == 4 and summary.skipped["refused_by_starshipit"] == 1
    (refused,) = [record for record in db.records() if record.starshipit_order_id is None]
    assert refused.last_error_code == "upstream_rejected" and refused.blocked_fingerprint
    assert runner.run_once(force=True).skipped["not_shippable_unchanged"] == 1  # not sent again
    assert len(sandbox.state.starshipit_orders()) == 4


def test_an_order_a_click_holds_is_left_to_the_click_and_swept_up_if_it_fails(
    app, sandbox, new_sale_orders, runner, db, client, auth
):
    first, _second = new_sale_orders(2)
    assert client.get(f"/api/v1/orders/lookup?id={first['id']}", headers=auth).status_code == 200
    held = db.record(first["id"])  # the page asked about it: a click may follow
    with get_database(app).sessions() as session:
        assert try_lock(session, held.id, "a-click", timedelta(minutes=2))
        summary = runner.run_once(force=True)
        assert summary.skipped["busy"] == 1 and summary.created == 1
        release(session, [held.id], "a-click")  # the click gave up without creating the order
    assert runner.run_once().created == 0  # no poller is due yet
    make_due(app, "trigger.pending")  # the sweep of pending orders, not the CartonCloud poll
    assert runner.run_once().created == 1
    assert len(sandbox.state.starshipit_orders()) == 2


# PostgreSQL only: on SQLite the pass's read takes the write lock, so no click can record an
# order between that read and the insert.
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_an_order_a_click_records_while_the_pass_records_the_rest_is_recorded_once(
    app, sandbox, new_sale_orders, runner, db, monkeypatch
):
    """The pass read which orders it knows, then a click recorded one of the others (its page
    asked about it) before the pass inserted them: the insert fails on that one, and the pass
    takes the click's record and records the rest."""
    first, _second, _third = new_sale_orders(3)
    new_record = Transfer._new_record

    def click_records_it_first(transfer, sale_order):
        if sale_order["id"] == first["id"]:
            tenant = get_upstreams(app).cartoncloud_credentials().tenant_id
            with get_database(app).sessions() as session:
                resolver.record_for(session, tenant, sale_order)
        return new_record(transfer, sale_order)

    monkeypatch.setattr(Transfer, "_new_record", click_records_it_first)
    assert runner.run_once(force=True).created == 3
    assert sorted(record.sale_order_id for record in db.records()) == sorted(
        so["id"] for so in (first, _second, _third)
    )
    assert len(sandbox.state.starshipit_orders()) == 3


def test_two_imports_travel_while_an_earlier_answer_is_awaited_and_no_more(app, sandbox, new_sale_orders, runner, db):
    """Starshipit holds an import of a pass. Two more imports reach it meanwhile, so a slow answer
    does not make every request late; and no import has more than two sent after it while its
    answer is awaited. Read from the record of creates sent, which is written before each import
    goes and ended when its answer has been read."""
    new_sale_orders(200)
    app.config["HTTP_READ_TIMEOUT"] = 60  # the held import is waited for until the test releases it
    sandbox.state.add_fault(
        service="starshipit", path="/api/orders/import", method="POST", timeout=True, timeout_seconds=60, count=1
    )
    passes = []
    transfer = threading.Thread(target=lambda: passes.append(runner.run_once(force=True)))
    transfer.start()
    try:
        wait_for(
            lambda: sandbox.state.counters.snapshot()["starshipit"].get("POST /api/orders/import", 0) >= 3,
            what="two more imports sent while the first is held",
        )
    finally:
        sandbox.state.release_holds()
        transfer.join()

    assert passes[0].created == 200 and passes[0].failed == 0
    imports = list({send.send_id: send for send in db.sends()}.values())  # a send's rows share their times
    assert len(imports) == 4
    sent_while_awaited = [
        sum(1 for other in imports if send.sent_at < other.sent_at < send.ended_at) for send in imports
    ]
    assert max(sent_while_awaited) == 2, sent_while_awaited


def analyzed_since(app, start) -> bool:
    """Whether the sale orders' statistics were refreshed by hand (ANALYZE) after ``start``."""
    with get_database(app).engine.connect() as connection:
        last = connection.scalar(text("SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'sale_orders'"))
    return last is not None and last >= start


# PostgreSQL only: SQLite plans without statistics, so there is nothing to refresh.
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_pass_that_records_many_new_orders_refreshes_their_statistics(app, new_sale_orders, runner, monkeypatch):
    """The plans PostgreSQL made while the table was empty scan it whole; a pass that recorded
    many new orders has the statistics refreshed, so its later reads (and every connection's)
    are planned for the table as it is. A pass of a few orders leaves that to autovacuum."""
    monkeypatch.setattr(trigger, "REFRESH_STATISTICS_AFTER", 20)
    with get_database(app).engine.connect() as connection:
        start = connection.scalar(text("SELECT clock_timestamp()"))

    new_sale_orders(10)
    assert runner.run_once(force=True).created == 10
    assert not analyzed_since(app, start)

    new_sale_orders(30)
    assert runner.run_once(force=True).created == 30
    assert analyzed_since(app, start)


def mark_errors_old(app) -> None:
    """As if the retry delay after an error had passed."""
    with get_database(app).sessions() as session:
        session.execute(update(SaleOrder).values(last_error_at=utcnow() - timedelta(hours=1)))
        session.commit()


def make_due(app, cursor: str) -> None:
    with get_database(app).sessions() as session:
        session.execute(update(SyncCursor).where(SyncCursor.name == cursor).values(next_run_at=utcnow()))
        session.commit()


def test_an_import_failing_while_the_next_is_on_its_way_loses_and_duplicates_nothing(
    app, sandbox, new_sale_orders, runner, db
):
    orders = new_sale_orders(200)
    sandbox.state.add_fault(service="starshipit", path="/api/orders/import", status=503, count=1)
    failed = runner.run_once(force=True)
    # The two imports sent after it, on their way when its failure was read, and the rest of
    # what was read by then (the pass sends what it read), may have been created.
    assert failed.failed == 50 and failed.created in (0, 50, 100, 150)
    recorded = {record.starshipit_order_id for record in db.records()} - {None}
    assert recorded == {order["order_id"] for order in sandbox.state.starshipit_orders()}

    mark_errors_old(app)
    runner.run_once(force=True)
    assert starshipit_numbers(sandbox) == sorted(o["references"]["customer"] for o in orders)
    assert sandbox.state.counters.snapshot()["starshipit"]["GET /api/orders"] == 50  # the failed batch, looked up
