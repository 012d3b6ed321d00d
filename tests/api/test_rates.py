"""Choosing the service: GET /api/v1/orders/{identifier}/rates, and `service` on a print, a
redo and a batch, against the simulators."""

from __future__ import annotations

import pytest

SHOWCASE = "787061"  # SO-10045, Brisbane, requested service "Express"
RATES = "/api/v1/orders/{}/rates"
EXPRESS_RULE = {"Express": {"carrier": "AusPost", "service_code": "7J55"}}
DEMO_ACCOUNT = "demo"  # the simulated Starshipit account the app's keys open


def rates_calls(control) -> int:
    return control.counters("starshipit").get("POST /api/rates", 0)


def events(client, auth, identifier: str) -> list[dict]:
    return client.get(f"/api/v1/orders/{identifier}/events", headers=auth).get_json()["events"]


def test_rates_list_the_services_with_prices_once_per_five_minutes(client, auth, control):
    first = client.get(RATES.format(SHOWCASE), headers=auth)
    assert first.status_code == 200
    body = first.get_json()
    assert body["cached"] is False and body["message"] is None and body["rules_choice"] is None
    by_code = {rate["carrier_service_code"]: rate for rate in body["rates"]}
    assert by_code["7E55"]["service_name"] == "Parcel Post"
    assert by_code["PRM"]["service_name"] == "Premium"
    assert all(
        rate["price"] > 0 and rate["currency"] == "AUD"
        for rate in body["rates"]
        if rate["carrier_service_code"] != "PL"
    )
    assert not any(rate["rules_choice"] for rate in body["rates"])
    assert rates_calls(control) == 1

    searches = control.counters("cartoncloud")["POST /tenants/{tenant_id}/outbound-orders/search"]
    again = client.get(RATES.format("SO-10045"), headers=auth).get_json()
    assert again["cached"] is True and again["rates"] == body["rates"]
    assert rates_calls(control) == 1
    # The sale order is read again each time: its destination and packages are the key.
    assert control.counters("cartoncloud")["POST /tenants/{tenant_id}/outbound-orders/search"] == searches + 1


def test_the_rules_choice_is_marked(app, client, auth):
    app.config["CARRIER_SERVICES"] = EXPRESS_RULE
    body = client.get(RATES.format(SHOWCASE), headers=auth).get_json()
    assert body["rules_choice"] == {"carrier": "AusPost", "carrier_service_code": "7J55"}
    assert [rate["carrier_service_code"] for rate in body["rates"] if rate["rules_choice"]] == ["7J55"]


def test_no_rates_says_printing_uses_the_rules(client, auth, control):
    control.fault(service="starshipit", path="/api/rates", status=200, body={"rates": [], "success": True})
    body = client.get(RATES.format(SHOWCASE), headers=auth).get_json()
    assert body["rates"] == []
    assert "no services" in body["message"] and "rules" in body["message"]


def test_rates_naming_their_carrier_currency_and_eta_are_read_too(client, auth, control):
    answer = {
        "rates": [
            {
                "carrier": "StarTrack",
                "carrier_name": "StarTrack",
                "service_name": "Premium",
                "service_code": "PRM",
                "total_price": "23.10",
                "currency": "NZD",
                "eta": "1-2 business days",
            },
            {"service_name": "No code: cannot be booked"},
        ],
        "success": True,
    }
    control.fault(service="starshipit", path="/api/rates", status=200, body=answer)
    body = client.get(RATES.format(SHOWCASE), headers=auth).get_json()
    assert body["rates"] == [
        {
            "carrier": "StarTrack",
            "carrier_name": "StarTrack",
            "service_name": "Premium",
            "carrier_service_code": "PRM",
            "price": 23.1,
            "currency": "NZD",
            "eta": "1-2 business days",
            "rules_choice": False,
        }
    ]


def test_rates_of_an_unknown_or_unshippable_order(client, auth):
    assert client.get(RATES.format("999999999"), headers=auth).status_code == 404
    no_street = client.get(RATES.format("SO-10054"), headers=auth)
    assert no_street.status_code == 422 and no_street.get_json()["code"] == "sale_order_not_shippable"


def test_starshipit_refusing_the_rates_is_502_in_its_words(client, auth, control):
    control.fault(service="starshipit", path="/api/rates", status=400, message="Destination postcode is invalid")
    response = client.get(RATES.format(SHOWCASE), headers=auth)
    assert response.status_code == 502
    assert "Destination postcode is invalid" in response.get_json()["message"]


def test_printing_with_a_chosen_service_books_it_and_records_it(print_label, client, auth, control):
    response = client.post(
        "/api/v1/labels",
        json={"sale_order": {"numeric_id": SHOWCASE}, "service": {"carrier": None, "carrier_service_code": "PRM"}},
        headers=auth,
    )
    assert response.status_code == 201
    body = response.get_json()
    assert body["carrier"] == "StarTrack"
    (order,) = control.starshipit_orders("SO-10045")
    assert (order["carrier"], order["carrier_service_code"]) == ("StarTrack", "PRM")
    printed = [event for event in events(client, auth, SHOWCASE) if event["kind"] == "print"]
    assert printed[0]["detail"]["carrier_service_code"] == "PRM"
    assert printed[0]["detail"]["service_chosen"] is True

    same = client.post(
        "/api/v1/labels",
        json={"sale_order": {"numeric_id": SHOWCASE}, "service": {"carrier_service_code": "prm"}},
        headers=auth,
    )
    assert same.status_code == 200 and same.get_json()["label"]["id"] == body["label"]["id"]


def test_another_service_for_a_labelled_order_is_a_redo(print_label, client, auth, control):
    first = print_label(numeric_id=SHOWCASE).get_json()
    refused = client.post(
        "/api/v1/labels",
        json={
            "sale_order": {"numeric_id": SHOWCASE},
            "service": {"carrier": "StarTrack", "carrier_service_code": "PRM"},
        },
        headers=auth,
    )
    assert refused.status_code == 409
    assert refused.get_json()["code"] == "service_needs_redo"
    assert len(control.starshipit_orders("SO-10045")) == 1

    redo = client.post(
        f"/api/v1/labels/{first['label']['id']}/redo",
        json={"confirm": True, "reason": "customer paid for Premium", "service": {"carrier_service_code": "PRM"}},
        headers=auth,
    )
    assert redo.status_code == 201
    assert redo.get_json()["carrier"] == "StarTrack"
    (order,) = control.starshipit_orders("SO-10045")
    assert order["carrier_service_code"] == "PRM"
    (redone,) = [event for event in events(client, auth, SHOWCASE) if event["kind"] == "redo"]
    assert redone["detail"]["reason"] == "customer paid for Premium"
    assert redone["detail"]["carrier_service_code"] == "PRM"


def test_a_batch_books_every_order_with_its_one_service(client, auth, control):
    response = client.post(
        "/api/v1/labels/batch",
        json={
            "sale_orders": [{"customer_reference": "SO-10045"}, {"customer_reference": "SO-10046"}],
            "service": {"carrier": "StarTrack", "carrier_service_code": "EXP"},
        },
        headers=auth,
    )
    assert response.status_code == 200
    assert [result["status"] for result in response.get_json()["results"]] == ["printed", "printed"]
    booked = {o["order_number"]: (o["carrier"], o["carrier_service_code"]) for o in control.starshipit_orders()}
    assert booked == {"SO-10045": ("StarTrack", "EXP"), "SO-10046": ("StarTrack", "EXP")}


@pytest.mark.parametrize(
    "service, field",
    [({}, "carrier_service_code"), ({"carrier_service_code": ""}, "carrier_service_code"), ("PRM", "_schema")],
)
def test_a_malformed_service_is_422_by_field(client, auth, service, field):
    response = client.post(
        "/api/v1/labels", json={"sale_order": {"numeric_id": SHOWCASE}, "service": service}, headers=auth
    )
    assert response.status_code == 422
    assert field in response.get_json()["errors"]["service"]


def test_a_pick_for_an_order_printed_in_starshipits_app_keeps_the_shipment_it_has(client, auth, sandbox):
    store = sandbox.state.starshipit
    destination = {
        "name": "Mr Smith",
        "street": "1 Main Street",
        "suburb": "Springfield",
        "state": "QLD",
        "post_code": "4000",
        "country": "Australia",
    }
    order = store.create({"order_number": "SO-10045", "destination": destination}, account=DEMO_ACCOUNT)
    store.print_in_app(order["order_id"])
    response = client.post(
        "/api/v1/labels",
        json={"sale_order": {"numeric_id": SHOWCASE}, "service": {"carrier_service_code": "PRM"}},
        headers=auth,
    )
    assert response.status_code == 201
    assert response.get_json()["carrier"] == "Australia Post"
    (printed,) = [event for event in events(client, auth, SHOWCASE) if event["kind"] == "print"]
    assert printed["detail"]["service_chosen"] is False
