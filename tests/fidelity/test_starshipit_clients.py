"""Starshipit as public clients call it (request shapes from docs/starshipit-api-notes.md)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import requests

from server.sandbox import credentials

SUMMARY_FIELDS = {
    "order_id",
    "order_date",
    "shipped_date",
    "order_number",
    "reference",
    "integration_source_name",
    "name",
    "country",
    "carrier",
    "carrier_name",
    "carrier_service_code",
    "carrier_service_name",
    "shipment_type",
    "tracking_number",
    "tracking_short_status",
    "tracking_full_status",
    "manifest_number",
    "manifest_sent",
    "writeback_status",
    "writeback_details",
}
DESTINATION = {
    "name": "Mia Clarke",
    "street": "12 Eagle Street",
    "suburb": "Brisbane City",
    "state": "QLD",
    "post_code": "4000",
    "country": "Australia",
}


def printed_in_app(sandbox, count: int) -> list[dict]:
    """``count`` orders made and printed in the Starshipit app (not through the API)."""
    store = sandbox.state.starshipit
    orders = []
    for start in range(0, count, 50):
        numbers = range(start, min(start + 50, count))
        batch = [{"order_number": f"TAP-{n:04d}", "destination": DESTINATION} for n in numbers]
        orders += store.import_orders(batch, account="demo")
    return [store.print_in_app(order["order_id"]) for order in orders]


def test_a_singer_tap_pages_the_shipped_list_with_limit_200_until_a_short_page(sandbox, starshipit):
    shipments = printed_in_app(sandbox, 230)
    bookmark = "2000-01-01T00:00:00Z"
    rows, page = [], 1
    while True:
        body = starshipit(
            "GET", "/api/orders/shipped", params={"since_last_updated": bookmark, "limit": 200, "page": page}
        ).json()
        assert body["success"] is True
        rows += body["orders"]
        if len(body["orders"]) < 200:
            break
        page += 1
    assert page == 2 and len(rows) == 230
    assert all(set(row) == SUMMARY_FIELDS for row in rows)  # flat: no packages, destination or items
    tracking = {row["order_number"]: row["tracking_number"] for row in rows}
    assert tracking == {s["order_number"]: s["tracking_numbers"][0] for s in shipments}
    # The tap's next bookmark: the newest shipped_date it saw, an RFC 3339 UTC time.
    newest = max(datetime.fromisoformat(row["shipped_date"].replace("Z", "+00:00")) for row in rows)
    assert newest.tzinfo == UTC and newest <= sandbox.state.now()


def test_a_junk_order_number_is_the_credentials_check(starshipit, sandbox):
    """A third-party client checks the keys by looking up an order that cannot exist: HTTP 200."""
    response = starshipit("GET", "/api/orders", params={"order_number": "labelbridge-login-check"})
    assert response.status_code == 200
    assert response.json() == {
        "success": False,
        "errors": [{"message": "General Exception", "details": "Unable to find order number: labelbridge-login-check"}],
    }


@pytest.mark.parametrize(
    ("headers", "status"),
    [({"StarShipIT-Api-Key": "wrong"}, 401), ({"Ocp-Apim-Subscription-Key": "wrong"}, 401)],
)
def test_odoo_reads_bad_keys_from_the_status_or_the_body(sandbox, starshipit, headers, status):
    response = starshipit("GET", "/api/orders", params={"order_number": "x"}, headers=headers)
    body = response.json()
    assert response.status_code == status
    # Odoo's connector: a body statusCode (gateway), else errors[0].details or message when success is false.
    said = body.get("statusCode") or (body["errors"][0].get("details") or body["errors"][0]["message"])
    assert said


def test_odoo_deletes_an_unshipped_order_and_archives_a_printed_one(sandbox, starshipit):
    unshipped = starshipit(
        "POST", "/api/orders", json={"order": {"order_number": "ODOO-1", "destination": DESTINATION}}
    ).json()["order"]
    (shipment,) = printed_in_app(sandbox, 1)
    deleted = starshipit("DELETE", "/api/orders/delete", params={"order_id": unshipped["order_id"]})
    assert deleted.status_code == 200 and deleted.json()["success"] is True
    archived = starshipit("POST", "/api/orders/archive", params={"order_id": shipment["order_id"]})
    assert archived.status_code == 200 and archived.json()["success"] is True
    refused = starshipit("DELETE", "/api/orders/delete", params={"order_id": shipment["order_id"]}).json()
    assert refused["success"] is False and refused["errors"][0]["message"]


def test_a_rates_client_asks_for_prices(starshipit):
    body = {
        "sender": {
            "street": "1 Dock Road",
            "city": "Brisbane",
            "state": "QLD",
            "post_code": "4008",
            "country_code": "AU",
        },
        "destination": {
            "street": "12 Eagle Street",
            "suburb": "Brisbane City",
            "city": "Brisbane",
            "state": "QLD",
            "post_code": "4000",
            "country_code": "AU",
        },
        "packages": [{"weight": 1.5, "length": 0.3, "width": 0.2, "height": 0.1}],
        "currency": "AUD",
        "include_pricing": True,
    }
    rates = starshipit("POST", "/api/rates", json=body).json()
    assert rates["success"] is True and rates["rates"]
    assert all({"service_name", "service_code", "total_price"} <= set(rate) for rate in rates["rates"])


def test_a_return_is_a_clone_of_the_order(sandbox, starshipit):
    (shipment,) = printed_in_app(sandbox, 1)
    body = starshipit(
        "POST", "/api/orders/shipment/clone", json={"order_id": shipment["order_id"], "to_return_shipment": True}
    ).json()
    assert body["success"] is True and body["order"]["order_id"] != shipment["order_id"]


def test_a_manifest_is_a_pdf_of_the_printed_orders(sandbox, starshipit):
    shipments = printed_in_app(sandbox, 2)
    body = starshipit("POST", "/api/orders/manifest", json={"order_ids": [s["order_id"] for s in shipments]}).json()
    assert body["success"] is True and body["pdf"]


@pytest.mark.parametrize("path", ["//api/orders?order_id=1", "/api/orders/nothing-here"])
def test_a_wrong_path_is_an_error_in_starshipits_shape_never_a_redirect(starshipit, path):
    response = starshipit("GET", path)
    assert response.status_code == 404 and response.headers["Content-Type"].startswith("application/json")
    assert response.json() == {"statusCode": 404, "message": "Resource not found"}


def test_the_api_key_alone_is_refused_by_the_gateway(sandbox):
    response = requests.get(
        sandbox.starshipit_url + "/api/orders",
        params={"order_id": 1},
        timeout=10,
        headers={"StarShipIT-Api-Key": credentials.STARSHIPIT_API_KEY},
    )
    assert response.status_code == 401 and response.json()["statusCode"] == 401
