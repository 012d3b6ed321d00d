"""Every Starshipit call: the request it sends and what it makes of the answer."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta, timezone

import pytest
from responses import matchers

from server.http import errors
from server.http.retry import RetryPolicy
from server.starshipit.client import AlreadyPrinted, Manifested, Shipment, StarshipitClient

from .support import API_KEY, STARSHIPIT_URL, SUBSCRIPTION_KEY, load, make_starshipit

KEYS_REFUSED = "Starshipit refused the API key or subscription key"

ORDER = load("starshipit_order.json")["order"]
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
SINCE = datetime(2025, 6, 20, 20, 30, tzinfo=timezone(timedelta(hours=10)))
AUTH_HEADERS = {"StarShipIT-Api-Key": API_KEY, "Ocp-Apim-Subscription-Key": SUBSCRIPTION_KEY}


def url(path: str) -> str:
    return STARSHIPIT_URL + path


def sent_json(http) -> dict:
    return json.loads(http.calls[-1].request.body)


# Every call, with what it sends (method, path, query, JSON body) and the answer it is given.
CALLS = {
    "create_order": (
        lambda c: c.create_order({"order_number": "SO-10045"}),
        "POST",
        "/api/orders",
        {},
        {"order": {"order_number": "SO-10045"}},
    ),
    "get_order": (lambda c: c.get_order(81234567), "GET", "/api/orders", {"order_id": "81234567"}, None),
    "find_order_by_number": (
        lambda c: c.find_order_by_number("SO-10045"),
        "GET",
        "/api/orders",
        {"order_number": "SO-10045"},
        None,
    ),
    "update_order": (
        lambda c: c.update_order({"order_id": 81234567, "status": "Unshipped"}),
        "PUT",
        "/api/orders",
        {},
        {"order": {"order_id": 81234567, "status": "Unshipped"}},
    ),
    "delete_order": (
        lambda c: c.delete_order(81234567),
        "DELETE",
        "/api/orders/delete",
        {"order_id": "81234567"},
        None,
    ),
    "archive_order": (
        lambda c: c.archive_order(81234567),
        "POST",
        "/api/orders/archive",
        {"order_id": "81234567"},
        None,
    ),
    "iter_shipped": (
        lambda c: list(c.iter_shipped(SINCE)),
        "GET",
        "/api/orders/shipped",
        {"since_last_updated": "2025-06-20T10:30:00Z", "limit": "250", "page": "1"},
        None,
    ),
    "iter_recently_printed": (
        lambda c: list(c.iter_recently_printed(SINCE)),
        "GET",
        "/api/orders/shipments",
        {"status": "recently_printed", "since_created_date": "2025-06-20T10:30:00Z", "limit": "250", "page": "1"},
        None,
    ),
    "print_label": (
        lambda c: c.print_label(order_id=81234567),
        "POST",
        "/api/orders/shipment",
        {},
        {"order_id": 81234567, "reprint": False},
    ),
    "import_orders": (
        lambda c: c.import_orders([{"order_number": "A"}, {"order_number": "B"}]),
        "POST",
        "/api/orders/import",
        {},
        {"orders": [{"order_number": "A"}, {"order_number": "B"}]},
    ),
    "search_orders": (
        lambda c: c.search_orders("SO-10045"),
        "GET",
        "/api/orders/search",
        {"phrase": "SO-10045", "limit": "250", "page": "1"},
        None,
    ),
    "track": (
        lambda c: c.track(tracking_number="PL0000123456"),
        "GET",
        "/api/track",
        {"tracking_number": "PL0000123456"},
        None,
    ),
    "delivery_services": (
        lambda c: c.delivery_services({"country": "Australia"}, [{"weight": 1.0}]),
        "POST",
        "/api/deliveryservices",
        {},
        {"destination": {"country": "Australia"}, "packages": [{"weight": 1.0}]},
    ),
    "rates": (
        lambda c: c.rates({"country_code": "AU", "post_code": "4000"}, [{"weight": 1.0}], "AUD"),
        "POST",
        "/api/rates",
        {},
        {
            "destination": {"country_code": "AU", "post_code": "4000"},
            "packages": [{"weight": 1.0}],
            "include_pricing": True,
            "currency": "AUD",
        },
    ),
    "validate_address": (
        lambda c: c.validate_address(street="1 Main Street", post_code="4000", country="Australia"),
        "GET",
        "/api/address/validate",
        {"street": "1 Main Street", "post_code": "4000", "country": "Australia"},
        None,
    ),
    "packing_slips": (
        lambda c: c.packing_slips([81234567]),
        "POST",
        "/api/orders/packingslips",
        {},
        {"order_ids": [81234567], "summary": False},
    ),
    "clone_shipment": (
        lambda c: c.clone_shipment(81234567),
        "POST",
        "/api/orders/shipment/clone",
        {},
        {"order_id": 81234567, "to_return_shipment": True},
    ),
    "manifest": (
        lambda c: c.manifest([81234567, 81234568]),
        "POST",
        "/api/orders/manifest",
        {},
        {"order_ids": [81234567, 81234568]},
    ),
}
SEARCH_ROW = {
    "order_id": 81239999,
    "order_number": "SO-10045-R",
    "name": "Demo Warehouse",
    "carrier_name": None,
    "tracking_number": None,
    "country": "Australia",
}
ANSWERS = {
    "create_order": load("starshipit_order.json"),
    "get_order": load("starshipit_order.json"),
    "find_order_by_number": load("starshipit_order.json"),
    "update_order": load("starshipit_order.json"),
    "delete_order": {"success": True},
    "archive_order": {"success": True},
    "iter_shipped": {"orders": [ORDER], "total_pages": 1, "success": True},
    "iter_recently_printed": {
        "orders": [{"order_id": 81234567, "tracking_numbers": ["PL0000123456"]}],
        "total_pages": 1,
        "success": True,
    },
    "print_label": load("starshipit_shipment.json"),
    "import_orders": {"success": True, "orders": [{"order_id": 1}, {"order_id": 2}]},
    "search_orders": {"orders": [SEARCH_ROW], "total_pages": 1, "success": True},
    "track": load("starshipit_tracking.json"),
    "delivery_services": {"services": [{"carrier": "PlainLabel", "service_code": "PLL"}], "success": True},
    "rates": {
        "rates": [{"service_name": "Parcel Post", "service_code": "7E55", "total_price": 14.95}],
        "success": True,
    },
    "validate_address": {"valid": True, "suggestions": [], "success": 1},
    "packing_slips": {"label_type": "PackingSlip", "pdf": base64.b64encode(PDF).decode(), "success": True},
    "clone_shipment": {"order": {**ORDER, "order_id": 81239999, "return_order": True}, "success": True},
    "manifest": {"label_type": "Manifest", "pdf": base64.b64encode(PDF).decode(), "success": True},
}
EXPECTED = {
    "create_order": ORDER,
    "get_order": ORDER,
    "find_order_by_number": ORDER,
    "update_order": ORDER,
    "delete_order": None,
    "archive_order": None,
    "iter_shipped": [ORDER],
    "iter_recently_printed": ANSWERS["iter_recently_printed"]["orders"],
    "print_label": Shipment(
        order_id=81234567,
        order_number="SO-10045",
        carrier_name="Plain Label",
        carrier_service_code="PLL",
        tracking_numbers=["PL0000123456"],
        labels=[PDF],
        label_types=["Label"],
    ),
    "import_orders": ANSWERS["import_orders"],
    "track": load("starshipit_tracking.json")["results"],
    "delivery_services": [{"carrier": "PlainLabel", "service_code": "PLL"}],
    "rates": ANSWERS["rates"]["rates"],
    "validate_address": ANSWERS["validate_address"],
    "packing_slips": PDF,
    "clone_shipment": 81239999,
    "manifest": Manifested(PDF, None),
    "search_orders": [SEARCH_ROW],
}


@pytest.mark.parametrize("name", CALLS)
def test_call_sends_documented_request_and_reads_answer(http, starshipit, name):
    call, method, path, query, body = CALLS[name]
    match = [matchers.query_param_matcher(query), matchers.header_matcher(AUTH_HEADERS)]
    if body is not None:
        match += [matchers.json_params_matcher(body), matchers.header_matcher({"Content-Type": "application/json"})]
    http.add(method, url(path), json=ANSWERS[name], match=match)
    assert call(starshipit) == EXPECTED[name]


@pytest.mark.parametrize(
    "answer",
    [
        {"order": {"order_id": 81239999}, "success": True},  # the documented reading: the new order
        {"order_id": 81239999, "success": True},  # the other reading: its id at the top
        {"order_id": "81239999", "order": {"order_number": "SO-10045-R"}, "success": True},
    ],
)
def test_clone_reads_the_new_order_id_in_either_reading(http, starshipit, answer):
    http.post(url("/api/orders/shipment/clone"), json=answer)
    assert starshipit.clone_shipment(81234567) == 81239999


@pytest.mark.parametrize(
    "answer", [{"success": True}, {"order": {"order_id": 81234567}, "success": True}, {"order_id": True, "success": 1}]
)
def test_a_clone_answer_without_a_new_order_is_a_bad_response(http, starshipit, answer):
    http.post(url("/api/orders/shipment/clone"), json=answer)
    with pytest.raises(errors.UpstreamBadResponse):
        starshipit.clone_shipment(81234567)


def test_a_manifest_answer_may_name_its_number(http, starshipit):
    answer = {"label_type": "Manifest", "pdf": base64.b64encode(PDF).decode(), "manifest_number": 4567, "success": True}
    http.post(url("/api/orders/manifest"), json=answer)
    assert starshipit.manifest([81234567]) == Manifested(PDF, "4567")


def test_a_refused_manifest_is_refused_in_starshipits_words_and_never_retried(http, starshipit):
    refusal = {"success": False, "errors": [{"message": "Manifest failed", "details": "StarTrack is closed"}]}
    http.post(url("/api/orders/manifest"), json=refusal)
    with pytest.raises(errors.UpstreamRejected) as raised:
        starshipit.manifest([81234567])
    assert raised.value.message == "Manifest failed: StarTrack is closed"
    http.replace("POST", url("/api/orders/manifest"), status=503, json={"success": False, "errors": []})
    with pytest.raises(errors.UpstreamError):
        starshipit.manifest([81234567])
    assert len(http.calls) == 2


def test_success_may_be_1(http, starshipit):
    http.get(url("/api/orders"), json={"order": ORDER, "success": 1})
    assert starshipit.get_order(81234567) == ORDER


@pytest.mark.parametrize("status", [200, 400])
def test_refusal_joins_message_and_details(http, starshipit, status):
    http.post(
        url("/api/orders"),
        status=status,
        json={
            "success": False,
            "errors": [
                {"message": "Invalid order", "details": "order_number is required"},
                {"message": "Invalid destination", "details": "country is required"},
            ],
        },
    )
    with pytest.raises(errors.UpstreamRejected) as raised:
        starshipit.create_order({})
    assert raised.value.message == ("Invalid order: order_number is required; Invalid destination: country is required")
    assert raised.value.http_status == status


@pytest.mark.parametrize(
    ("status", "body", "error_class", "message"),
    [
        (
            401,
            {"statusCode": 401, "message": "Access denied due to invalid subscription key."},
            errors.UpstreamAuthError,
            f"{KEYS_REFUSED}: Access denied due to invalid subscription key.",
        ),
        (
            403,
            {"statusCode": 403, "message": "Out of call volume quota."},
            errors.UpstreamAuthError,
            f"{KEYS_REFUSED}: Out of call volume quota.",
        ),
        (
            200,
            {"statusCode": 401, "message": "Invalid API key"},
            errors.UpstreamAuthError,
            f"{KEYS_REFUSED}: Invalid API key",
        ),
        (
            200,
            {"statusCode": 403, "success": False, "errors": [{"message": "Forbidden"}]},
            errors.UpstreamAuthError,
            f"{KEYS_REFUSED}: Forbidden",
        ),
        (
            403,
            {"success": False, "errors": [{"message": "Unauthorized", "details": "API key not valid"}]},
            errors.UpstreamAuthError,
            f"{KEYS_REFUSED}: Unauthorized: API key not valid",
        ),
        (
            500,
            {"statusCode": 500, "message": "Internal server error"},
            errors.UpstreamUnavailable,
            "Internal server error",
        ),
    ],
)
def test_gateway_shape_is_read_whatever_the_http_status(http, fake_time, status, body, error_class, message):
    client = make_starshipit(fake_time, retry=RetryPolicy(max_attempts=1))
    http.get(url("/api/orders"), status=status, json=body)
    with pytest.raises(error_class) as raised:
        client.get_order(1)
    assert raised.value.message == message


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (404, {"success": False, "errors": [{"message": "Order not found"}]}),
        (200, {"success": False, "errors": [{"message": "Order not found", "details": "SO-404"}]}),
        (400, {"success": False, "errors": [{"message": "No order found with order number SO-404"}]}),
        (404, {"statusCode": 404, "message": "Resource not found"}),
    ],
)
def test_not_found_in_either_shape(http, starshipit, status, body):
    http.get(url("/api/orders"), status=status, json=body)
    http.get(url("/api/orders"), status=status, json=body)
    assert starshipit.find_order_by_number("SO-404") is None
    with pytest.raises(errors.UpstreamNotFound):
        starshipit.get_order(404)


@pytest.mark.parametrize("key", ["message", "Message"])
def test_a_bare_message_is_read_too(http, starshipit, key):
    http.put(url("/api/orders"), status=400, json={key: "The request is invalid."})
    with pytest.raises(errors.UpstreamRejected, match="The request is invalid."):
        starshipit.update_order({"order_id": 1})


def test_other_refusals_are_not_mistaken_for_not_found(http, starshipit):
    http.post(url("/api/orders"), json={"success": False, "errors": [{"message": "Carrier not found"}]})
    with pytest.raises(errors.UpstreamRejected) as raised:
        starshipit.create_order({"order_number": "SO-1", "carrier": "Nope"})
    assert type(raised.value) is errors.UpstreamRejected


@pytest.mark.parametrize(
    "answer",
    [
        load("starshipit_shipment.json"),
        {
            "success": True,
            "order_id": "81234567",
            "order_number": "SO-10045",
            "carrier_name": "Plain Label",
            "carrier_service_code": "PLL",
            "tracking_number": "PL0000123456",
            "label_data": "JVBERi0xLjQKJeLjz9MKMSAwIG9iago8PD4+CmVuZG9iagp0cmFpbGVyCjw8Pj4K\nJSVFT0YK",
            "label_types": "Label",
        },
        {
            "success": True,
            "order_id": 81234567,
            "order_number": "SO-10045",
            "carrier_name": "Plain Label",
            "carrier_service_code": "PLL",
            "tracking_numbers": ["PL0000123456"],
            "labels": [
                {
                    "label_type": "Label",
                    "label_base64_string": "JVBERi0xLjQKJeLjz9MKMSAwIG9iago8PD4+CmVuZG9iagp0cmFpbGVyCjw8Pj4KJSVFT0YK",
                }
            ],
        },
    ],
    ids=["labels", "label_data", "label_objects"],
)
def test_print_label_reads_every_answer_shape(http, starshipit, answer):
    http.post(url("/api/orders/shipment"), json=answer)
    assert starshipit.print_label(order_number="SO-10045") == EXPECTED["print_label"]


def test_reprint_sends_every_option(http, starshipit):
    expected = {
        "order_number": "SO-10045",
        "reprint": True,
        "carrier": "PlainLabel",
        "carrier_service_code": "PLL",
        "packages": [{"weight": 2.5}],
    }
    http.post(
        url("/api/orders/shipment"),
        json=load("starshipit_shipment.json"),
        match=[matchers.json_params_matcher(expected)],
    )
    shipment = starshipit.print_label(
        order_number="SO-10045",
        reprint=True,
        carrier="PlainLabel",
        carrier_service_code="PLL",
        packages=[{"weight": 2.5}],
    )
    assert shipment.labels == [PDF]


@pytest.mark.parametrize(
    "words",
    ["Order has already been printed", "Label already generated for this order", "Order already shipped"],
)
def test_already_printed_is_its_own_refusal(http, starshipit, words):
    http.post(url("/api/orders/shipment"), json={"success": False, "errors": [{"message": words}]})
    with pytest.raises(AlreadyPrinted) as raised:
        starshipit.print_label(order_id=81234567)
    assert isinstance(raised.value, errors.UpstreamRejected)
    assert raised.value.message == words


def test_unreadable_label_is_a_bad_response(http, starshipit):
    http.post(url("/api/orders/shipment"), json={"success": True, "order_id": 1, "labels": ["not base64!"]})
    with pytest.raises(errors.UpstreamBadResponse, match="unreadable print answer"):
        starshipit.print_label(order_id=1)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.print_label(), "exactly one of order_id and order_number"),
        (lambda c: c.print_label(order_id=1, order_number="A"), "exactly one of order_id and order_number"),
        (lambda c: c.track(), "exactly one of tracking_number and order_number"),
        (lambda c: c.import_orders([{}] * 51), "1 to 50 orders"),
        (lambda c: c.import_orders([]), "1 to 50 orders"),
        (lambda c: c.iter_shipped(datetime(2025, 6, 20)), "timezone-aware"),
    ],
)
def test_arguments_are_checked_before_any_call(http, starshipit, call, message):
    with pytest.raises(ValueError, match=message):
        call(starshipit)


def test_import_takes_exactly_fifty(http, starshipit):
    http.post(url("/api/orders/import"), json={"success": True})
    starshipit.import_orders([{"order_number": str(n)} for n in range(50)])
    assert len(sent_json(http)["orders"]) == 50


def test_track_by_order_number(http, starshipit):
    http.get(
        url("/api/track"),
        json=load("starshipit_tracking.json"),
        match=[matchers.query_param_matcher({"order_number": "SO-10045"})],
    )
    assert starshipit.track(order_number="SO-10045")["tracking_status"] == "InTransit"


def test_list_without_since_leaves_the_window_to_starshipit(http, starshipit):
    http.get(
        url("/api/orders/shipped"),
        json={"orders": [], "total_pages": 0, "success": True},
        match=[matchers.query_param_matcher({"limit": "250", "page": "1"})],
    )
    assert list(starshipit.iter_shipped()) == []


@pytest.mark.parametrize(
    ("iterate", "path", "extra"),
    [
        (
            lambda c: c.iter_shipped(SINCE, limit=2),
            "/api/orders/shipped",
            {"since_last_updated": "2025-06-20T10:30:00Z"},
        ),
        (
            lambda c: c.iter_recently_printed(SINCE, limit=2),
            "/api/orders/shipments",
            {"status": "recently_printed", "since_created_date": "2025-06-20T10:30:00Z"},
        ),
    ],
)
def test_iterators_follow_total_pages(http, starshipit, iterate, path, extra):
    pages = [[{"order_id": 1}, {"order_id": 2}], [{"order_id": 3}]]
    for number, orders in enumerate(pages, start=1):
        http.get(
            url(path),
            json={"orders": orders, "total_pages": 2, "success": True},
            match=[matchers.query_param_matcher({**extra, "limit": "2", "page": str(number)})],
        )
    assert [order["order_id"] for order in iterate(starshipit)] == [1, 2, 3]


def test_the_shipped_list_is_paged_until_a_short_page_when_it_gives_no_total(http, starshipit):
    pages = [[{"order_id": 1}, {"order_id": 2}], [{"order_id": 3}, {"order_id": 4}], [{"order_id": 5}]]
    for number, orders in enumerate(pages, start=1):
        http.get(
            url("/api/orders/shipped"),
            json={"orders": orders, "success": True},
            match=[
                matchers.query_param_matcher(
                    {"since_last_updated": "2025-06-20T10:30:00Z", "limit": "2", "page": str(number)}
                )
            ],
        )
    assert [order["order_id"] for order in starshipit.iter_shipped(SINCE, limit=2)] == [1, 2, 3, 4, 5]


def test_client_refuses_missing_credentials():
    with pytest.raises(ValueError, match="both the API key and the subscription key"):
        StarshipitClient(STARSHIPIT_URL, "", SUBSCRIPTION_KEY)


def test_packing_slips_also_read_a_labels_list_and_ask_for_a_summary(http, starshipit):
    http.post(
        url("/api/orders/packingslips"),
        json={"labels": [base64.b64encode(PDF).decode()], "success": True},
        match=[matchers.json_params_matcher({"order_ids": [1, 2], "summary": True})],
    )
    assert starshipit.packing_slips([1, 2], summary=True) == PDF


@pytest.mark.parametrize(
    "answer", [{"success": True}, {"pdf": "", "success": True}, {"pdf": "not base64!", "success": True}]
)
def test_a_packing_slip_answer_without_a_readable_pdf_is_a_bad_response(http, starshipit, answer):
    http.post(url("/api/orders/packingslips"), json=answer)
    with pytest.raises(errors.UpstreamBadResponse):
        starshipit.packing_slips([1])


def test_packing_slips_need_an_order(starshipit):
    with pytest.raises(ValueError, match="at least one order id"):
        starshipit.packing_slips([])


@pytest.mark.parametrize("answer", [{"rates": [], "success": True}, {"rates": None, "success": True}])
def test_rates_may_be_empty(http, starshipit, answer):
    http.post(url("/api/rates"), json=answer)
    assert starshipit.rates({"country_code": "AU"}, [{"weight": 1.0}]) == []


def test_a_refused_archive_keeps_starshipits_words(http, starshipit):
    body = {"success": False, "errors": [{"message": "Order has been manifested", "details": "It cannot be archived"}]}
    http.post(url("/api/orders/archive"), json=body)
    with pytest.raises(errors.UpstreamRejected, match="Order has been manifested: It cannot be archived"):
        starshipit.archive_order(81234567)


def test_deleting_an_order_that_is_gone_is_not_found(http, starshipit):
    body = {"success": False, "errors": [{"message": "General Exception", "details": "Unable to find order number: 5"}]}
    http.delete(url("/api/orders/delete"), json=body)
    with pytest.raises(errors.UpstreamNotFound):
        starshipit.delete_order(5)
