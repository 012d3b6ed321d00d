"""One Starshipit order per sale order where the paths meet: a click, a batch and the automatic
transfer each ask the same record of creates sent (``server/orders/sends.py``) before creating,
so a create one path sent and never heard back from stops every other path until it can no
longer land.

Timing is made deterministic: the simulator holds the lost create until the test releases it,
and the window in which a create may still land (2 × (connect + read timeout)) is far longer
than the test needs; a crash is what it leaves behind, a ``sent`` record with no answer. A lease
that runs out while its holder waits on Starshipit is run out by the test, at that moment.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from server.clients import get_upstreams
from server.db import get_database
from server.models import SaleOrder, StarshipitCreate, utcnow
from server.orders import resolver, sends
from server.orders.service import PrintService
from server.starshipit.client import StarshipitClient

from .conftest import wait_for

HELD = 30  # seconds the simulator holds a create it answers too late: released by the test


@pytest.fixture
def lost_answers(app):
    """labelbridge gives up on Starshipit after 2 s, and a create may land for 2 × (5 + 2) s.
    Every answer the simulator does not hold comes well within 2 s on a busy machine; with 0.3 s,
    a click in CI once failed with a 503 after the order's look-up and no log line, most likely a
    create the simulator answered late."""
    app.config.update(HTTP_READ_TIMEOUT=2, HTTP_CONNECT_TIMEOUT=5)
    return sends.in_flight_window(app.config)


def hold_next(sandbox, path: str, method: str = "POST") -> None:
    """Starshipit will hold the next call to ``path`` past labelbridge's timeout, then do it."""
    sandbox.state.add_fault(service="starshipit", path=path, method=method, timeout=True, timeout_seconds=HELD, count=1)


def orders_numbered(sandbox, number: str) -> list[dict]:
    return [order for order in sandbox.state.starshipit_orders() if order["order_number"] == number]


def send_outcomes(db) -> list[tuple[str, str]]:
    return [(send.via, send.outcome) for send in db.sends()]


def age_sends(app, by: timedelta) -> None:
    """As if every create had been sent ``by`` earlier."""
    with get_database(app).sessions() as session:
        for send in session.query(StarshipitCreate).all():
            session.execute(
                update(StarshipitCreate).where(StarshipitCreate.id == send.id).values(sent_at=send.sent_at - by)
            )
        session.commit()


def click(print_label, sale_order: dict):
    return print_label(customer_reference=sale_order["references"]["customer"])


def assert_retry_later(response) -> None:
    """A clear, retryable answer: 503 with Retry-After, saying the order will not be doubled."""
    body = response.get_json()
    assert response.status_code == 503 and body["code"] == "create_unconfirmed", body
    assert int(response.headers["Retry-After"]) >= 1 and "will not be created twice" in body["message"]


def assert_printed(response) -> None:
    assert response.status_code == 201 and response.get_json()["label"]["id"], response.get_json()


def assert_not_answered(response) -> None:
    """Starshipit held the create past the read timeout: a retryable 503, the create unconfirmed."""
    body = response.get_json()
    assert response.status_code == 503 and body["code"] == "upstream_unavailable", body


def run_out_leases(app) -> None:
    """As if every order's lock had outlived its lease (its holder slow, or its machine busy)."""
    with get_database(app).sessions() as session:
        session.execute(
            update(SaleOrder)
            .where(SaleOrder.lock_token.is_not(None))
            .values(locked_until=utcnow() - timedelta(seconds=1))
        )
        session.commit()


def meanwhile(monkeypatch, number: str, interfere) -> None:
    """Run ``interfere()`` while Starshipit is asked (the first time) whether order ``number``
    exists, after its answer came and before the asker goes on."""
    find = StarshipitClient.find_order_by_number
    pending = [interfere]

    def find_then_interfere(client, order_number):
        found = find(client, order_number)
        if order_number == number and pending:
            pending.pop()()
        return found

    monkeypatch.setattr(StarshipitClient, "find_order_by_number", find_then_interfere)


def forget_errors(app) -> None:
    """As if the transfer's retry delay after an error had passed."""
    with get_database(app).sessions() as session:
        session.execute(update(SaleOrder).values(last_error_at=None))
        session.commit()


def test_a_click_while_a_bulk_import_may_still_land_waits_for_it(
    app, sandbox, new_sale_orders, runner, db, print_label, lost_answers
):
    """The defect: the transfer's import timed out but lands later; a click meanwhile created the
    order a second time (201). Now it is told to retry, and then prints the imported order."""
    (sale_order,) = new_sale_orders(1)
    number = sale_order["references"]["customer"]
    hold_next(sandbox, "/api/orders/import")
    assert runner.run_once(force=True).failed == 1  # no answer within the read timeout
    assert send_outcomes(db) == [("import", "no_answer")]

    assert_retry_later(click(print_label, sale_order))
    assert orders_numbered(sandbox, number) == []  # not created by the click

    sandbox.state.release_holds()  # the import lands
    wait_for(lambda: orders_numbered(sandbox, number), what="the import to land")
    printed = click(print_label, sale_order)
    assert_printed(printed)
    assert len(orders_numbered(sandbox, number)) == 1
    assert db.record(sale_order["id"]).starshipit_order_id == orders_numbered(sandbox, number)[0]["order_id"]


def test_an_import_after_an_unanswered_click_leaves_the_order_until_it_lands(
    app, sandbox, new_sale_orders, runner, db, print_label, lost_answers
):
    (sale_order,) = new_sale_orders(1)
    number = sale_order["references"]["customer"]
    hold_next(sandbox, "/api/orders")
    assert_not_answered(click(print_label, sale_order))
    assert send_outcomes(db) == [("create", "no_answer")]

    summary = runner.run_once(force=True)
    assert summary.created == 0 and summary.skipped["create_unconfirmed"] >= 1
    assert sandbox.state.counters.snapshot()["starshipit"].get("POST /api/orders/import") is None

    sandbox.state.release_holds()
    wait_for(lambda: orders_numbered(sandbox, number), what="the click's create to land")
    forget_errors(app)
    runner.run_once(force=True)
    assert len(orders_numbered(sandbox, number)) == 1
    assert db.record(sale_order["id"]).starshipit_order_id == orders_numbered(sandbox, number)[0]["order_id"]


def test_a_batch_after_an_unanswered_click_does_not_create_the_order_again(
    app, sandbox, new_sale_orders, db, client, auth, print_label, lost_answers
):
    lost, other = new_sale_orders(2)
    hold_next(sandbox, "/api/orders")
    assert_not_answered(click(print_label, lost))

    response = client.post(
        "/api/v1/labels/batch",
        headers=auth,
        json={
            "sale_orders": [
                {"customer_reference": lost["references"]["customer"]},
                {"customer_reference": other["references"]["customer"]},
            ]
        },
    )
    results = response.get_json()["results"]
    assert response.status_code == 200 and [result["status"] for result in results] == ["failed", "printed"]
    assert results[0]["error"]["code"] == "create_unconfirmed"
    assert orders_numbered(sandbox, lost["references"]["customer"]) == []
    assert sandbox.state.counters.snapshot()["starshipit"]["POST /api/orders"] == 1  # the click's, only

    sandbox.state.release_holds()
    wait_for(lambda: orders_numbered(sandbox, lost["references"]["customer"]), what="the click's create to land")
    assert_printed(click(print_label, lost))
    assert len(orders_numbered(sandbox, lost["references"]["customer"])) == 1


def test_a_crash_between_recording_a_send_and_sending_it_delays_the_order_but_never_loses_it(
    app, sandbox, new_sale_orders, db, runner, print_label, lost_answers
):
    """A process killed after recording its create (which may or may not have left) leaves a
    ``sent`` record: nobody creates the order until it could no longer land, then it is looked
    up, not found, and created once."""
    (sale_order,) = new_sale_orders(1)
    number = sale_order["references"]["customer"]
    with get_database(app).sessions() as session:  # what a click killed after recording its send leaves
        tenant = get_upstreams(app).cartoncloud_credentials().tenant_id
        staged = resolver.record_for(session, tenant, sale_order)
        sends.record_sent(session, [(staged, number)], account=None, via="create")

    assert_retry_later(click(print_label, sale_order))
    summary = runner.run_once(force=True)
    assert summary.created == 0 and summary.skipped["create_unconfirmed"] >= 1
    assert orders_numbered(sandbox, number) == []

    age_sends(app, lost_answers)
    assert_printed(click(print_label, sale_order))
    assert len(orders_numbered(sandbox, number)) == 1
    assert send_outcomes(db) == [("create", "sent"), ("create", "created")]


def test_an_answered_failure_then_a_resend_lost_to_a_crash_is_waited_for(
    app, sandbox, new_sale_orders, db, runner, print_label, lost_answers
):
    """The import is answered with a 500 (nothing to wait for), then a later send of the order is
    recorded and its process killed. Judging by the answered failure, the old rule created the
    order again at once; the last send is the one that counts."""
    (sale_order,) = new_sale_orders(1)
    number = sale_order["references"]["customer"]
    sandbox.state.add_fault(service="starshipit", path="/api/orders/import", status=500, count=1)
    assert runner.run_once(force=True).failed == 1
    assert send_outcomes(db) == [("import", "unconfirmed")]
    assert db.record(sale_order["id"]).last_error_code == "upstream_error"

    with get_database(app).sessions() as session:  # the resend, and the crash right after it went
        staged = session.get(SaleOrder, db.record(sale_order["id"]).id)
        sends.record_sent(session, [(staged, number)], account="default", via="import")

    assert_retry_later(click(print_label, sale_order))
    forget_errors(app)
    summary = runner.run_once(force=True)
    assert summary.created == 0 and summary.skipped["create_unconfirmed"] >= 1
    assert orders_numbered(sandbox, number) == []

    age_sends(app, lost_answers)  # it can no longer land: created once
    assert_printed(click(print_label, sale_order))
    assert len(orders_numbered(sandbox, number)) == 1


def test_a_reprint_of_a_label_a_relabel_voided_meanwhile_prints_the_new_label(app, sandbox, print_label, runner):
    """A batch resolves its orders first and prints them after: a tracking poll in between can
    void the label it saw (relabelled in Starshipit). That reprint answered a 500; it prints the
    new label instead."""
    printed = print_label(customer_reference="SO-10045").get_json()
    with get_database(app).sessions() as session:
        seen = session.get(SaleOrder, db_pk(app, printed["sale_order"]["id"]))  # as the batch resolved it
        assert seen.current_label_id == printed["label"]["id"]
        session.commit()
        relabelled = sandbox.state.starshipit.relabel(printed["starshipit_order"]["order_id"])
        runner.run_once(force=True)  # the tracking poll voids the stored label
        outcome = PrintService(session, get_upstreams(app), app.config, "batch").print_record(seen)
    assert outcome.reprint is False and list(outcome.label.tracking_numbers) == relabelled["tracking_numbers"]
    assert len(orders_numbered(sandbox, "SO-10045")) == 1


def db_pk(app, sale_order_id: str) -> int:
    with get_database(app).sessions() as session:
        return session.scalar(select(SaleOrder.id).where(SaleOrder.sale_order_id == sale_order_id))


def test_an_import_whose_lease_ran_out_while_it_looked_orders_up_leaves_out_the_order_a_click_took(
    app, sandbox, new_sale_orders, runner, db, print_label, lost_answers, monkeypatch
):
    """The transfer locks its orders, then looks up one it sent before (slowly, one by one); the
    lease runs out meanwhile and a click takes another of its orders and prints it. The import
    must leave that order out: before, it was created a second time."""
    looked_up, taken = new_sale_orders(2)
    with get_database(app).sessions() as session:  # an old create of ``looked_up``, long settled
        tenant = get_upstreams(app).cartoncloud_credentials().tenant_id
        staged = resolver.record_for(session, tenant, looked_up)
        sends.record_sent(session, [(staged, looked_up["references"]["customer"])], account=None, via="create")
    age_sends(app, lost_answers)
    clicks = []

    def click_taken_after_the_lease_ran_out():
        run_out_leases(app)
        clicks.append(click(print_label, taken))

    meanwhile(monkeypatch, looked_up["references"]["customer"], click_taken_after_the_lease_ran_out)
    summary = runner.run_once(force=True)

    assert [response.status_code for response in clicks] == [201]
    assert summary.skipped["busy"] == 1 and summary.created == 1  # ``looked_up``, not found: created
    assert len(orders_numbered(sandbox, taken["references"]["customer"])) == 1
    assert len(orders_numbered(sandbox, looked_up["references"]["customer"])) == 1
    printed = clicks[0].get_json()["starshipit_order"]["order_id"]
    assert db.record(taken["id"]).starshipit_order_id == printed


def test_a_click_whose_lease_ran_out_while_it_looked_the_order_up_leaves_it_to_the_transfer(
    app, sandbox, new_sale_orders, runner, db, print_label, monkeypatch
):
    """A click looks the order up (not there yet); its lease runs out meanwhile and the transfer
    takes the order and imports it. The click must not create it too: it is told to retry, and
    the retry prints the imported order."""
    (sale_order,) = new_sale_orders(1)
    number = sale_order["references"]["customer"]
    transfers = []

    def transfer_after_the_lease_ran_out():
        run_out_leases(app)
        transfers.append(runner.run_once(force=True))

    meanwhile(monkeypatch, number, transfer_after_the_lease_ran_out)
    response = click(print_label, sale_order)

    assert transfers[0].created == 1
    body = response.get_json()
    assert response.status_code == 409 and body["code"] == "request_in_progress", body
    assert int(response.headers["Retry-After"]) >= 1 and "try again" in body["message"]
    assert len(orders_numbered(sandbox, number)) == 1
    retried = click(print_label, sale_order)
    assert retried.status_code == 201
    assert retried.get_json()["starshipit_order"]["order_id"] == orders_numbered(sandbox, number)[0]["order_id"]
    assert len(orders_numbered(sandbox, number)) == 1


def test_a_first_click_that_fails_on_an_order_new_to_labelbridge_leaves_it_unlocked(
    sandbox, new_sale_orders, print_label, db
):
    """A click records a new order already locked by itself (one write); when Starshipit then
    refuses the create, the order is unlocked again, so the next click prints it at once."""
    (sale_order,) = new_sale_orders(1)
    sandbox.state.add_fault(service="starshipit", path="/api/orders", method="POST", status=400, count=1)

    refused = click(print_label, sale_order)
    assert refused.status_code == 502, refused.get_json()
    record = db.record(sale_order["id"])
    assert record.lock_token is None and record.last_error_code is not None

    assert_printed(click(print_label, sale_order))
    assert len(orders_numbered(sandbox, sale_order["references"]["customer"])) == 1
    assert db.record(sale_order["id"]).lock_token is None


def test_a_click_on_an_order_another_request_recorded_meanwhile_prints_it_under_the_lock(
    app, sandbox, new_sale_orders, print_label, db, monkeypatch
):
    """A click reads the order as unknown; while it asks CartonCloud, another request (the
    transfer, a look-up) records the order. The click's own record of it is refused (one record
    per sale order): it takes the other's record and prints it under the lock, as any known order."""
    (sale_order,) = new_sale_orders(1)
    fetch = resolver.fetch_sale_order

    def fetch_while_another_request_records_it(cartoncloud, ref):
        fetched = fetch(cartoncloud, ref)
        with get_database(app).sessions() as session:
            tenant = get_upstreams(app).cartoncloud_credentials().tenant_id
            resolver.record_for(session, tenant, fetched)
        return fetched

    monkeypatch.setattr(resolver, "fetch_sale_order", fetch_while_another_request_records_it)
    printed = click(print_label, sale_order)

    assert printed.status_code == 201, printed.get_json()
    assert len(orders_numbered(sandbox, sale_order["references"]["customer"])) == 1
    assert len(db.records()) == 1 and db.record(sale_order["id"]).lock_token is None
