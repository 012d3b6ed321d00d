"""Sale orders cancelled in CartonCloud after they got a label: voided with AUTO_VOID, else listed
under needs_attention (GET /api/v1/sync/status) until someone voids the label."""

from __future__ import annotations

import pytest

from server.cartoncloud.client import CartonCloudClient
from server.clients import get_upstreams
from server.db import get_database
from server.sync.cancellations import withdrawn
from server.sync.summary import Summary
from server.sync.trigger import Transfer


@pytest.fixture
def admin(make_token) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_token('admin-1', 'admin')}"}


@pytest.fixture
def printed(print_label, control) -> dict:
    """SO-10045 printed (PACKED), its label's answer."""
    body = print_label(customer_reference="SO-10045").get_json()
    assert body["reprint"] is False
    return body


def attention(client, admin) -> list[dict]:
    return client.get("/api/v1/sync/status", headers=admin).get_json()["needs_attention"]


def transfer_copy(app, sale_order_id: str) -> None:
    """One transfer of the sale order as CartonCloud holds it now (a webhook's delivery)."""
    upstreams = get_upstreams(app)
    sale_order = upstreams.cartoncloud().get_sale_order(sale_order_id)
    with get_database(app).sessions() as session:
        transfer = Transfer(session, upstreams, app.config, Summary(), actor="trigger:webhook")
        transfer.add([sale_order])
        transfer.finish()


@pytest.mark.parametrize(
    ("previous", "status", "cancelled"),
    [
        ("PACKED", "REJECTED", True),
        ("AWAITING_PICK_AND_PACK", "REJECTED", True),
        ("PACKED", "PICKED", True),
        ("DISPATCHED", "PACKING_IN_PROGRESS", True),
        ("PACKED", "DRAFT", True),
        ("PACKED", "DISPATCHED", False),
        ("PICKED", "PACKING_IN_PROGRESS", False),  # never reached PACKED: printed early, not moved back
        (None, "PICKED", False),
    ],
)
def test_what_counts_as_cancelled_after_the_label(previous, status, cancelled):
    assert withdrawn(previous, status) is cancelled


def test_a_rejected_order_is_listed_until_its_label_is_voided(
    app, printed, control, runner, client, admin, auth, make_token
):
    control.set_status(printed["sale_order"]["id"], "REJECTED")

    runner.run_once(force=True)

    (item,) = attention(client, admin)
    assert item["sale_order"]["customer_reference"] == "SO-10045" and item["status"] == "REJECTED"
    assert item["label_id"] == printed["label"]["id"] and item["code"] == "cancelled_in_cartoncloud"
    assert "was rejected in CartonCloud after its label was printed" in item["message"]
    lookup = client.get("/api/v1/orders/lookup?customer_reference=SO-10045", headers=auth).get_json()
    assert lookup["state"] == "labelled" and lookup["last_error"]["code"] == "cancelled_in_cartoncloud"
    (order,) = control.starshipit_orders("SO-10045")
    assert order["archived"] is False  # nothing voided without AUTO_VOID

    supervisor = {"Authorization": f"Bearer {make_token('supervisor-1', 'supervisor')}"}
    voided = client.post(
        f"/api/v1/labels/{printed['label']['id']}/void", json={"reason": "rejected"}, headers=supervisor
    )
    assert voided.status_code == 200
    assert attention(client, admin) == []


def test_with_auto_void_a_rejected_order_has_its_label_voided(app, printed, control, runner, client, admin, db):
    app.config["AUTO_VOID"] = True
    control.set_status(printed["sale_order"]["id"], "REJECTED")

    runner.run_once(force=True)

    assert attention(client, admin) == []
    (order,) = control.starshipit_orders("SO-10045")
    assert order["archived"] is True
    (event,) = db.events("void")
    assert event.actor == "trigger:poll" and event.detail["reason"] == "cancelled in CartonCloud"
    assert db.record(printed["sale_order"]["id"]).state == "voided"
    runner.run_once(force=True)  # seen again: nothing more to do
    assert len(db.events("void")) == 1


def test_a_failed_auto_void_is_listed_with_starshipits_words(app, printed, control, client, admin):
    app.config["AUTO_VOID"] = True
    refusal = {"success": False, "errors": [{"message": "Order has been manifested", "details": ""}]}
    control.fault(service="starshipit", path="/api/orders/archive", status=200, body=refusal, count=1)
    control.set_status(printed["sale_order"]["id"], "REJECTED")

    transfer_copy(app, printed["sale_order"]["id"])

    (item,) = attention(client, admin)
    assert "Voiding it automatically failed" in item["message"] and "Order has been manifested" in item["message"]


def test_moved_back_before_packed_is_listed_and_moving_forward_again_clears_it(app, printed, control, client, admin):
    sale_order_id = printed["sale_order"]["id"]
    transfer_copy(app, sale_order_id)  # labelbridge has seen it PACKED
    control.set_status(sale_order_id, "PICKED")

    transfer_copy(app, sale_order_id)

    (item,) = attention(client, admin)
    assert item["status"] == "PICKED" and "moved back to PICKED" in item["message"]

    control.set_status(sale_order_id, "PACKED")
    transfer_copy(app, sale_order_id)
    assert attention(client, admin) == []


@pytest.mark.parametrize("auto_void", [False, True])
def test_the_poll_sees_a_labelled_order_moved_back_before_packed(
    app, printed, control, runner, client, admin, db, auto_void
):
    app.config["AUTO_VOID"] = auto_void
    sale_order_id = printed["sale_order"]["id"]
    control.set_status(sale_order_id, "AWAITING_PICK_AND_PACK")  # no webhook: only the poll can see it

    runner.run_once(force=True)

    (order,) = control.starshipit_orders("SO-10045")
    assert db.record(sale_order_id).status == "AWAITING_PICK_AND_PACK"
    if auto_void:
        assert attention(client, admin) == []
        assert order["archived"] is True
        (event,) = db.events("void")
        assert event.actor == "trigger:poll" and event.detail["reason"] == "cancelled in CartonCloud"
        assert db.record(sale_order_id).state == "voided"
    else:
        (item,) = attention(client, admin)
        assert item["status"] == "AWAITING_PICK_AND_PACK" and "moved back to AWAITING_PICK_AND_PACK" in item["message"]
        assert order["archived"] is False and db.events("void") == []


def test_orders_before_packed_are_read_only_while_a_label_could_be_withdrawn_and_only_labelled_ones_recorded(
    app, print_label, control, runner, new_sale_orders, db, monkeypatch
):
    searched: list[dict] = []
    search = CartonCloudClient.search_sale_orders

    def counting(self, condition, *, page=1, size=100):
        searched.append(condition)
        return search(self, condition, page=page, size=size)

    monkeypatch.setattr(CartonCloudClient, "search_sale_orders", counting)
    waiting = new_sale_orders(3, "AWAITING_PICK_AND_PACK")
    runner.run_once(force=True)
    assert len(searched) == 1  # no label anywhere: the withdrawn statuses are not read

    print_label(customer_reference="SO-10045")
    searched.clear()
    runner.run_once(force=True)

    assert len(searched) == 2
    statuses = {leaf["value"]["value"] for leaf in _leaves(searched[1]) if leaf["field"]["pointer"] == "/status"}
    assert statuses == {"DRAFT", "AWAITING_STOCK", "AWAITING_PICK_AND_PACK", "PACKING_IN_PROGRESS", "PICKED"}
    recorded = {record.sale_order_id for record in db.records()}
    assert recorded.isdisjoint(sale_order["id"] for sale_order in waiting)  # read, not recorded


def _leaves(condition: dict) -> list[dict]:
    if "conditions" in condition:
        return [leaf for inner in condition["conditions"] for leaf in _leaves(inner)]
    return [condition]
