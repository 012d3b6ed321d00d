"""POST /api/v1/labels against the simulators over loopback: one shipment per sale order."""

from __future__ import annotations

import base64
import io
import uuid

from pypdf import PdfReader

SHOWCASE = {"customer_reference": "SO-10045", "numeric_id": "787061"}


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def starshipit_calls(control, name: str) -> int:
    return control.counters("starshipit").get(name, 0)


def test_first_print_makes_a_real_label_with_tracking(print_label, control):
    response = print_label(numeric_id=SHOWCASE["numeric_id"])
    assert response.status_code == 201
    body = response.get_json()
    assert body["reprint"] is False
    assert body["sale_order"]["numeric_id"] == "787061"
    assert body["sale_order"]["customer_reference"] == "SO-10045"
    assert body["sale_order"]["status"] == "PACKED"
    assert body["starshipit_order"]["order_number"] == "SO-10045"
    assert body["tracking_numbers"] and all(body["tracking_numbers"])
    assert body["carrier"]
    assert body["writeback"] == "queued"
    content = base64.b64decode(body["label"]["content_base64"])
    assert body["label"]["format"] == "pdf"
    text = pdf_text(content)
    assert "SO-10045" in text and body["tracking_numbers"][0] in text
    assert [o["order_id"] for o in control.starshipit_orders("SO-10045")] == [body["starshipit_order"]["order_id"]]


def test_second_print_is_a_reprint_with_no_upstream_call(print_label, client, auth, control):
    first = print_label(customer_reference="SO-10045").get_json()
    calls_after_first = control.counters("starshipit")
    cartoncloud_after_first = control.counters("cartoncloud")

    second = print_label(numeric_id="787061")
    assert second.status_code == 200
    body = second.get_json()
    assert body["reprint"] is True
    assert body["label"]["id"] == first["label"]["id"]
    assert body["tracking_numbers"] == first["tracking_numbers"]
    assert body["label"]["content_base64"] == first["label"]["content_base64"]
    assert control.counters("starshipit") == calls_after_first
    assert control.counters("cartoncloud") == cartoncloud_after_first

    file = client.get(body["label"]["url"], headers=auth)
    assert file.status_code == 200 and file.content_type == "application/pdf"
    assert file.data == base64.b64decode(first["label"]["content_base64"])


def test_print_by_uuid(print_label, control):
    sale_order = control.sale_order("SO-10045")
    response = print_label(id=sale_order["id"])
    assert response.status_code == 201
    assert response.get_json()["sale_order"]["id"] == sale_order["id"]


def test_order_already_in_starshipit_is_found_not_duplicated(print_label, sandbox, control):
    import requests

    from server.sandbox import credentials

    headers = {
        "StarShipIT-Api-Key": credentials.STARSHIPIT_API_KEY,
        "Ocp-Apim-Subscription-Key": credentials.STARSHIPIT_SUBSCRIPTION_KEY,
    }
    order = {
        "order_number": "SO-10045",
        "destination": {
            "name": "Mr Smith",
            "street": "1 Main Street",
            "suburb": "Springfield",
            "state": "QLD",
            "post_code": "4000",
            "country": "Australia",
        },
    }
    created = requests.post(f"{sandbox.starshipit_url}/api/orders", json={"order": order}, headers=headers, timeout=5)
    existing_id = created.json()["order"]["order_id"]

    response = print_label(customer_reference="SO-10045")
    assert response.status_code == 201
    assert response.get_json()["starshipit_order"]["order_id"] == existing_id
    assert len(control.starshipit_orders("SO-10045")) == 1


def test_unknown_sale_order_is_404(print_label):
    response = print_label(numeric_id="999999999")
    assert response.status_code == 404
    assert response.get_json() == {
        "code": "not_found",
        "status": 404,
        "message": "Sale order 999999999 was not found in CartonCloud.",
    }


def test_order_without_street_is_422_with_each_field_and_creates_nothing(print_label, control):
    response = print_label(customer_reference="SO-10054")  # the seeded order with no street
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == "sale_order_not_shippable"
    assert "street" in body["message"]
    assert any("address1" in field for field in body["errors"])
    assert control.counters("starshipit").get("POST /api/orders", 0) == 0


def test_draft_order_cannot_be_shipped(print_label, control):
    draft = next(o for o in control.info()["sale_orders"] if o["status"] == "DRAFT")
    response = print_label(id=draft["id"])
    assert response.status_code == 422
    assert "status" in response.get_json()["errors"]


def test_starshipit_refusal_is_502_in_starshipits_words(print_label, control):
    control.fault(service="starshipit", path="/api/orders/shipment", method="POST", status=400, count=1)
    response = print_label(customer_reference="SO-10045")
    assert response.status_code == 502
    body = response.get_json()
    assert body["code"] == "upstream_rejected"
    assert body["message"].startswith("Starshipit refused printing the label: ")


def test_starshipit_down_is_503_with_retry_after_and_the_next_click_continues(print_label, control, client, auth):
    control.fault(service="starshipit", path="/api/orders/shipment", method="POST", status=503, count=1)
    failed = print_label(customer_reference="SO-10045")
    assert failed.status_code == 503
    assert failed.get_json()["code"] == "upstream_unavailable"
    assert int(failed.headers["Retry-After"]) >= 1

    lookup = client.get("/api/v1/orders/lookup?customer_reference=SO-10045", headers=auth).get_json()
    assert lookup["state"] == "ordered"
    assert lookup["last_error"]["code"] == "upstream_unavailable"

    retried = print_label(customer_reference="SO-10045")
    assert retried.status_code == 201
    assert len(control.starshipit_orders("SO-10045")) == 1  # continued: no second order
    assert starshipit_calls(control, "POST /api/orders") == 1


def test_rate_limited_starshipit_is_503_with_retry_after(print_label, control):
    # Starshipit asks for a longer wait than a click may block: the packer is told at once
    control.fault(service="starshipit", path="/api/orders*", status=429, retry_after=30, rate=1.0)
    response = print_label(customer_reference="SO-10045")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "busy" in response.get_json()["message"]


def test_already_printed_in_starshipit_fetches_the_label_with_reprint(print_label, sandbox, control):
    import requests

    from server.sandbox import credentials

    headers = {
        "StarShipIT-Api-Key": credentials.STARSHIPIT_API_KEY,
        "Ocp-Apim-Subscription-Key": credentials.STARSHIPIT_SUBSCRIPTION_KEY,
    }
    order = {
        "order_number": "SO-10045",
        "destination": {
            "name": "Mr Smith",
            "street": "1 Main Street",
            "suburb": "Springfield",
            "state": "QLD",
            "post_code": "4000",
            "country": "Australia",
        },
    }
    order_id = requests.post(
        f"{sandbox.starshipit_url}/api/orders", json={"order": order}, headers=headers, timeout=5
    ).json()["order"]["order_id"]
    printed = requests.post(
        f"{sandbox.starshipit_url}/api/orders/shipment", json={"order_id": order_id}, headers=headers, timeout=5
    ).json()

    response = print_label(customer_reference="SO-10045")
    assert response.status_code == 201
    assert response.get_json()["tracking_numbers"] == printed["tracking_numbers"]
    assert len(control.starshipit_orders("SO-10045")) == 1


def test_redo_makes_a_new_label_and_records_what_it_replaced(print_label, client, auth):
    first = print_label(customer_reference="SO-10045").get_json()
    refused = client.post(f"/api/v1/labels/{first['label']['id']}/redo", json={"reason": "torn"}, headers=auth)
    assert refused.status_code == 422
    assert "confirm" in refused.get_json()["errors"]

    redo = client.post(
        f"/api/v1/labels/{first['label']['id']}/redo", json={"confirm": True, "reason": "torn"}, headers=auth
    )
    assert redo.status_code == 201
    body = redo.get_json()
    assert body["label"]["id"] != first["label"]["id"]
    assert body["tracking_numbers"] != first["tracking_numbers"]
    assert body["starshipit_order"] == first["starshipit_order"]

    again = print_label(customer_reference="SO-10045").get_json()
    assert again["label"]["id"] == body["label"]["id"]  # the order's current label is the new one
    stale = client.post(
        f"/api/v1/labels/{first['label']['id']}/redo", json={"confirm": True, "reason": "again"}, headers=auth
    )
    assert stale.status_code == 409


def test_idempotency_key_replays_the_first_answer(print_label, control):
    key = str(uuid.uuid4())
    first = print_label(headers={"Idempotency-Key": key}, customer_reference="SO-10045")
    calls = control.counters("starshipit")
    replay = print_label(headers={"Idempotency-Key": key}, customer_reference="SO-10045")
    assert first.status_code == replay.status_code == 201  # the first answer, status included
    assert replay.get_json() == first.get_json()
    assert control.counters("starshipit") == calls


def test_idempotency_key_with_another_body_is_422(print_label):
    key = str(uuid.uuid4())
    assert print_label(headers={"Idempotency-Key": key}, customer_reference="SO-10045").status_code == 201
    response = print_label(headers={"Idempotency-Key": key}, numeric_id="787061")
    assert response.status_code == 422
    assert response.get_json()["code"] == "idempotency_key_reused"


def test_idempotency_key_in_flight_is_409_with_retry_after(app, print_label):
    from datetime import timedelta

    from server.db import get_database
    from server.orders import idempotency

    key = str(uuid.uuid4())
    body = {"sale_order": {"customer_reference": "SO-10045"}}
    with get_database(app).sessions() as session:
        # Another request holding the key: begun and not yet answered.
        fingerprint = idempotency.fingerprint("POST", "/api/v1/labels", body)
        assert idempotency.begin(session, "bench-1", key, fingerprint, timedelta(minutes=2)) is None
    response = print_label(headers={"Idempotency-Key": key}, customer_reference="SO-10045")
    assert response.status_code == 409
    assert response.get_json()["code"] == "request_in_progress"
    assert response.headers["Retry-After"] == "1"


def test_idempotency_key_is_released_after_an_error(print_label, control):
    key = str(uuid.uuid4())
    control.fault(service="starshipit", path="/api/orders/shipment", method="POST", status=503, count=1)
    assert print_label(headers={"Idempotency-Key": key}, customer_reference="SO-10045").status_code == 503
    assert print_label(headers={"Idempotency-Key": key}, customer_reference="SO-10045").status_code == 201


def test_wrong_tenant_is_refused(client, auth):
    response = client.post(
        "/api/v1/labels", json={"sale_order": {"numeric_id": "787061"}, "tenant_slug": "someone-else"}, headers=auth
    )
    assert response.status_code == 422
    assert response.get_json()["code"] == "wrong_tenant"


def test_a_redo_that_fails_half_way_leaves_the_next_print_with_the_label_starshipit_holds(
    print_label, client, auth, sandbox
):
    """The order was reopened in Starshipit, then printing the new label failed: the old label is
    void there, so the next click must not hand it out again."""
    first = print_label(customer_reference="SO-10045").get_json()
    sandbox.state.add_fault(service="starshipit", path="/api/orders/shipment", method="POST", status=500, count=1)
    failed = client.post(
        f"/api/v1/labels/{first['label']['id']}/redo", json={"confirm": True, "reason": "torn"}, headers=auth
    )
    assert failed.status_code in (502, 503)
    again = print_label(customer_reference="SO-10045")
    order = sandbox.state.starshipit.get(first["starshipit_order"]["order_id"], account="demo")
    held = [package["tracking_number"] for package in order["packages"]]
    assert again.status_code == 201 and again.get_json()["tracking_numbers"] == held
    assert again.get_json()["label"]["id"] != first["label"]["id"]
