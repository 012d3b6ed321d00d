"""After a void, every path that creates the sale order's Starshipit order (the click, the bulk
import of the automatic transfer) numbers it past the voided one: the archived order is never
found again and reused, and the new number is the same on every retry."""

from __future__ import annotations

import pytest

from server.orders.numbering import MAX_ORDER_NUMBER, shipment_number


@pytest.fixture
def void(client, make_token):
    supervisor = {"Authorization": f"Bearer {make_token('supervisor-1', 'supervisor')}"}

    def call(label_id: str) -> dict:
        response = client.post(f"/api/v1/labels/{label_id}/void", json={"reason": "wrong box"}, headers=supervisor)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    return call


@pytest.mark.parametrize(
    ("number", "voided", "wanted"),
    [
        ("SO-10045", 0, "SO-10045"),
        ("SO-10045", 1, "SO-10045-V1"),
        ("SO-10045", 12, "SO-10045-V12"),
        ("X" * 50, 1, "X" * 47 + "-V1"),
    ],
)
def test_a_shipment_after_voided_ones_is_numbered_past_them(number, voided, wanted):
    assert shipment_number(number, voided) == wanted
    assert len(shipment_number(number, voided)) <= MAX_ORDER_NUMBER


def test_the_transfer_imports_the_new_shipment_and_the_next_click_finds_it(
    print_label, void, runner, control, sandbox, db
):
    first = print_label(customer_reference="SO-10045").get_json()
    void(first["label"]["id"])
    creates_before = control.counters("starshipit").get("POST /api/orders", 0)

    summary = runner.run_once(force=True)  # SO-10045 is still PACKED: the transfer creates it again

    assert summary.created >= 1
    (new_order,) = control.starshipit_orders("SO-10045-V1")
    (archived,) = control.starshipit_orders("SO-10045")
    assert archived["archived"] is True and new_order["status"] == "Unshipped"

    second = print_label(customer_reference="SO-10045").get_json()
    assert second["starshipit_order"] == {"order_id": new_order["order_id"], "order_number": "SO-10045-V1"}
    assert control.counters("starshipit").get("POST /api/orders", 0) == creates_before  # found, not created
    record = db.record(first["sale_order"]["id"])
    assert record.voided_shipments == 1 and record.state == "labelled"


def test_a_second_void_numbers_the_third_shipment_past_both(print_label, void, control):
    first = print_label(customer_reference="SO-10045").get_json()
    void(first["label"]["id"])
    second = print_label(customer_reference="SO-10045").get_json()
    void(second["label"]["id"])

    third = print_label(customer_reference="SO-10045").get_json()

    assert third["starshipit_order"]["order_number"] == "SO-10045-V2"
    numbers = sorted(order["order_number"] for order in control.starshipit_orders())
    assert [n for n in numbers if n.startswith("SO-10045")] == ["SO-10045", "SO-10045-V1", "SO-10045-V2"]
