"""Every CartonCloud call, the OAuth2 token's life, and the consignment version guard."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest
from responses import matchers

from server.cartoncloud import conditions
from server.cartoncloud.client import CartonCloudClient, SearchPage
from server.http import errors

from .support import (
    ACCESS_TOKEN,
    CARTONCLOUD_URL,
    CLIENT_ID,
    CLIENT_SECRET,
    TENANT_ID,
    TENANT_URL,
    TOKEN_URL,
    FakeTime,
    add_token,
    load,
)

SALE_ORDER = load("sale_order.json")
SALE_ORDER_ID = SALE_ORDER["id"]
SALE_ORDER_URL = f"{TENANT_URL}/outbound-orders/{SALE_ORDER_ID}"
SEARCH_URL = f"{TENANT_URL}/outbound-orders/search"
CONSIGNMENT = load("consignment.json")
CONSIGNMENT_URL = f"{TENANT_URL}/consignments/{CONSIGNMENT['id']}"
BEARER = {"Authorization": f"Bearer {ACCESS_TOKEN}", "Accept-Version": "1"}


def token_calls(http) -> int:
    return sum(call.request.url == TOKEN_URL for call in http.calls)


# OAuth2


def test_token_request_is_client_credentials_with_basic_auth(http, cartoncloud):
    basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    http.post(
        TOKEN_URL,
        json={"access_token": ACCESS_TOKEN, "token_type": "bearer", "expires_in": 3600},
        match=[
            matchers.header_matcher(
                {
                    "Authorization": f"Basic {basic}",
                    "Accept-Version": "1",
                    "Content-Type": "application/x-www-form-urlencoded",
                }
            ),
            matchers.urlencoded_params_matcher({"grant_type": "client_credentials"}),
        ],
    )
    http.get(
        f"{CARTONCLOUD_URL}/uaa/userinfo",
        json={"id": "u1", "tenants": [{"id": TENANT_ID}]},
        match=[matchers.header_matcher(BEARER)],
    )
    assert cartoncloud.userinfo()["tenants"] == [{"id": TENANT_ID}]


def test_token_is_reused_across_calls(http, cartoncloud, cc_token):
    for _ in range(3):
        http.get(SALE_ORDER_URL, json=SALE_ORDER, match=[matchers.header_matcher(BEARER)])
    for _ in range(3):
        cartoncloud.get_sale_order(SALE_ORDER_ID)
    assert token_calls(http) == 1


def test_401_fetches_a_new_token_once_and_repeats_the_call(http, cartoncloud, cc_token):
    http.get(SALE_ORDER_URL, json=SALE_ORDER)
    http.get(SALE_ORDER_URL, status=401, json=[{"message": "Token expired"}])
    add_token(http, token="fresh-token")
    http.get(SALE_ORDER_URL, json=SALE_ORDER, match=[matchers.header_matcher({"Authorization": "Bearer fresh-token"})])
    http.get(SALE_ORDER_URL, json=SALE_ORDER, match=[matchers.header_matcher({"Authorization": "Bearer fresh-token"})])
    for _ in range(3):
        assert cartoncloud.get_sale_order(SALE_ORDER_ID)["id"] == SALE_ORDER_ID
    assert token_calls(http) == 2


def test_a_second_401_is_raised(http, cartoncloud, cc_token):
    add_token(http, token="fresh-token")
    http.get(SALE_ORDER_URL, status=401, json=[{"message": "Invalid token"}])
    http.get(SALE_ORDER_URL, status=401, json=[{"message": "Invalid token"}])
    with pytest.raises(errors.UpstreamAuthError, match="Invalid token"):
        cartoncloud.get_sale_order(SALE_ORDER_ID)
    assert token_calls(http) == 2


def test_403_is_not_a_token_problem(http, cartoncloud, cc_token):
    http.get(SALE_ORDER_URL, status=403, json=[{"message": "Access is denied"}])
    with pytest.raises(errors.UpstreamAuthError, match="Access is denied"):
        cartoncloud.get_sale_order(SALE_ORDER_ID)
    assert token_calls(http) == 1


@pytest.mark.parametrize(("elapsed", "token_calls_expected"), [(3539, 1), (3541, 2)])
def test_token_is_refreshed_shortly_before_expiry(
    http, cartoncloud, fake_time: FakeTime, elapsed, token_calls_expected
):
    add_token(http, expires_in=3600)
    if token_calls_expected == 2:
        add_token(http, token="next-token")
    http.get(SALE_ORDER_URL, json=SALE_ORDER)
    http.get(SALE_ORDER_URL, json=SALE_ORDER)
    cartoncloud.get_sale_order(SALE_ORDER_ID)
    fake_time.now += elapsed
    cartoncloud.get_sale_order(SALE_ORDER_ID)
    assert token_calls(http) == token_calls_expected


def test_wrong_client_secret_is_an_auth_error_in_oauth_words(http, cartoncloud):
    http.post(TOKEN_URL, status=401, json={"error": "unauthorized", "error_description": "Bad credentials"})
    with pytest.raises(errors.UpstreamAuthError, match="Bad credentials"):
        cartoncloud.get_sale_order(SALE_ORDER_ID)
    assert len(http.calls) == 1


def test_token_answer_without_a_token_is_a_bad_response(http, cartoncloud):
    http.post(TOKEN_URL, json={"token_type": "bearer"})
    with pytest.raises(errors.UpstreamBadResponse, match="access_token"):
        cartoncloud.userinfo()


# Sale orders


def test_get_sale_order(http, cartoncloud, cc_token):
    http.get(SALE_ORDER_URL, json=SALE_ORDER, match=[matchers.header_matcher(BEARER)])
    assert cartoncloud.get_sale_order(SALE_ORDER_ID) == SALE_ORDER


def test_get_unknown_sale_order(http, cartoncloud, cc_token):
    http.get(SALE_ORDER_URL, status=404, json=[{"message": "Outbound order not found"}])
    with pytest.raises(errors.UpstreamNotFound, match="Outbound order not found"):
        cartoncloud.get_sale_order(SALE_ORDER_ID)


def test_search_sends_the_condition_and_reads_the_paging_headers(http, cartoncloud, cc_token):
    condition = conditions.all_of(conditions.text_equals(conditions.STATUS, "PACKED"))
    http.post(
        SEARCH_URL,
        json=[SALE_ORDER],
        headers={"Total-Pages": "4", "Total-Elements": "31"},
        match=[
            matchers.query_param_matcher({"page": "2", "size": "10"}),
            matchers.json_params_matcher({"condition": condition}),
            matchers.header_matcher(BEARER),
        ],
    )
    assert cartoncloud.search_sale_orders(condition, page=2, size=10) == SearchPage(
        items=[SALE_ORDER], page=2, total_pages=4, total_elements=31
    )


def test_a_single_comparison_is_wrapped_in_an_and(http, cartoncloud, cc_token):
    leaf = conditions.text_equals(conditions.STATUS, "PACKED")
    http.post(SEARCH_URL, json=[], match=[matchers.json_params_matcher({"condition": conditions.all_of(leaf)})])
    assert cartoncloud.search_sale_orders(leaf) == SearchPage(items=[], page=1, total_pages=1, total_elements=0)


def test_iter_follows_total_pages(http, cartoncloud, cc_token):
    since = datetime(2025, 6, 1, tzinfo=UTC)
    condition = conditions.all_of(conditions.datetime_after(conditions.MODIFIED_TIME, since))
    for page in (1, 2, 3):
        http.post(
            SEARCH_URL,
            json=[{"id": f"o{page}a"}, {"id": f"o{page}b"}],
            headers={"Total-Pages": "3"},
            match=[matchers.query_param_matcher({"page": str(page), "size": "2"})],
        )
    assert [o["id"] for o in cartoncloud.iter_sale_orders(condition, size=2)] == [
        "o1a",
        "o1b",
        "o2a",
        "o2b",
        "o3a",
        "o3b",
    ]


def test_find_by_customer_reference(http, cartoncloud, cc_token):
    condition = conditions.all_of(conditions.text_equals("/references/customer", "SO-10045"))
    http.post(
        SEARCH_URL,
        json=[SALE_ORDER],
        headers={"Total-Pages": "1"},
        match=[matchers.json_params_matcher({"condition": condition})],
    )
    assert cartoncloud.find_sale_orders_by_customer_reference("SO-10045") == [SALE_ORDER]


def test_find_by_numeric_id_searches_numerically(http, cartoncloud, cc_token):
    numeric = conditions.all_of(conditions.numeric_equals("/references/numericId", 787061))
    http.post(SEARCH_URL, json=[SALE_ORDER], match=[matchers.json_params_matcher({"condition": numeric})])
    assert cartoncloud.find_sale_orders_by_numeric_id("787061") == [SALE_ORDER]


@pytest.mark.parametrize("status", [400, 422])
def test_find_by_numeric_id_falls_back_to_text_when_refused(http, cartoncloud, cc_token, status):
    numeric = conditions.all_of(conditions.numeric_equals("/references/numericId", 787061))
    text = conditions.all_of(conditions.text_equals("/references/numericId", "787061"))
    http.post(
        SEARCH_URL,
        status=status,
        json=[{"message": "Unsupported condition for field"}],
        match=[matchers.json_params_matcher({"condition": numeric})],
    )
    http.post(SEARCH_URL, json=[SALE_ORDER], match=[matchers.json_params_matcher({"condition": text})])
    assert cartoncloud.find_sale_orders_by_numeric_id("787061") == [SALE_ORDER]


def test_numeric_id_must_be_digits(cartoncloud):
    with pytest.raises(ValueError, match="digits only"):
        cartoncloud.find_sale_orders_by_numeric_id("SO-10045")


def test_validation_errors_name_their_fields(http, cartoncloud, cc_token):
    http.post(
        SEARCH_URL,
        status=422,
        json=[
            {"field": "/condition/conditions/0/method", "message": "must be one of EQUAL_TO", "type": "INVALID"},
            {"message": "Search failed"},
        ],
    )
    with pytest.raises(errors.UpstreamRejected) as raised:
        cartoncloud.search_sale_orders(conditions.all_of())
    assert raised.value.message == "/condition/conditions/0/method: must be one of EQUAL_TO; Search failed"
    assert raised.value.http_status == 422


def test_upload_document(http, cartoncloud, cc_token):
    created = {
        "id": "d1",
        "type": "OUTBOUND_ORDER_INVOICE",
        "owner": {"type": "OUTBOUND", "id": SALE_ORDER_ID},
        "content": {"name": "Label-SO-10045.pdf"},
    }
    http.post(
        f"{SALE_ORDER_URL}/documents",
        status=201,
        json=created,
        match=[
            matchers.header_matcher(BEARER),
            matchers.json_params_matcher(
                {"type": "OUTBOUND_ORDER_INVOICE", "content": {"name": "Label-SO-10045.pdf", "data": "JVBERi0xLjQ="}}
            ),
        ],
    )
    assert cartoncloud.upload_sale_order_document(SALE_ORDER_ID, name="Label-SO-10045.pdf", data=b"%PDF-1.4") == created


@pytest.mark.parametrize(
    "answer",
    [
        [{"id": "d1", "type": "OUTBOUND_ORDER_INVOICE", "content": {"name": "a.pdf"}}],
        {"content": [{"id": "d1", "type": "OUTBOUND_ORDER_INVOICE", "content": {"name": "a.pdf"}}]},
    ],
)
def test_list_documents_asks_for_the_minimal_answer(http, cartoncloud, cc_token, answer):
    http.get(
        f"{SALE_ORDER_URL}/documents",
        json=answer,
        match=[matchers.header_matcher({**BEARER, "Prefer": "return=minimal"})],
    )
    assert cartoncloud.list_sale_order_documents(SALE_ORDER_ID) == [
        {"id": "d1", "type": "OUTBOUND_ORDER_INVOICE", "content": {"name": "a.pdf"}}
    ]


def test_download_document_is_its_bytes(http, cartoncloud, cc_token):
    http.get(
        f"{SALE_ORDER_URL}/documents/d1/download",
        body=b"%PDF-1.4 bytes",
        content_type="application/pdf",
        match=[matchers.header_matcher(BEARER)],
    )
    assert cartoncloud.download_sale_order_document(SALE_ORDER_ID, "d1") == b"%PDF-1.4 bytes"
    http.get(f"{SALE_ORDER_URL}/documents/gone/download", status=404, json=[{"message": "Document gone not found"}])
    with pytest.raises(errors.UpstreamNotFound, match="Document gone not found"):
        cartoncloud.download_sale_order_document(SALE_ORDER_ID, "gone")


def test_created_with_issues_is_success(http, cartoncloud, cc_token):
    http.post(f"{SALE_ORDER_URL}/documents", status=228, json={"id": "d2"})
    assert cartoncloud.upload_sale_order_document(SALE_ORDER_ID, name="x.pdf", data=b"x", document_type="OTHER") == {
        "id": "d2"
    }


# Consignments


def test_find_consignment_generated_from_a_sale_order(http, cartoncloud, cc_token):
    condition = conditions.all_of(conditions.text_equals("/generatedFromTask/id", SALE_ORDER_ID))
    http.post(
        f"{TENANT_URL}/consignments/search",
        json=[CONSIGNMENT],
        match=[
            matchers.json_params_matcher({"condition": condition}),
            matchers.query_param_matcher({"page": "1", "size": "1"}),
        ],
    )
    assert cartoncloud.find_consignment_for_sale_order(SALE_ORDER_ID) == CONSIGNMENT


def test_no_consignment(http, cartoncloud, cc_token):
    http.post(f"{TENANT_URL}/consignments/search", json=[])
    assert cartoncloud.find_consignment_for_sale_order(SALE_ORDER_ID) is None


def tracked(consignment: dict, version: int, carrier_key: str = "companyName") -> dict:
    return {
        **consignment,
        "version": version,
        "references": {**consignment["references"], "tracking": "PL0000123456"},
        "details": {
            **consignment["details"],
            "tracking": {carrier_key: "Plain Label", "url": "https://t.example/PL0000123456"},
        },
    }


def update(cartoncloud: CartonCloudClient) -> dict:
    return cartoncloud.update_consignment_tracking(
        CONSIGNMENT["id"],
        tracking_number="PL0000123456",
        carrier_name="Plain Label",
        tracking_url="https://t.example/PL0000123456",
    )


def test_update_tracking_puts_the_whole_entity_with_if_match(http, cartoncloud, cc_token):
    http.get(CONSIGNMENT_URL, json=CONSIGNMENT)
    http.put(
        CONSIGNMENT_URL,
        json=tracked(CONSIGNMENT, 8),
        match=[
            matchers.header_matcher({**BEARER, "If-Match": "7"}),
            matchers.json_params_matcher(tracked(CONSIGNMENT, 7)),
        ],
    )
    assert update(cartoncloud)["version"] == 8


def test_update_tracking_keeps_the_carrier_field_the_entity_uses(http, cartoncloud, cc_token):
    existing = {**CONSIGNMENT, "details": {"tracking": {"company": "Old Courier", "url": None}}}
    http.get(CONSIGNMENT_URL, json=existing)
    http.put(CONSIGNMENT_URL, json={}, match=[matchers.json_params_matcher(tracked(existing, 7, "company"))])
    assert update(cartoncloud) == tracked(existing, 7, "company")


@pytest.mark.parametrize("status", [409, 412])
def test_update_tracking_rereads_on_a_version_conflict(http, cartoncloud, cc_token, status):
    changed = {**CONSIGNMENT, "version": 8, "status": "ALLOCATED"}
    http.get(CONSIGNMENT_URL, json=CONSIGNMENT)
    http.put(
        CONSIGNMENT_URL,
        status=status,
        json=[{"message": "Version mismatch"}],
        match=[matchers.header_matcher({"If-Match": "7"})],
    )
    http.get(CONSIGNMENT_URL, json=changed)
    http.put(
        CONSIGNMENT_URL,
        json=tracked(changed, 9),
        match=[
            matchers.header_matcher({"If-Match": "8"}),
            matchers.json_params_matcher(tracked(changed, 8)),
        ],
    )
    assert update(cartoncloud)["version"] == 9


def test_update_tracking_gives_up_after_three_conflicts(http, cartoncloud, cc_token):
    for version in (7, 8, 9):
        http.get(CONSIGNMENT_URL, json={**CONSIGNMENT, "version": version})
        http.put(CONSIGNMENT_URL, status=409, json=[{"message": "Version mismatch"}])
    with pytest.raises(errors.UpstreamConflict, match="Version mismatch"):
        update(cartoncloud)


def test_tracking_already_written_is_not_written_again(http, cartoncloud, cc_token):
    http.get(CONSIGNMENT_URL, json=tracked(CONSIGNMENT, 8))
    assert update(cartoncloud) == tracked(CONSIGNMENT, 8)


def test_version_may_come_from_the_etag(http, cartoncloud, cc_token):
    unversioned = {key: value for key, value in CONSIGNMENT.items() if key != "version"}
    http.get(CONSIGNMENT_URL, json=unversioned, headers={"ETag": '"v7"'})
    http.put(CONSIGNMENT_URL, json={}, match=[matchers.header_matcher({"If-Match": '"v7"'})])
    update(cartoncloud)


def test_consignment_without_any_version_is_a_bad_response(http, cartoncloud, cc_token):
    http.get(CONSIGNMENT_URL, json={key: value for key, value in CONSIGNMENT.items() if key != "version"})
    with pytest.raises(errors.UpstreamBadResponse, match="no version"):
        update(cartoncloud)


@pytest.mark.parametrize(
    ("client_id", "client_secret", "tenant_id"),
    [("", CLIENT_SECRET, TENANT_ID), (CLIENT_ID, "", TENANT_ID), (CLIENT_ID, CLIENT_SECRET, "")],
)
def test_client_refuses_missing_settings(client_id, client_secret, tenant_id):
    with pytest.raises(ValueError, match="client id, the client secret and the tenant id"):
        CartonCloudClient(CARTONCLOUD_URL, client_id, client_secret, tenant_id)
