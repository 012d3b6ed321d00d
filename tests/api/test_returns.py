"""POST /api/v1/labels/{label_id}/return against the simulators: one return per sale order."""

from __future__ import annotations

import base64

from server.db import get_database
from server.models import OrderEvent, ReturnShipment

from .test_print import pdf_text

CLONE, PRINT = "POST /api/orders/shipment/clone", "POST /api/orders/shipment"


def calls(control) -> dict[str, int]:
    counts = control.counters("starshipit")
    return {name: counts.get(name, 0) for name in (CLONE, PRINT)}


def printed(print_label, reference: str = "SO-10045") -> dict:
    response = print_label(customer_reference=reference)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def ask_return(client, auth, label_id: str):
    return client.post(f"/api/v1/labels/{label_id}/return", headers=auth)


def test_a_return_is_cloned_printed_and_kept_then_reprinted_with_no_upstream_call(
    print_label, client, auth, control, app
):
    shipment = printed(print_label)
    before_return = client.get("/api/v1/orders/lookup?customer_reference=SO-10045", headers=auth).get_json()
    assert before_return["return_label"] is None
    before = calls(control)

    first = ask_return(client, auth, shipment["label"]["id"])
    assert first.status_code == 201, first.get_json()
    body = first.get_json()
    assert body["reprint"] is False and body["label"]["id"] != shipment["label"]["id"]
    (clone,) = control.starshipit_orders("SO-10045-R")
    assert body["return_order"] == {"order_id": clone["order_id"]} and clone["status"] == "Printed"
    assert body["tracking_numbers"] and body["tracking_numbers"] != shipment["tracking_numbers"]
    assert "SO-10045-R" in pdf_text(base64.b64decode(body["label"]["content_base64"]))
    after_first = calls(control)
    assert {name: after_first[name] - before[name] for name in after_first} == {CLONE: 1, PRINT: 1}

    again = ask_return(client, auth, shipment["label"]["id"])
    assert again.status_code == 200 and again.get_json()["reprint"] is True
    assert again.get_json()["label"]["id"] == body["label"]["id"]
    assert ask_return(client, auth, body["label"]["id"]).get_json()["label"]["id"] == body["label"]["id"]
    assert calls(control) == after_first
    file = client.get(body["label"]["url"], headers=auth)
    assert file.status_code == 200 and file.data == base64.b64decode(body["label"]["content_base64"])

    lookup = client.get("/api/v1/orders/lookup?customer_reference=SO-10045", headers=auth).get_json()
    assert lookup["label"]["id"] == shipment["label"]["id"]  # the shipment's label stays the order's own
    assert lookup["return_label"] == {"id": body["label"]["id"], "format": "pdf", "url": body["label"]["url"]}
    with get_database(app).sessions() as session:
        kinds = [event.kind for event in session.query(OrderEvent).order_by(OrderEvent.id)]
    assert kinds.count("return_cloned") == 1 and kinds.count("return_printed") == 1


def test_a_clone_refused_by_starshipit_is_said_in_its_words_and_nothing_is_kept(
    print_label, client, auth, control, app
):
    shipment = printed(print_label)
    control.fault(service="starshipit", path="/api/orders/shipment/clone", status=400, count=1)

    refused = ask_return(client, auth, shipment["label"]["id"])
    assert refused.status_code == 502
    assert refused.get_json()["message"].startswith("Starshipit refused making the return: ")
    with get_database(app).sessions() as session:
        assert session.query(ReturnShipment).count() == 0

    assert ask_return(client, auth, shipment["label"]["id"]).status_code == 201
    assert len(control.starshipit_orders("SO-10045-R")) == 1


def test_a_print_failing_after_the_clone_continues_from_that_clone(print_label, client, auth, control):
    shipment = printed(print_label)
    control.fault(service="starshipit", path="/api/orders/shipment", status=400, count=1)

    failed = ask_return(client, auth, shipment["label"]["id"])
    assert failed.status_code == 502
    assert failed.get_json()["message"].startswith("Starshipit refused printing the return label: ")
    before = calls(control)
    done = ask_return(client, auth, shipment["label"]["id"])
    assert done.status_code == 201
    assert len(control.starshipit_orders("SO-10045-R")) == 1  # not cloned twice
    after = calls(control)
    assert {name: after[name] - before[name] for name in after} == {CLONE: 0, PRINT: 1}


def test_a_clone_without_an_answer_is_not_sent_again_while_it_may_still_land(print_label, client, auth, control, app):
    shipment = printed(print_label)
    control.fault(service="starshipit", path="/api/orders/shipment/clone", status=504, count=1)

    first = ask_return(client, auth, shipment["label"]["id"])
    assert first.status_code == 503
    before = calls(control)
    second = ask_return(client, auth, shipment["label"]["id"])
    assert second.status_code == 503 and second.get_json()["code"] == "return_unconfirmed"
    assert int(second.headers["Retry-After"]) >= 1
    assert calls(control) == before


def test_unknown_labels_and_unknown_tokens_are_refused_in_the_one_error_shape(client, auth):
    missing = ask_return(client, auth, "7a2c9f4e-1b7d-4f0a-9a61-0c2b9d8e5f13")
    assert missing.status_code == 404 and missing.get_json()["code"] == "not_found"
    unauthenticated = client.post("/api/v1/labels/x/return")
    assert unauthenticated.status_code == 401 and unauthenticated.get_json()["status"] == 401
