"""The simulated CartonCloud API: OAuth, headers, sale orders, search paging, consignments, documents."""

import base64

import pytest

from server.sandbox import create_sandbox_app, credentials

from .helpers import basic_auth, issue_token, sale_order_by_reference

TENANT = credentials.CARTONCLOUD_TENANT_ID


def text_condition(pointer: str, value: str, method: str = "EQUAL_TO") -> dict:
    return {
        "type": "TextComparisonCondition",
        "field": {"type": "JsonField", "pointer": pointer},
        "value": {"type": "ValueField", "value": value},
        "method": method,
    }


def search_body(*conditions: dict, kind: str = "AndCondition") -> dict:
    return {"condition": {"type": kind, "conditions": list(conditions)}}


# --- OAuth2 and headers -------------------------------------------------------------------


def test_token_is_issued_for_client_credentials(api):
    response = api.post(
        "/cartoncloud/uaa/oauth/token",
        data={"grant_type": "client_credentials"},
        headers={
            "Accept-Version": "1",
            "Authorization": basic_auth(credentials.CARTONCLOUD_CLIENT_ID, credentials.CARTONCLOUD_CLIENT_SECRET),
        },
    )
    assert response.status_code == 200
    assert set(response.json) == {"access_token", "token_type", "expires_in"}
    assert response.json["token_type"] == "bearer" and response.json["expires_in"] == 3600


@pytest.mark.parametrize(
    "authorization, grant, status",
    [
        (basic_auth(credentials.CARTONCLOUD_CLIENT_ID, "wrong"), "client_credentials", 401),
        (basic_auth("someone", credentials.CARTONCLOUD_CLIENT_SECRET), "client_credentials", 401),
        ("Basic not-base64!", "client_credentials", 401),
        ("", "client_credentials", 401),
        (basic_auth(credentials.CARTONCLOUD_CLIENT_ID, credentials.CARTONCLOUD_CLIENT_SECRET), "password", 400),
    ],
)
def test_token_refuses_bad_credentials_and_grants(api, authorization, grant, status):
    response = api.post(
        "/cartoncloud/uaa/oauth/token",
        data={"grant_type": grant},
        headers={"Accept-Version": "1", "Authorization": authorization},
    )
    assert response.status_code == status
    assert isinstance(response.json, list) and response.json[0]["message"]


@pytest.mark.parametrize("version, status", [(None, 400), ("2", 406), ("banana", 406)])
def test_accept_version_is_required_on_every_call(api, cartoncloud_token, version, status):
    headers = {"Authorization": f"Bearer {cartoncloud_token}"}
    if version:
        headers["Accept-Version"] = version
    assert api.get("/cartoncloud/uaa/userinfo", headers=headers).status_code == status
    token_headers = {
        "Authorization": basic_auth(credentials.CARTONCLOUD_CLIENT_ID, credentials.CARTONCLOUD_CLIENT_SECRET)
    }
    if version:
        token_headers["Accept-Version"] = version
    token = api.post("/cartoncloud/uaa/oauth/token", data={"grant_type": "client_credentials"}, headers=token_headers)
    assert token.status_code == status


@pytest.mark.parametrize("authorization", [None, "Bearer", "Bearer made-up-token", "Basic abc"])
def test_calls_need_a_live_bearer_token(api, authorization):
    headers = {"Accept-Version": "1"}
    if authorization:
        headers["Authorization"] = authorization
    response = api.get("/cartoncloud/uaa/userinfo", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert isinstance(response.json, list)


def test_expired_tokens_are_refused(api, cartoncloud):
    assert cartoncloud("get", "/uaa/userinfo").status_code == 200
    assert api.post("/_sandbox/cartoncloud/tokens/expire").status_code == 200
    assert cartoncloud("get", "/uaa/userinfo").status_code == 401


def test_token_lifetime_is_configurable(sandbox_config, clock):
    client = create_sandbox_app({**sandbox_config, "SANDBOX_CARTONCLOUD_TOKEN_LIFETIME": 60}).test_client()
    headers = {"Accept-Version": "1", "Authorization": f"Bearer {issue_token(client)}"}
    clock.advance(59)
    assert client.get("/cartoncloud/uaa/userinfo", headers=headers).status_code == 200
    clock.advance(1)
    assert client.get("/cartoncloud/uaa/userinfo", headers=headers).status_code == 401


def test_userinfo_lists_the_tenant(cartoncloud):
    body = cartoncloud("get", "/uaa/userinfo").json
    assert set(body) == {"id", "name", "email", "tenants"}
    assert body["tenants"] == [{"id": TENANT, "name": credentials.TENANT_NAME}]


# --- sale orders --------------------------------------------------------------------------


def test_get_sale_order_in_the_documented_shape(cartoncloud, state):
    order_id = sale_order_by_reference(state, "SO-10045")["id"]
    response = cartoncloud("get", f"/outbound-orders/{order_id}")
    assert response.status_code == 200
    order = response.json
    assert list(order) == [
        "id",
        "type",
        "status",
        "version",
        "references",
        "customer",
        "warehouse",
        "details",
        "properties",
        "items",
        "timestamps",
    ]
    assert order["type"] == "OUTBOUND" and order["references"] == {"customer": "SO-10045", "numericId": "787061"}
    address = order["details"]["deliver"]["address"]
    assert list(address) == [
        "companyName",
        "contactName",
        "address1",
        "address2",
        "suburb",
        "city",
        "state",
        "postcode",
        "country",
        "phone",
        "email",
    ]
    assert address["country"] == {"iso2Code": "AU", "iso3Code": "AUS", "name": "Australia"}
    assert address["state"] == {"code": "QLD", "name": "Queensland"}
    assert list(order["timestamps"]) == ["created", "modified", "packed", "dispatched"]
    assert order["timestamps"]["packed"]["time"].endswith("+10:00") and order["timestamps"]["dispatched"] is None
    item = order["items"][0]
    assert item["details"]["product"]["references"]["code"] == "TENT-2P" and item["measures"] == {"quantity": 1}


@pytest.mark.parametrize("key", ["00000000-0000-0000-0000-000000000000", "787061"])
def test_unknown_sale_order_is_404_with_an_error_array(cartoncloud, key):
    response = cartoncloud("get", f"/outbound-orders/{key}")
    assert response.status_code == 404
    assert list(response.json[0]) == ["message"]


def test_other_tenants_are_forbidden(cartoncloud, state):
    order_id = sale_order_by_reference(state, "SO-10045")["id"]
    response = cartoncloud("get", f"/tenants/11111111-2222-3333-4444-555555555555/outbound-orders/{order_id}")
    assert response.status_code == 403 and response.json == [{"message": "Access is denied"}]


def test_search_by_customer_reference(cartoncloud):
    response = cartoncloud(
        "post", "/outbound-orders/search", json=search_body(text_condition("/references/customer", "SO-10045"))
    )
    assert response.status_code == 200
    assert [o["references"]["numericId"] for o in response.json] == ["787061"]
    assert response.headers["Total-Elements"] == "1" and response.headers["Total-Pages"] == "1"


def test_search_pages_with_headers_and_links(cartoncloud, state):
    packed = [o for o in state.sale_orders() if o["status"] == "PACKED"]
    body = search_body(text_condition("/status", "PACKED"))
    first = cartoncloud("post", "/outbound-orders/search?page=1&size=10", json=body)
    pages = -(-len(packed) // 10)
    assert first.headers["Total-Pages"] == str(pages)
    assert first.headers["Total-Elements"] == str(len(packed))
    assert first.headers["Page-Size"] == "10" and first.headers["Page-Number"] == "1"
    assert 'page=2&size=10>; rel="next"' in first.headers["Link"]
    assert f'page={pages}&size=10>; rel="last"' in first.headers["Link"]
    seen = []
    for page in range(1, pages + 1):
        seen += cartoncloud("post", f"/outbound-orders/search?page={page}&size=10", json=body).json
    assert [o["id"] for o in seen] == [o["id"] for o in packed]
    beyond = cartoncloud("post", f"/outbound-orders/search?page={pages + 1}&size=10", json=body)
    assert beyond.json == [] and "next" not in beyond.headers["Link"]


def test_search_with_nested_conditions_numbers_and_times(cartoncloud):
    numeric = {
        "type": "NumericComparisonCondition",
        "field": {"type": "JsonField", "pointer": "/references/numericId"},
        "value": {"type": "ValueField", "value": 787061},
        "method": "EQUAL_TO",
    }
    recent = {
        "type": "DateTimeComparisonCondition",
        "field": {"type": "JsonField", "pointer": "/timestamps/modified/time"},
        "value": {"type": "ValueField", "value": "2025-06-19T22:00:00Z"},
        "method": "GREATER_THAN",
    }
    either = {"type": "OrCondition", "conditions": [numeric, text_condition("/references/customer", "SO-10046")]}
    found = cartoncloud("post", "/outbound-orders/search", json=search_body(either, recent)).json
    assert [o["references"]["customer"] for o in found] == ["SO-10045"]


@pytest.mark.parametrize(
    "body, message",
    [
        ({"condition": text_condition("/status", "PACKED")}, "Missing field: conditions"),
        ({}, "Missing field: condition"),
        (search_body({"type": "FuzzyCondition"}), "Unknown condition type: FuzzyCondition"),
        (search_body(text_condition("/status", "PACKED", "SOUNDS_LIKE")), "Unsupported method 'SOUNDS_LIKE'"),
    ],
)
def test_malformed_search_is_400(cartoncloud, body, message):
    response = cartoncloud("post", "/outbound-orders/search", json=body)
    assert response.status_code == 400
    assert response.json[0]["message"].startswith(message)


@pytest.mark.parametrize("query", ["size=101", "size=0", "page=0", "page=x"])
def test_search_refuses_bad_paging(cartoncloud, query):
    body = search_body(text_condition("/status", "PACKED"))
    assert cartoncloud("post", f"/outbound-orders/search?{query}", json=body).status_code == 400


def test_numeric_conditions_can_be_switched_off(sandbox_config):
    client = create_sandbox_app({**sandbox_config, "SANDBOX_CARTONCLOUD_NUMERIC_SEARCH": False}).test_client()
    token = issue_token(client)
    numeric = {
        "type": "NumericComparisonCondition",
        "field": {"type": "JsonField", "pointer": "/references/numericId"},
        "value": {"type": "ValueField", "value": 787061},
        "method": "EQUAL_TO",
    }
    response = client.post(
        f"/cartoncloud/tenants/{TENANT}/outbound-orders/search",
        json=search_body(numeric),
        headers={"Accept-Version": "1", "Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 400
    assert response.json == [{"message": "Unsupported condition type: NumericComparisonCondition"}]


NEW_ORDER = {
    "references": {"customer": "WEB-5001"},
    "customer": {"references": {"code": "BLUEWREN"}},
    "details": {
        "deliver": {
            "address": {
                "contactName": "Ruby Chen",
                "companyName": "",
                "address1": "3 Bay Street",
                "suburb": "Glebe",
                "state": {"code": "NSW"},
                "postcode": "2037",
                "country": {"iso2Code": "AU"},
            },
            "method": {"type": "SHIPPING"},
        }
    },
    "items": [{"details": {"product": {"references": {"code": "CANDLE-EUC"}}}, "measures": {"quantity": 2}}],
}


def test_create_sale_order_returns_201_with_the_full_order(cartoncloud):
    response = cartoncloud("post", "/outbound-orders", json=NEW_ORDER)
    assert response.status_code == 201
    order = response.json
    assert order["status"] == "AWAITING_PICK_AND_PACK" and order["version"] == 1
    assert order["customer"]["name"] == "Blue Wren Homewares"
    address = order["details"]["deliver"]["address"]
    assert address["companyName"] is None and address["state"] == {"code": "NSW", "name": "New South Wales"}
    assert order["items"][0]["details"]["product"]["name"] == "Eucalyptus Soy Candle"
    assert cartoncloud("get", f"/outbound-orders/{order['id']}").json == order


@pytest.mark.parametrize(
    "change, field, kind",
    [
        ({"references": {"customer": "SO-10045"}}, "/references/customer", "DUPLICATE"),
        ({"references": {}}, "/references/customer", "REQUIRED"),
        ({"customer": {"id": "nobody"}}, "/customer/id", "NOT_FOUND"),
        (
            {"items": [{"details": {"product": {"references": {"code": "X"}}}, "measures": {"quantity": 0}}]},
            "/items/0/measures/quantity",
            "INVALID",
        ),
    ],
)
def test_create_sale_order_validation_is_422_naming_the_field(cartoncloud, change, field, kind):
    response = cartoncloud("post", "/outbound-orders", json={**NEW_ORDER, **change})
    assert response.status_code == 422
    assert response.json[0]["field"] == field and response.json[0]["type"] == kind


def test_create_is_limited_to_30_a_minute_per_user(cartoncloud, clock):
    statuses = [
        cartoncloud("post", "/outbound-orders", json={**NEW_ORDER, "references": {"customer": f"WEB-{n}"}}).status_code
        for n in range(31)
    ]
    assert statuses == [201] * 30 + [429]
    limited = cartoncloud("post", "/outbound-orders", json={**NEW_ORDER, "references": {"customer": "WEB-X"}})
    assert limited.headers["Retry-After"] == "60" and isinstance(limited.json, list)
    clock.advance(60)
    assert (
        cartoncloud("post", "/outbound-orders", json={**NEW_ORDER, "references": {"customer": "WEB-X"}}).status_code
        == 201
    )


def test_updating_a_sale_order_is_not_available(cartoncloud, state):
    order_id = sale_order_by_reference(state, "SO-10045")["id"]
    response = cartoncloud("put", f"/outbound-orders/{order_id}", json={})
    assert response.status_code == 405 and "PUT" in response.json[0]["message"]


def test_unknown_route_is_404_with_an_error_array(cartoncloud):
    response = cartoncloud("get", "/warehouses/everything")
    assert response.status_code == 404 and isinstance(response.json, list)


# --- consignments -------------------------------------------------------------------------


def consignment_of(cartoncloud, sale_order_id: str) -> dict:
    found = cartoncloud(
        "post",
        "/consignments/search?page=1&size=1",
        json=search_body(text_condition("/generatedFromTask/id", sale_order_id)),
    ).json
    (consignment,) = found
    return consignment


def test_consignment_is_found_from_its_sale_order(cartoncloud, state):
    order = sale_order_by_reference(state, "SO-10045")
    consignment = consignment_of(cartoncloud, order["id"])
    assert consignment["generatedFromTask"] == {"id": order["id"], "type": "OUTBOUND"}
    assert consignment["references"]["tracking"] is None and consignment["details"]["tracking"] is None
    fetched = cartoncloud("get", f"/consignments/{consignment['id']}")
    assert fetched.json == consignment and fetched.headers["ETag"] == f'"{consignment["version"]}"'


def with_tracking(consignment: dict, tracking: str = "33LB00000001") -> dict:
    body = {**consignment, "references": {**consignment["references"], "tracking": tracking}}
    body["details"] = {**consignment["details"], "tracking": {"companyName": "Australia Post", "url": "https://t/1"}}
    return body


@pytest.mark.parametrize("if_match", ["{version}", '"{version}"', 'W/"{version}"'])
def test_put_with_the_current_version_sets_tracking_and_bumps_the_version(cartoncloud, state, if_match):
    consignment = consignment_of(cartoncloud, sale_order_by_reference(state, "SO-10045")["id"])
    response = cartoncloud(
        "put",
        f"/consignments/{consignment['id']}",
        json=with_tracking(consignment),
        headers={"If-Match": if_match.format(version=consignment["version"])},
    )
    assert response.status_code == 200
    updated = response.json
    assert updated["version"] == consignment["version"] + 1
    assert updated["references"]["tracking"] == "33LB00000001"
    assert updated["details"]["tracking"] == {"companyName": "Australia Post", "url": "https://t/1"}
    assert updated["references"]["numericId"] == consignment["references"]["numericId"]
    assert state.cartoncloud.consignment(consignment["id"]) == updated


@pytest.mark.parametrize("if_match", [None, "0", "99", "abc"])
def test_put_without_the_current_version_is_412(cartoncloud, state, if_match):
    consignment = consignment_of(cartoncloud, sale_order_by_reference(state, "SO-10045")["id"])
    headers = {"If-Match": if_match} if if_match else {}
    response = cartoncloud(
        "put", f"/consignments/{consignment['id']}", json=with_tracking(consignment), headers=headers
    )
    assert response.status_code == 412
    assert state.cartoncloud.consignment(consignment["id"]) == consignment


def test_put_with_a_stale_body_version_is_409(cartoncloud, state):
    consignment = consignment_of(cartoncloud, sale_order_by_reference(state, "SO-10045")["id"])
    headers = {"If-Match": str(consignment["version"])}
    assert (
        cartoncloud(
            "put", f"/consignments/{consignment['id']}", json=with_tracking(consignment), headers=headers
        ).status_code
        == 200
    )
    stale = {**with_tracking(consignment, "OTHER"), "version": consignment["version"]}
    response = cartoncloud(
        "put", f"/consignments/{consignment['id']}", json=stale, headers={"If-Match": str(consignment["version"] + 1)}
    )
    assert response.status_code == 409


def test_unknown_consignment_is_404(cartoncloud):
    assert cartoncloud("get", "/consignments/nope").status_code == 404
    assert cartoncloud("put", "/consignments/nope", json={}, headers={"If-Match": "1"}).status_code == 404


def test_consignments_can_be_switched_off(sandbox_config):
    app = create_sandbox_app({**sandbox_config, "SANDBOX_CARTONCLOUD_CONSIGNMENTS": False})
    assert app.extensions["sandbox"].cartoncloud.consignments() == []


# --- documents ----------------------------------------------------------------------------


def document_body(data: bytes = b"%PDF-1.4 label", kind: str = "OUTBOUND_ORDER_INVOICE") -> dict:
    return {"type": kind, "content": {"name": "Label-SO-10045.pdf", "data": base64.b64encode(data).decode()}}


def test_document_upload_is_201_and_kept(cartoncloud, state, api):
    order_id = sale_order_by_reference(state, "SO-10045")["id"]
    response = cartoncloud("post", f"/outbound-orders/{order_id}/documents", json=document_body())
    assert response.status_code == 201
    document = response.json
    assert set(document) == {"id", "type", "owner", "content"}
    assert document["owner"] == {"type": "OUTBOUND", "id": order_id}
    assert document["content"] == {"name": "Label-SO-10045.pdf"}
    (kept,) = api.get(f"/_sandbox/cartoncloud/documents?sale_order_id={order_id}").json
    assert kept["id"] == document["id"] and base64.b64decode(kept["content"]["data"]) == b"%PDF-1.4 label"
    assert kept["size"] == 14


@pytest.mark.parametrize(
    "body, field",
    [
        (document_body(kind="LABEL"), "/type"),
        ({"type": "OUTBOUND_ORDER_INVOICE", "content": {"name": "x.pdf", "data": "not base64!"}}, "/content/data"),
        ({"type": "OUTBOUND_ORDER_INVOICE", "content": {"data": "QUJD"}}, "/content/name"),
    ],
)
def test_document_upload_validation_is_422(cartoncloud, state, body, field):
    order_id = sale_order_by_reference(state, "SO-10045")["id"]
    response = cartoncloud("post", f"/outbound-orders/{order_id}/documents", json=body)
    assert response.status_code == 422 and response.json[0]["field"] == field
    assert state.cartoncloud.documents() == []


def test_document_for_an_unknown_sale_order_is_404(cartoncloud):
    assert cartoncloud("post", "/outbound-orders/nope/documents", json=document_body()).status_code == 404
