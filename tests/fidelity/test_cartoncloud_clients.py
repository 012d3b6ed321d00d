"""CartonCloud as public clients call it (request shapes from docs/cartoncloud-api-notes.md)."""

from __future__ import annotations

import base64
from datetime import timedelta

from server.sandbox.timeutil import TENANT_ZONE


def starts_with(day: str) -> dict:
    return {
        "type": "TextComparisonCondition",
        "field": {"type": "JsonField", "pointer": "/timestamps/modified/time"},
        "value": {"type": "ValueField", "value": day},
        "method": "STARTS_WITH",
    }


def test_zapier_finds_recently_modified_orders_with_day_prefixes(sandbox, cartoncloud):
    today = sandbox.state.now().astimezone(TENANT_ZONE)
    days = [(today - timedelta(days=1)).date().isoformat(), today.date().isoformat()]
    customer = sandbox.state.sale_orders()[0]["customer"]["id"]
    condition = {
        "type": "AndCondition",
        "conditions": [
            {"type": "OrCondition", "conditions": [starts_with(day) for day in days]},
            {
                "type": "TextComparisonCondition",
                "field": {"type": "JsonField", "pointer": "/customer/id"},
                "value": {"type": "ValueField", "value": customer},
                "method": "EQUAL_TO",
            },
        ],
    }
    found, page = [], 1
    while True:
        response = cartoncloud(
            "POST", "/outbound-orders/search", params={"page": page, "size": 10}, json={"condition": condition}
        )
        assert response.status_code == 200
        found += response.json()
        if page >= int(response.headers["Total-Pages"]):
            break
        page += 1
    expected = [
        o
        for o in sandbox.state.sale_orders()
        if o["customer"]["id"] == customer and o["timestamps"]["modified"]["time"][:10] in days
    ]
    assert expected and sorted(o["id"] for o in found) == sorted(o["id"] for o in expected)
    assert int(response.headers["Total-Elements"]) == len(expected)


def test_a_connector_lists_an_orders_documents_minimally_and_downloads_one(sandbox, cartoncloud):
    order_id = sandbox.state.sale_orders()[0]["id"]
    pdf = b"%PDF-1.4 a packing list"
    created = cartoncloud(
        "POST",
        f"/outbound-orders/{order_id}/documents",
        json={
            "type": "OUTBOUND_ORDER_INVOICE",
            "content": {"name": "Packing.pdf", "data": base64.b64encode(pdf).decode()},
        },
    )
    assert created.status_code == 201
    listed = cartoncloud("GET", f"/outbound-orders/{order_id}/documents", headers={"Prefer": "return=minimal"})
    assert listed.status_code == 200
    (document,) = [d for d in listed.json() if d["content"]["name"] == "Packing.pdf"]
    assert document["id"] == created.json()["id"]
    download = cartoncloud("GET", f"/outbound-orders/{order_id}/documents/{document['id']}/download")
    assert download.status_code == 200 and download.content == pdf


def test_a_client_picks_a_customer_filter_from_the_customers_list(cartoncloud):
    customers = cartoncloud("GET", "/customers").json()
    assert customers and all({"id", "name"} <= set(customer) for customer in customers)


def test_a_client_gets_back_every_field_it_sent(cartoncloud):
    sent = {
        "references": {"customer": "COLLECT-1"},
        "customer": {"references": {"code": "ACME"}},
        "details": {"collect": {"requiredDate": "2026-12-24"}, "deliver": {"method": {"type": "PICKUP"}}},
        "items": [{"details": {"product": {"references": {"code": "TENT-2P"}}}, "measures": {"quantity": 1}}],
    }
    created = cartoncloud("POST", "/outbound-orders", json=sent)
    assert created.status_code == 201
    read = cartoncloud("GET", f"/outbound-orders/{created.json()['id']}").json()
    assert read["details"]["collect"]["requiredDate"] == "2026-12-24"
    assert read["timestamps"]["modified"]["time"]
