"""The simulated CartonCloud where public clients read it: documents listed and downloaded,
customers, every field of a created order kept, `timestamps.modified` moving, strict creates,
and date-time searches refused as an option."""

import pytest

from .helpers import sale_order_by_reference
from .test_sandbox_cartoncloud import NEW_ORDER, document_body, search_body, text_condition


def upload(cartoncloud, order_id: str, data: bytes = b"%PDF-1.4 label", name: str = "Label-SO-10045.pdf") -> dict:
    body = document_body(data)
    body["content"]["name"] = name
    response = cartoncloud("post", f"/outbound-orders/{order_id}/documents", json=body)
    assert response.status_code == 201
    return response.json


def test_an_orders_documents_are_listed_in_full_or_minimal(cartoncloud, state):
    order_id = sale_order_by_reference(state, "SO-10045")["id"]
    other_id = sale_order_by_reference(state, "SO-10046")["id"]
    first, second = upload(cartoncloud, order_id), upload(cartoncloud, order_id, name="Label-2.pdf")
    upload(cartoncloud, other_id)
    full = cartoncloud("get", f"/outbound-orders/{order_id}/documents")
    assert full.status_code == 200 and [d["id"] for d in full.json] == [first["id"], second["id"]]
    assert full.json[0]["owner"] == {"type": "OUTBOUND", "id": order_id} and "data" not in full.json[0]["content"]
    minimal = cartoncloud("get", f"/outbound-orders/{order_id}/documents", headers={"Prefer": "return=minimal"})
    assert minimal.json == [
        {"id": first["id"], "type": "OUTBOUND_ORDER_INVOICE", "content": {"name": "Label-SO-10045.pdf"}},
        {"id": second["id"], "type": "OUTBOUND_ORDER_INVOICE", "content": {"name": "Label-2.pdf"}},
    ]
    assert minimal.headers["Preference-Applied"] == "return=minimal"
    assert cartoncloud("get", "/outbound-orders/nope/documents").status_code == 404


def test_a_document_is_downloaded_as_its_bytes(cartoncloud, state):
    order_id = sale_order_by_reference(state, "SO-10045")["id"]
    document = upload(cartoncloud, order_id, b"%PDF-1.4 the label itself")
    response = cartoncloud("get", f"/outbound-orders/{order_id}/documents/{document['id']}/download")
    assert response.status_code == 200 and response.data == b"%PDF-1.4 the label itself"
    assert response.mimetype == "application/pdf"
    missing = cartoncloud("get", f"/outbound-orders/{order_id}/documents/nope/download")
    assert missing.status_code == 404 and isinstance(missing.json, list)


def test_customers_are_listed(cartoncloud):
    response = cartoncloud("get", "/customers")
    assert response.status_code == 200 and response.headers["Total-Elements"] == "3"
    assert {"id", "name"} <= set(response.json[0])
    assert "Blue Wren Homewares" in [customer["name"] for customer in response.json]


def test_a_created_order_keeps_every_field_it_was_given(cartoncloud):
    sent = {
        **NEW_ORDER,
        "details": {**NEW_ORDER["details"], "collect": {"requiredDate": "2025-06-25"}},
        "externalSystem": {"name": "shop", "ref": 77},
    }
    sent["items"] = [{**NEW_ORDER["items"][0], "expiryDate": "2026-01-01"}]
    created = cartoncloud("post", "/outbound-orders", json=sent).json
    read = cartoncloud("get", f"/outbound-orders/{created['id']}").json
    assert read["details"]["collect"] == {"requiredDate": "2025-06-25"}
    assert read["externalSystem"] == {"name": "shop", "ref": 77}
    assert read["items"][0]["expiryDate"] == "2026-01-01"
    assert read["references"]["numericId"] == created["references"]["numericId"]  # still the server's


def test_modified_moves_on_every_change(cartoncloud, state, clock):
    created = cartoncloud("post", "/outbound-orders", json=NEW_ORDER).json
    assert created["timestamps"]["modified"] == created["timestamps"]["created"]
    clock.advance(60)
    state.set_sale_order_status(created["id"], "PACKED")
    packed = cartoncloud("get", f"/outbound-orders/{created['id']}").json
    assert packed["timestamps"]["modified"]["time"] > created["timestamps"]["modified"]["time"]
    clock.advance(60)
    upload(cartoncloud, created["id"])
    documented = cartoncloud("get", f"/outbound-orders/{created['id']}").json
    assert documented["timestamps"]["modified"]["time"] > packed["timestamps"]["modified"]["time"]
    assert documented["version"] == packed["version"] + 1
    assert all(order["timestamps"]["modified"]["time"] for order in state.sale_orders())


@pytest.mark.parametrize(
    ("change", "field", "kind"),
    [
        ({"customer": None}, "/customer", "REQUIRED"),
        (
            {"items": [{"details": {"product": {"references": {"code": "NO-SUCH-SKU"}}}, "measures": {"quantity": 1}}]},
            "/items/0/details/product/references/code",
            "NOT_FOUND",
        ),
    ],
)
def test_strict_mode_refuses_unknown_skus_and_a_missing_customer(api, cartoncloud, change, field, kind):
    lenient = cartoncloud("post", "/outbound-orders", json={**NEW_ORDER, **change, "references": {"customer": "L-1"}})
    assert lenient.status_code == 201
    api.put("/_sandbox/options", json={"cartoncloud_strict": True})
    strict = cartoncloud("post", "/outbound-orders", json={**NEW_ORDER, **change, "references": {"customer": "S-1"}})
    assert strict.status_code == 422
    assert strict.json == [{"message": strict.json[0]["message"], "field": field, "type": kind}]
    assert cartoncloud("post", "/outbound-orders", json=NEW_ORDER).status_code == 201  # a complete order is fine


def datetime_condition(after: str) -> dict:
    return {
        "type": "DateTimeComparisonCondition",
        "field": {"type": "JsonField", "pointer": "/timestamps/modified/time"},
        "value": {"type": "ValueField", "value": after},
        "method": "GREATER_THAN",
    }


@pytest.mark.parametrize("status", [400, 422])
def test_date_time_conditions_can_be_refused_while_day_prefixes_still_work(api, cartoncloud, state, status):
    assert cartoncloud(
        "post", "/outbound-orders/search", json=search_body(datetime_condition("2000-01-01T00:00:00Z"))
    ).json
    api.put("/_sandbox/options", json={"cartoncloud_datetime_search": status})
    refused = cartoncloud(
        "post", "/outbound-orders/search", json=search_body(datetime_condition("2000-01-01T00:00:00Z"))
    )
    assert refused.status_code == status and isinstance(refused.json, list) and refused.json[0]["message"]
    if status == 422:
        assert refused.json[0]["field"] and refused.json[0]["type"] == "INVALID"
    day = state.sale_orders()[0]["timestamps"]["modified"]["time"][:10]
    prefixes = search_body(text_condition("/timestamps/modified/time", day, "STARTS_WITH"), kind="OrCondition")
    found = cartoncloud("post", "/outbound-orders/search", json=prefixes)
    assert found.status_code == 200 and all(o["timestamps"]["modified"]["time"].startswith(day) for o in found.json)
    assert found.json


def test_a_double_slash_is_cartonclouds_404_not_a_redirect(api, cartoncloud_token):
    response = api.get(
        "/cartoncloud//uaa/userinfo", headers={"Accept-Version": "1", "Authorization": f"Bearer {cartoncloud_token}"}
    )
    assert response.status_code == 404 and "Location" not in response.headers
    assert response.json == [{"message": "No endpoint GET //uaa/userinfo"}]
