"""The shared choke point, exercised through both clients: failure mapping, retries, pacing."""

from __future__ import annotations

import time
from email.utils import formatdate

import pytest
import requests

from server.http import errors
from server.http.retry import RetryPolicy

from .support import STARSHIPIT_URL, TENANT_URL, TOKEN_URL, FakeTime, add_token, load, make_starshipit

ORDER_URL = f"{STARSHIPIT_URL}/api/orders"
SHIPMENT_URL = f"{STARSHIPIT_URL}/api/orders/shipment"
IMPORT_URL = f"{STARSHIPIT_URL}/api/orders/import"
SALE_ORDER_ID = "fb5b56f6-3c1e-4a57-9d55-1f0d6c1c2a10"
SALE_ORDER_URL = f"{TENANT_URL}/outbound-orders/{SALE_ORDER_ID}"
NO_RETRY = RetryPolicy(max_attempts=1)

# Each request that creates something in Starshipit, as the client sends it.
LABEL_CREATING = {
    "print_label": (SHIPMENT_URL, lambda client: client.print_label(order_id=81234567)),
    "create_order": (ORDER_URL, lambda client: client.create_order({"order_number": "SO-10045"})),
    "import_orders": (IMPORT_URL, lambda client: client.import_orders([{"order_number": "SO-10045"}])),
}
LABEL_CREATING_SUCCESS = {
    "print_label": load("starshipit_shipment.json"),
    "create_order": load("starshipit_order.json"),
    "import_orders": {"success": True, "orders": [{"order_id": 1, "order_number": "SO-10045"}]},
}


def get_order(client):
    return client.get_order(81234567)


def test_429_then_success_waits_for_retry_after(http, starshipit, fake_time: FakeTime):
    http.get(
        ORDER_URL,
        status=429,
        json={"statusCode": 429, "message": "Rate limit is exceeded."},
        headers={"Retry-After": "2"},
    )
    http.get(ORDER_URL, json=load("starshipit_order.json"))
    assert get_order(starshipit)["order_id"] == 81234567
    assert fake_time.sleeps == [2.0]


def test_retry_after_as_http_date_is_honoured(http, starshipit, fake_time: FakeTime):
    http.get(
        ORDER_URL,
        status=429,
        json={"statusCode": 429, "message": "slow down"},
        headers={"Retry-After": formatdate(time.time() + 8, usegmt=True)},
    )
    http.get(ORDER_URL, json=load("starshipit_order.json"))
    get_order(starshipit)
    assert len(fake_time.sleeps) == 1
    assert 6.0 < fake_time.sleeps[0] <= 8.0  # the header has whole seconds


@pytest.mark.parametrize("name", LABEL_CREATING)
def test_label_creating_post_is_retried_on_429(http, starshipit, fake_time: FakeTime, name):
    url, call = LABEL_CREATING[name]
    http.post(
        url, status=429, json={"statusCode": 429, "message": "Rate limit is exceeded."}, headers={"Retry-After": "1"}
    )
    http.post(url, json=LABEL_CREATING_SUCCESS[name])
    call(starshipit)
    assert len(http.calls) == 2
    assert fake_time.sleeps == [1.0]


@pytest.mark.parametrize("name", LABEL_CREATING)
@pytest.mark.parametrize(
    ("failure", "error_class"),
    [
        (
            {"status": 503, "json": {"success": False, "errors": [{"message": "Service unavailable"}]}},
            errors.UpstreamUnavailable,
        ),
        ({"body": requests.exceptions.ReadTimeout("read timed out")}, errors.UpstreamTimeout),
        ({"body": requests.exceptions.ConnectionError("connection reset")}, errors.UpstreamConnectionError),
    ],
    ids=["503", "timeout", "connection"],
)
def test_label_creating_post_is_never_retried(http, starshipit, fake_time: FakeTime, name, failure, error_class):
    url, call = LABEL_CREATING[name]
    http.post(url, **failure)
    with pytest.raises(error_class):
        call(starshipit)
    assert len(http.calls) == 1
    assert fake_time.sleeps == []


def test_503_on_get_is_retried_with_backoff(http, starshipit, fake_time: FakeTime):
    http.get(ORDER_URL, status=503, body="Service Unavailable", content_type="text/plain")
    http.get(ORDER_URL, status=502, body="<html>Bad gateway</html>", content_type="text/html")
    http.get(ORDER_URL, json=load("starshipit_order.json"))
    assert get_order(starshipit)["order_number"] == "SO-10045"
    assert fake_time.sleeps == [0.5, 1.0]  # attempts 1 and 2 of base 1 s, jitter pinned to one half


def test_get_gives_up_after_max_attempts(http, starshipit, fake_time: FakeTime):
    for _ in range(3):
        http.get(ORDER_URL, status=503, body="Service Unavailable", content_type="text/plain")
    with pytest.raises(errors.UpstreamUnavailable) as raised:
        get_order(starshipit)
    assert raised.value.message == "Service Unavailable"
    assert raised.value.http_status == 503
    assert len(http.calls) == 3


def test_retry_after_beyond_max_delay_is_left_to_the_caller(http, starshipit, fake_time: FakeTime):
    http.get(
        ORDER_URL, status=429, json={"statusCode": 429, "message": "Quota exceeded"}, headers={"Retry-After": "3600"}
    )
    with pytest.raises(errors.UpstreamRateLimited) as raised:
        get_order(starshipit)
    assert raised.value.retry_after == 3600.0
    assert fake_time.sleeps == []


@pytest.mark.parametrize(
    ("exception", "error_class"),
    [
        (requests.exceptions.ConnectTimeout("connect timed out"), errors.UpstreamTimeout),
        (requests.exceptions.ReadTimeout("read timed out"), errors.UpstreamTimeout),
        (requests.exceptions.ConnectionError("refused"), errors.UpstreamConnectionError),
        (requests.exceptions.TooManyRedirects("loop"), errors.UpstreamError),
    ],
)
def test_transport_failures_are_typed(http, fake_time: FakeTime, exception, error_class):
    client = make_starshipit(fake_time, retry=NO_RETRY)
    http.get(ORDER_URL, body=exception)
    with pytest.raises(error_class) as raised:
        get_order(client)
    assert type(raised.value) is error_class
    assert raised.value.service == "starshipit"
    assert raised.value.http_status is None


@pytest.mark.parametrize(
    ("exception", "said"),
    [
        (requests.exceptions.ReadTimeout("read timed out"), "no answer within 3 s to connect / 20 s to read"),
        (requests.exceptions.ConnectionError("reset"), "connection failed after"),
    ],
)
def test_an_unanswered_call_is_logged_with_what_it_was(http, fake_time: FakeTime, caplog, exception, said):
    """A create that got no answer may still land: the log must say which call it was."""
    client = make_starshipit(fake_time, retry=NO_RETRY, timeout=(3.0, 20.0))
    http.get(ORDER_URL, body=exception)
    with caplog.at_level("WARNING", logger="server.http.transport"), pytest.raises(errors.UpstreamError):
        get_order(client)
    (record,) = [record for record in caplog.records if record.name == "server.http.transport"]
    assert record.levelname == "WARNING"
    assert record.getMessage().startswith(f"starshipit GET /api/orders -> {said}")
    assert "81234567" not in record.getMessage()  # the query (ids, names) is not logged


def test_timeout_message_names_the_limits(http, fake_time: FakeTime):
    client = make_starshipit(fake_time, retry=NO_RETRY, timeout=(3.0, 20.0))
    http.get(ORDER_URL, body=requests.exceptions.ReadTimeout())
    with pytest.raises(errors.UpstreamTimeout, match="3 s to connect / 20 s to read"):
        get_order(client)


def test_timeouts_default_to_3_and_20_seconds(http, starshipit, cartoncloud, cc_token):
    http.get(ORDER_URL, json=load("starshipit_order.json"))
    http.get(SALE_ORDER_URL, json=load("sale_order.json"))
    get_order(starshipit)
    cartoncloud.get_sale_order(SALE_ORDER_ID)
    assert {call.request.req_kwargs["timeout"] for call in http.calls} == {(3.0, 20.0)}


@pytest.mark.parametrize(
    ("status", "body", "content_type"),
    [(200, "<html>maintenance</html>", "text/html"), (200, "{not json", "application/json")],
)
def test_non_json_success_is_a_bad_response(http, starshipit, status, body, content_type):
    http.get(ORDER_URL, status=status, body=body, content_type=content_type)
    with pytest.raises(errors.UpstreamBadResponse, match="expected JSON"):
        get_order(starshipit)


def test_success_without_the_documented_field_is_a_bad_response(http, starshipit):
    http.get(ORDER_URL, json={"success": True})
    with pytest.raises(errors.UpstreamBadResponse, match="no 'order'"):
        get_order(starshipit)


def test_bad_json_after_a_label_post_is_not_retried(http, starshipit):
    http.post(SHIPMENT_URL, body="{truncated", content_type="application/json")
    with pytest.raises(errors.UpstreamBadResponse):
        starshipit.print_label(order_id=81234567)
    assert len(http.calls) == 1


@pytest.mark.parametrize("header", ["X-Request-Id", "Request-Id", "x-ms-request-id"])
def test_request_id_is_taken_from_the_response(http, starshipit, header):
    http.get(
        ORDER_URL,
        status=404,
        json={"success": False, "errors": [{"message": "Order not found"}]},
        headers={header: "req-42"},
    )
    with pytest.raises(errors.UpstreamNotFound) as raised:
        get_order(starshipit)
    assert raised.value.request_id == "req-42"
    assert "req-42" in str(raised.value)


def test_calls_are_paced_by_the_token_bucket(http, fake_time: FakeTime):
    client = make_starshipit(fake_time, rate_per_second=2)
    for _ in range(3):
        http.get(ORDER_URL, json=load("starshipit_order.json"))
    for _ in range(3):
        get_order(client)
    assert fake_time.sleeps == pytest.approx([0.5, 0.5])


def test_cartoncloud_search_is_retried_as_a_read(http, cartoncloud, cc_token, fake_time: FakeTime):
    url = f"{TENANT_URL}/outbound-orders/search"
    http.post(url, status=503, json=[{"message": "Try again"}])
    http.post(url, json=[load("sale_order.json")], headers={"Total-Pages": "1"})
    assert len(cartoncloud.search_sale_orders({"type": "AndCondition", "conditions": []}).items) == 1
    assert fake_time.sleeps == [0.5]


def test_cartoncloud_document_upload_is_not_retried_on_503(http, cartoncloud, cc_token):
    http.post(f"{SALE_ORDER_URL}/documents", status=503, json=[{"message": "Try again"}])
    with pytest.raises(errors.UpstreamUnavailable, match="Try again"):
        cartoncloud.upload_sale_order_document(SALE_ORDER_ID, name="Label.pdf", data=b"%PDF")
    assert len(http.calls) == 2  # the token, then the upload once


def test_token_call_is_retried_on_503(http, cartoncloud, fake_time: FakeTime):
    http.post(TOKEN_URL, status=503, json=[{"message": "down"}])
    add_token(http)
    http.get(SALE_ORDER_URL, json=load("sale_order.json"))
    cartoncloud.get_sale_order(SALE_ORDER_ID)
    assert fake_time.sleeps == [0.5]
