"""POST /api/v1/labels/{label_id}/void against the simulators: the shipment leaves Starshipit, the
label is kept marked void, and the next print is a new shipment."""

from __future__ import annotations

import base64

import pytest
import requests

from server.sandbox import credentials

STARSHIPIT_KEYS = {
    "StarShipIT-Api-Key": credentials.STARSHIPIT_API_KEY,
    "Ocp-Apim-Subscription-Key": credentials.STARSHIPIT_SUBSCRIPTION_KEY,
}


@pytest.fixture
def supervisor(make_token) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_token('supervisor-1', 'supervisor')}"}


@pytest.fixture
def void(client, supervisor):
    def call(label_id: str, reason: object = "Wrong box size", headers: dict | None = None):
        body = {} if reason is None else {"reason": reason}
        return client.post(f"/api/v1/labels/{label_id}/void", json=body, headers=headers or supervisor)

    return call


def starshipit_calls(control) -> dict[str, int]:
    return {
        name: count
        for name, count in control.counters("starshipit").items()
        if name.startswith(("GET", "POST", "PUT", "DELETE"))
    }


def calls_since(control, before: dict[str, int]) -> dict[str, int]:
    now = starshipit_calls(control)
    return {name: now[name] - before.get(name, 0) for name in now if now[name] != before.get(name, 0)}


def test_a_printed_label_is_archived_kept_void_and_the_next_print_is_a_new_shipment(
    print_label, void, client, auth, control
):
    first = print_label(customer_reference="SO-10045").get_json()
    before = starshipit_calls(control)

    response = void(first["label"]["id"])

    assert response.status_code == 200
    body = response.get_json()
    assert body["already_void"] is False and body["writeback"] == "queued"
    assert body["label"]["id"] == first["label"]["id"] and body["label"]["action"] == "archived"
    assert body["label"]["reason"] == "Wrong box size" and body["label"]["voided_by"] == "supervisor-1"
    assert body["label"]["tracking_numbers"] == first["tracking_numbers"]
    assert "archived" in body["explanation"] and "contact them" in body["explanation"]
    assert calls_since(control, before) == {"GET /api/orders": 1, "POST /api/orders/archive": 1}
    (archived,) = control.starshipit_orders("SO-10045")
    assert archived["archived"] is True

    lookup = client.get("/api/v1/orders/lookup?customer_reference=SO-10045", headers=auth).get_json()
    assert lookup["state"] == "voided" and lookup["label"] is None and lookup["tracking_numbers"] == []
    assert lookup["starshipit_order"] is None and lookup["voided_label"]["id"] == first["label"]["id"]
    kept = client.get(first["label"]["url"], headers=auth)
    assert kept.status_code == 200 and kept.data == base64.b64decode(first["label"]["content_base64"])

    again = print_label(customer_reference="SO-10045")
    assert again.status_code == 201
    second = again.get_json()
    assert second["reprint"] is False and second["label"]["id"] != first["label"]["id"]
    assert second["starshipit_order"]["order_number"] == "SO-10045-V1"
    assert set(second["tracking_numbers"]).isdisjoint(first["tracking_numbers"])
    assert first["after_void"] is None
    assert second["after_void"] == {"label_id": first["label"]["id"], "tracking_numbers": first["tracking_numbers"]}
    lookup = client.get("/api/v1/orders/lookup?customer_reference=SO-10045", headers=auth).get_json()
    assert lookup["state"] == "labelled" and lookup["voided_label"] is None
    reprint = print_label(customer_reference="SO-10045").get_json()
    assert reprint["reprint"] is True and reprint["after_void"] is None  # said once, by the new shipment


def test_a_batch_says_which_of_its_new_shipments_replace_a_voided_label(print_label, void, client, auth, control):
    packed = [
        o for o in control.info()["sale_orders"] if o["status"] == "PACKED" and o["customer_reference"] != "SO-10045"
    ]
    printable = packed[0]
    first = print_label(customer_reference="SO-10045").get_json()
    other = print_label(customer_reference=printable["customer_reference"]).get_json()
    void(first["label"]["id"])

    sale_orders = [{"customer_reference": "SO-10045"}, {"customer_reference": printable["customer_reference"]}]
    response = client.post("/api/v1/labels/batch", json={"sale_orders": sale_orders}, headers=auth)

    assert response.status_code == 200
    replaced, reprinted = response.get_json()["results"]
    assert replaced["status"] == "printed" and replaced["label"]["id"] != first["label"]["id"]
    assert replaced["after_void"] == {"label_id": first["label"]["id"], "tracking_numbers": first["tracking_numbers"]}
    assert reprinted["status"] == "reprinted" and reprinted["label"]["id"] == other["label"]["id"]
    assert reprinted["after_void"] is None


def test_voiding_a_void_label_answers_the_same_without_asking_starshipit(print_label, void, control):
    label_id = print_label(customer_reference="SO-10045").get_json()["label"]["id"]
    first = void(label_id).get_json()
    before = starshipit_calls(control)

    again = void(label_id, reason="clicked twice")

    assert again.status_code == 200
    body = again.get_json()
    assert body["already_void"] is True
    assert body["label"] == first["label"]  # the first void's reason and time
    assert calls_since(control, before) == {}


def test_an_order_starshipit_holds_unshipped_is_deleted(print_label, void, sandbox, control):
    printed = print_label(customer_reference="SO-10045").get_json()
    order_id = printed["starshipit_order"]["order_id"]
    # Moved back to Unshipped in the Starshipit app: its label is no longer booked there.
    moved = requests.put(
        f"{sandbox.url}/starshipit/api/orders",
        json={"order": {"order_id": order_id, "status": "Unshipped"}},
        headers=STARSHIPIT_KEYS,
        timeout=5,
    )
    assert moved.json()["success"] is True
    before = starshipit_calls(control)

    body = void(printed["label"]["id"]).get_json()

    assert body["label"]["action"] == "deleted" and "deleted from Starshipit" in body["explanation"]
    assert calls_since(control, before) == {"GET /api/orders": 1, "DELETE /api/orders/delete": 1}
    assert control.starshipit_orders("SO-10045") == []


def test_starshipits_refusal_is_passed_on_in_its_words_and_nothing_is_voided(print_label, void, client, auth, control):
    printed = print_label(customer_reference="SO-10045").get_json()
    words = {"message": "Order has been manifested", "details": "Manifested orders cannot be archived"}
    control.fault(
        service="starshipit",
        path="/api/orders/archive",
        status=200,
        body={"success": False, "errors": [words]},
        count=1,
    )

    response = void(printed["label"]["id"])

    assert response.status_code == 502
    error = response.get_json()
    assert error["code"] == "upstream_rejected" and error["status"] == 502
    assert "Order has been manifested: Manifested orders cannot be archived" in error["message"]
    lookup = client.get("/api/v1/orders/lookup?customer_reference=SO-10045", headers=auth).get_json()
    assert lookup["state"] == "labelled" and lookup["label"]["id"] == printed["label"]["id"]
    assert print_label(customer_reference="SO-10045").get_json()["reprint"] is True
    history = client.get("/api/v1/events?sale_order=SO-10045", headers=auth).get_json()
    assert "void_refused" in [event["kind"] for event in history["events"]]


@pytest.mark.parametrize(("role", "status"), [("packer", 403), ("supervisor", 200), ("admin", 200)])
def test_only_supervisors_and_admins_void(print_label, client, make_token, role, status):
    label_id = print_label(customer_reference="SO-10045").get_json()["label"]["id"]
    headers = {"Authorization": f"Bearer {make_token(f'{role}-token', role)}"}
    response = client.post(f"/api/v1/labels/{label_id}/void", json={"reason": "wrong address"}, headers=headers)
    assert response.status_code == status
    if status == 403:
        assert response.get_json()["message"].startswith("This needs a supervisor or admin token")


def test_a_packer_is_refused_before_the_body_is_read(client, auth):
    response = client.post("/api/v1/labels/nope/void", data="not json", headers=auth)
    assert response.status_code == 403 and response.get_json()["code"] == "forbidden"


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        (None, "Missing data for required field."),
        ("", "Length must be between 1 and 500."),
        ("x" * 501, "Length must be between 1 and 500."),
        (7, "Not a valid string."),
    ],
)
def test_the_reason_is_checked_field_by_field(print_label, void, reason, message):
    label_id = print_label(customer_reference="SO-10045").get_json()["label"]["id"]
    response = void(label_id, reason=reason)
    assert response.status_code == 422
    assert response.get_json()["errors"]["reason"] == [message]


def test_an_unknown_label_is_404_in_the_one_error_shape(void):
    response = void("no-such-label")
    assert response.status_code == 404
    assert response.get_json() == {"code": "not_found", "status": 404, "message": "Label no-such-label does not exist."}


def test_a_replaced_label_is_not_voided(print_label, void, client, auth):
    old = print_label(customer_reference="SO-10045").get_json()["label"]["id"]
    redo = client.post(f"/api/v1/labels/{old}/redo", json={"confirm": True, "reason": "smudged"}, headers=auth)
    assert redo.status_code == 201
    response = void(old)
    assert response.status_code == 409 and response.get_json()["code"] == "label_replaced"


def test_the_void_is_in_the_orders_history_and_the_audit_log(print_label, void, client, make_token):
    label_id = print_label(customer_reference="SO-10045").get_json()["label"]["id"]
    void(label_id, reason="customer cancelled")
    admin = {"Authorization": f"Bearer {make_token('admin-1', 'admin')}"}
    events = client.get("/api/v1/events?kind=void", headers=admin).get_json()["events"]
    (event,) = events
    assert event["actor"] == "supervisor-1"
    assert event["detail"]["label_id"] == label_id and event["detail"]["reason"] == "customer cancelled"
    assert event["detail"]["action"] == "archived" and event["detail"]["order_number"] == "SO-10045"
