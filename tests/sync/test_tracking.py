"""Tracking for labels printed in the Starshipit app: found by poll or webhook, matched to the
sale order, written back through the outbox; relabels recorded; statuses never move back."""

from __future__ import annotations

import pytest

from server.mapping import build_starshipit_order

from .conftest import consignment_tracking, post_tracking


@pytest.fixture(autouse=True)
def signed_webhooks(starshipit_secret):
    """Tracking webhooks here are signed, as Starshipit sends them."""


@pytest.fixture
def transferred(new_sale_orders, runner, db):
    """``make(count)``: sale orders created in Starshipit by the trigger; their records."""

    def make(count: int = 1):
        sale_orders = new_sale_orders(count)
        assert runner.run_once(force=True).created == count
        return [db.record(sale_order["id"]) for sale_order in sale_orders]

    return make


def tracking_in_starshipit(sandbox, order_id: int) -> list[str]:
    (order,) = [o for o in sandbox.state.starshipit_orders() if o["order_id"] == order_id]
    return [package["tracking_number"] for package in order["packages"]]


def webhook(client, number: str, tracking: str, status: str = "Printed", at: str = "2025-06-22T03:00:00Z"):
    body = {
        "order_number": number,
        "tracking_number": tracking,
        "tracking_status": status,
        "last_updated_date": at,
        "carrier_name": "Australia Post",
    }
    response = post_tracking(client, body)
    assert response.status_code == 200
    return response


def test_labels_printed_in_starshipit_are_found_by_the_poll_and_written_back(
    sandbox, transferred, runner, writeback, db
):
    records = transferred(3)
    for record in records:
        sandbox.state.starshipit.print_in_app(record.starshipit_order_id)
    runner.run_once(force=True)
    assert writeback.run_once() == 3
    for record in records:
        tracking = tracking_in_starshipit(sandbox, record.starshipit_order_id)
        assert consignment_tracking(sandbox, record.sale_order_id) == ", ".join(tracking)
        assert db.record(record.sale_order_id).state == "written_back"
    assert len(db.events("printed_in_starshipit")) == 3
    assert all(job.label_id is None and job.state == "done" for job in db.jobs())
    runner.run_once(force=True)  # seen again in the overlap: nothing new to write
    assert len(db.jobs()) == 3


def test_a_tracking_webhook_alone_gets_the_tracking_written_back(
    app, client, sandbox, transferred, runner, writeback, db
):
    (record,) = transferred(1)
    app.config["STARSHIPIT_POLL_SECONDS"] = 0  # the webhook is the only source
    shipment = sandbox.state.starshipit.print_in_app(record.starshipit_order_id)
    webhook(client, record.starshipit_order_number, shipment["tracking_numbers"][0])
    runner.run_once()
    writeback.run_once()
    assert consignment_tracking(sandbox, record.sale_order_id) == ", ".join(shipment["tracking_numbers"])
    (event,) = db.inbox()
    assert event.outcome == "printed_in_starshipit"


def test_a_relabel_in_starshipit_writes_the_new_tracking_and_records_the_change(
    sandbox, print_label, runner, writeback, db
):
    printed = print_label(customer_reference="SO-10045").get_json()
    writeback.run_once()
    order_id = printed["starshipit_order"]["order_id"]
    relabelled = sandbox.state.starshipit.relabel(order_id)
    assert relabelled["tracking_numbers"] != printed["tracking_numbers"]

    runner.run_once(force=True)
    writeback.run_once()
    sale_order_id = printed["sale_order"]["id"]
    assert consignment_tracking(sandbox, sale_order_id) == ", ".join(relabelled["tracking_numbers"])
    (change,) = db.events("relabelled")
    assert change.detail["previous_tracking_numbers"] == printed["tracking_numbers"]
    assert change.detail["tracking_numbers"] == relabelled["tracking_numbers"]
    record = db.record(sale_order_id)
    assert record.current_label_id is None  # the stored label was voided by the relabel
    again = print_label(customer_reference="SO-10045").get_json()  # the next click: the new label
    assert again["tracking_numbers"] == relabelled["tracking_numbers"]


def test_an_update_about_a_voided_label_changes_nothing(client, sandbox, transferred, runner, writeback, db):
    (record,) = transferred(1)
    first = sandbox.state.starshipit.print_in_app(record.starshipit_order_id)
    runner.run_once(force=True)
    second = sandbox.state.starshipit.relabel(record.starshipit_order_id)
    runner.run_once(force=True)
    webhook(client, record.starshipit_order_number, first["tracking_numbers"][0], "InTransit")  # late, old label
    runner.run_once()
    writeback.run_once()
    assert db.record(record.sale_order_id).tracking_numbers == second["tracking_numbers"]
    assert consignment_tracking(sandbox, record.sale_order_id) == ", ".join(second["tracking_numbers"])
    assert db.inbox()[-1].outcome.startswith("unverified")  # Starshipit no longer shows the voided number


@pytest.mark.parametrize(
    ("carrier_events", "final"),
    [
        (["InTransit", "Delivered"], "Delivered"),
        (["Delivered", "InTransit"], "Delivered"),  # a late carrier event never moves it back
        (["Printed", "OutForDelivery"], "OutForDelivery"),
        (["OutForDelivery", "Printed"], "OutForDelivery"),
    ],
)
def test_the_tracking_status_never_moves_backwards(client, sandbox, transferred, runner, db, carrier_events, final):
    (record,) = transferred(1)
    shipment = sandbox.state.starshipit.print_in_app(record.starshipit_order_id)
    runner.run_once(force=True)
    for status in carrier_events:
        sandbox.state.starshipit.set_tracking_status(record.starshipit_order_id, status)
        webhook(client, record.starshipit_order_number, shipment["tracking_numbers"][0], status)
        runner.run_once()
    assert db.record(record.sale_order_id).tracking_status == final


def test_a_webhook_applies_what_starshipit_says_not_what_it_claims(client, sandbox, transferred, runner, db):
    """A forged (or garbled) update claiming Delivered: Starshipit says InTransit, so InTransit."""
    (record,) = transferred(1)
    shipment = sandbox.state.starshipit.print_in_app(record.starshipit_order_id)
    runner.run_once(force=True)
    sandbox.state.starshipit.set_tracking_status(record.starshipit_order_id, "InTransit")
    webhook(
        client, record.starshipit_order_number, shipment["tracking_numbers"][0], "Delivered", "2099-01-01T00:00:00Z"
    )
    runner.run_once()
    assert db.record(record.sale_order_id).tracking_status == "InTransit"
    assert db.events("tracking_status")[-1].detail["status"] == "InTransit"


def test_a_webhook_with_tracking_starshipit_does_not_show_on_the_order_changes_nothing(
    client, sandbox, transferred, runner, writeback, db
):
    (record,) = transferred(1)
    webhook(client, record.starshipit_order_number, "FORGED0001", "Delivered")
    runner.run_once()
    writeback.run_once()
    after = db.record(record.sale_order_id)
    assert after.tracking_numbers == [] and after.tracking_status is None
    assert db.jobs() == [] and db.inbox()[-1].outcome.startswith("unverified")


def test_a_webhook_about_an_order_labelbridge_does_not_know_costs_no_upstream_call(app, client, sandbox, runner, db):
    app.config.update(CARTONCLOUD_POLL_SECONDS=0, STARSHIPIT_POLL_SECONDS=0)  # the webhooks alone
    before = sandbox.state.counters.snapshot()
    for number in range(13):
        webhook(client, f"MADE-UP-{number}", f"ZZ{number:04}", "Delivered")
    runner.run_once()
    assert sandbox.state.counters.snapshot() == before  # no CartonCloud search, no Starshipit look-up
    assert {event.outcome for event in db.inbox()} == {"unmatched: no sale order has this order number"}


def test_a_label_printed_by_labelbridge_and_seen_by_the_poll_is_not_written_twice(print_label, runner, db):
    print_label(customer_reference="SO-10045")
    runner.run_once(force=True)
    assert len(db.jobs()) == 1  # the print's own writeback only
    assert db.events("printed_in_starshipit") == []


def test_an_order_printed_in_starshipit_before_labelbridge_knew_it_is_matched_and_never_duplicated(
    sandbox, new_sale_orders, runner, writeback, db
):
    (sale_order,) = new_sale_orders(1, "PICKED")
    order, _ = build_starshipit_order(sale_order)  # made in Starshipit by hand, say
    made = sandbox.state.starshipit.create(order, account="demo")
    shipment = sandbox.state.starshipit.print_in_app(made["order_id"])

    runner.run_once(force=True)  # matched through CartonCloud by its order number
    writeback.run_once()
    record = db.record(sale_order["id"])
    assert record.starshipit_order_id == made["order_id"]
    assert consignment_tracking(sandbox, sale_order["id"]) == ", ".join(shipment["tracking_numbers"])

    sandbox.state.set_sale_order_status(sale_order["id"], "PACKED")
    assert runner.run_once(force=True).skipped["already_in_starshipit"] == 1
    assert len(sandbox.state.starshipit_orders()) == 1


def test_an_update_for_an_order_cartoncloud_does_not_have_is_left_unmatched(client, runner, db):
    webhook(client, "SHOPIFY-1001", "ZZ0001")
    runner.run_once()
    (event,) = db.inbox()
    assert event.state == "done" and event.outcome.startswith("unmatched")


def test_document_mode_writes_no_tracking_for_labels_printed_elsewhere(app, sandbox, transferred, runner, db):
    app.config["WRITEBACK_MODE"] = "document"
    (record,) = transferred(1)
    sandbox.state.starshipit.print_in_app(record.starshipit_order_id)
    runner.run_once(force=True)
    assert db.jobs() == []  # labelbridge holds no label to attach
    assert len(db.events("printed_in_starshipit")) == 1
