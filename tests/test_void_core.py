"""The order core's void (server/orders/void.py) called as the CLI and the transfer call it:
what it asks Starshipit in each case, and that a failure changes nothing."""

from __future__ import annotations

import pytest
import requests

from server.clients import get_upstreams
from server.db import get_database
from server.failures import Unavailable
from server.models import Label, SaleOrder
from server.orders.void import ARCHIVED, DELETED, Voider
from server.sandbox import credentials

STARSHIPIT_KEYS = {
    "StarShipIT-Api-Key": credentials.STARSHIPIT_API_KEY,
    "Ocp-Apim-Subscription-Key": credentials.STARSHIPIT_SUBSCRIPTION_KEY,
}


@pytest.fixture
def void(app):
    def call(label_id: str, reason: str = "wrong box"):
        with get_database(app).sessions() as session:
            outcome = Voider(session, get_upstreams(app), app.config, "core-test").void(label_id, reason)
            return outcome.label.void_action, outcome.already

    return call


def starshipit_calls(control) -> dict[str, int]:
    return {name: count for name, count in control.counters("starshipit").items() if " /api/" in name}


def test_an_order_gone_from_starshipit_is_voided_as_deleted_after_one_read(print_label, void, sandbox, control):
    printed = print_label(customer_reference="SO-10045").get_json()
    order_id = printed["starshipit_order"]["order_id"]
    requests.put(
        f"{sandbox.url}/starshipit/api/orders",
        json={"order": {"order_id": order_id, "status": "Unshipped"}},
        headers=STARSHIPIT_KEYS,
        timeout=5,
    )
    requests.delete(
        f"{sandbox.url}/starshipit/api/orders/delete", params={"order_id": order_id}, headers=STARSHIPIT_KEYS, timeout=5
    )
    before = starshipit_calls(control)

    assert void(printed["label"]["id"]) == (DELETED, False)

    after = starshipit_calls(control)
    assert {name: after[name] - before.get(name, 0) for name in after if after[name] != before.get(name, 0)} == {
        "GET /api/orders": 1
    }


def test_an_order_archived_already_is_not_archived_again(print_label, void, sandbox, control):
    printed = print_label(customer_reference="SO-10045").get_json()
    order_id = printed["starshipit_order"]["order_id"]
    requests.post(
        f"{sandbox.url}/starshipit/api/orders/archive",
        params={"order_id": order_id},
        headers=STARSHIPIT_KEYS,
        timeout=5,
    )
    archives = control.counters("starshipit")["POST /api/orders/archive"]

    assert void(printed["label"]["id"]) == (ARCHIVED, False)
    assert control.counters("starshipit")["POST /api/orders/archive"] == archives


def test_starshipit_down_voids_nothing(app, print_label, void, control):
    printed = print_label(customer_reference="SO-10045").get_json()
    control.fault(service="starshipit", path="/api/orders", method="GET", status=503)

    with pytest.raises(Unavailable, match="Starshipit is not answering properly"):
        void(printed["label"]["id"])

    with get_database(app).sessions() as session:
        label = session.get(Label, printed["label"]["id"])
        record = session.get(SaleOrder, label.sale_order_pk)
        assert label.voided_at is None and record.current_label_id == label.id and record.state == "labelled"
        assert record.voided_shipments == 0
