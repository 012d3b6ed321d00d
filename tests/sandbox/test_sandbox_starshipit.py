"""The simulated Starshipit API: authentication, rate limit, orders, labels, tracking."""

import pytest

from server.sandbox import credentials
from server.sandbox.envelopes import INVALID_SUBSCRIPTION_KEY, MISSING_SUBSCRIPTION_KEY
from server.sandbox.starshipit_store import ALREADY_PRINTED

from .helpers import AU_DESTINATION, assert_order_not_found, new_order, pdf_text


def create(starshipit, number="SO-90001", **fields) -> dict:
    response = starshipit("post", "/api/orders", json=new_order(number, **fields))
    assert response.status_code == 200, response.json
    return response.json["order"]


def print_label(starshipit, **body):
    return starshipit("post", "/api/orders/shipment", json=body)


# --- authentication and rate limit --------------------------------------------------------


@pytest.mark.parametrize(
    "headers, body",
    [
        (
            {"StarShipIT-Api-Key": credentials.STARSHIPIT_API_KEY},
            {"statusCode": 401, "message": MISSING_SUBSCRIPTION_KEY},
        ),
        (
            {"StarShipIT-Api-Key": credentials.STARSHIPIT_API_KEY, "Ocp-Apim-Subscription-Key": "nope"},
            {"statusCode": 401, "message": INVALID_SUBSCRIPTION_KEY},
        ),
    ],
)
def test_subscription_key_is_checked_by_the_gateway(api, headers, body):
    response = api.get("/starshipit/api/orders?order_id=1", headers=headers)
    assert response.status_code == 401
    assert response.json == body


@pytest.mark.parametrize("api_key", [None, "wrong-key"])
def test_api_key_is_checked_by_starshipit_in_its_envelope(api, api_key):
    headers = {"Ocp-Apim-Subscription-Key": credentials.STARSHIPIT_SUBSCRIPTION_KEY}
    if api_key:
        headers["StarShipIT-Api-Key"] = api_key
    response = api.get("/starshipit/api/orders?order_id=1", headers=headers)
    assert response.status_code == 401
    assert response.json["success"] is False
    assert response.json["errors"][0]["message"] == "Unauthorized"


def test_rate_limit_answers_429_with_retry_after_until_tokens_refill(api, starshipit, clock, state):
    assert api.put("/_sandbox/starshipit/rate-limit", json={"per_second": 0.5, "burst": 1}).status_code == 200
    assert starshipit("get", "/api/orders/unshipped").status_code == 200
    limited = starshipit("get", "/api/orders/unshipped")
    assert limited.status_code == 429
    assert limited.headers["Retry-After"] == "2"
    assert limited.json == {"statusCode": 429, "message": "Rate limit is exceeded. Try again in 2 seconds."}
    clock.advance(2)
    assert starshipit("get", "/api/orders/unshipped").status_code == 200
    counts = state.counters.snapshot()
    assert counts["starshipit"]["GET /api/orders/unshipped"] == 3
    assert counts["rate_limited"]["starshipit"] == {"GET /api/orders/unshipped": 1}


def test_default_rate_is_twenty_per_second(starshipit):
    statuses = [starshipit("get", "/api/orders/unshipped").status_code for _ in range(21)]
    assert statuses == [200] * 20 + [429]


def test_rate_limit_setting_comes_from_config(sandbox_config, clock):
    from server.sandbox import create_sandbox_app

    app = create_sandbox_app({**sandbox_config, "SANDBOX_STARSHIPIT_RATE_PER_SECOND": 2})
    headers = {
        "StarShipIT-Api-Key": credentials.STARSHIPIT_API_KEY,
        "Ocp-Apim-Subscription-Key": credentials.STARSHIPIT_SUBSCRIPTION_KEY,
    }
    client = app.test_client()
    statuses = [client.get("/starshipit/api/orders/unshipped", headers=headers).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


# --- orders -------------------------------------------------------------------------------


def test_create_returns_the_full_order(starshipit):
    order = create(starshipit, "SO-90001", reference="PO 77", items=[{"sku": "TENT-2P", "quantity": 1, "weight": 2.5}])
    assert isinstance(order["order_id"], int)
    assert order["status"] == "Unshipped"
    assert order["carrier_name"] is None and order["manifested"] is False and order["archived"] is False
    assert order["destination"]["street"] == "12 Eagle Street"
    assert set(order["destination"]) >= {"name", "street", "suburb", "state", "post_code", "country", "phone", "email"}
    assert order["items"][0]["sku"] == "TENT-2P" and isinstance(order["items"][0]["item_id"], int)


@pytest.mark.parametrize(
    "order, field",
    [
        ({"destination": AU_DESTINATION}, "order_number"),
        ({"order_number": "", "destination": AU_DESTINATION}, "order_number"),
        ({"order_number": "X" * 51}, "order_number"),
        ({"order_number": "A1", "reference": "R" * 51}, "reference"),
        ({"order_number": "A1", "shipping_description": "S" * 101}, "shipping_description"),
        ({"order_number": "A1", "currency": "AUDD"}, "currency"),
        ({"order_number": "A1", "destination": {**AU_DESTINATION, "post_code": "4" * 11}}, "destination.post_code"),
        ({"order_number": "A1", "destination": {**AU_DESTINATION, "street": "S" * 101}}, "destination.street"),
        ({"order_number": "A1", "destination": {**AU_DESTINATION, "name": "N" * 101}}, "destination.name"),
        ({"order_number": "A1", "destination": {**AU_DESTINATION, "tax_number": "T" * 21}}, "destination.tax_number"),
        ({"order_number": "A1", "items": [{"tariff_code": "1" * 19}]}, "items[0].tariff_code"),
        ({"order_number": "A1", "items": [{"quantity": "two"}]}, "items[0].quantity"),
        ({"order_number": "A1", "order_date": "yesterday"}, "order_date"),
    ],
)
def test_create_refuses_invalid_fields_naming_them(starshipit, state, order, field):
    response = starshipit("post", "/api/orders", json={"order": order})
    assert response.status_code == 400
    assert response.json["success"] is False
    assert any(field in error["message"] for error in response.json["errors"])
    assert state.starshipit_orders() == []


def test_create_without_an_order_object_is_refused(starshipit):
    response = starshipit("post", "/api/orders", json={"orders": []})
    assert response.status_code == 400
    assert response.json["errors"][0]["message"] == "The order field is required."


def test_get_by_id_and_by_number(starshipit):
    order = create(starshipit, "SO-90002")
    by_id = starshipit("get", f"/api/orders?order_id={order['order_id']}")
    by_number = starshipit("get", "/api/orders?order_number=SO-90002")
    assert by_id.status_code == by_number.status_code == 200
    assert by_id.json == by_number.json == {"order": order, "success": True}


@pytest.mark.parametrize("status", [200, 404])
@pytest.mark.parametrize("query", ["order_id=999", "order_number=NOPE"])
def test_unknown_order_is_unable_to_find_with_200_or_the_404_option(api, starshipit, query, status):
    if status == 404:
        assert api.put("/_sandbox/options", json={"starshipit_not_found": 404}).status_code == 200
    response = starshipit("get", f"/api/orders?{query}")
    assert_order_not_found(response, status)
    assert response.json["errors"][0]["details"] == f"Unable to find order number: {query.split('=')[1]}"


def test_get_needs_an_id_or_number(starshipit):
    assert starshipit("get", "/api/orders").status_code == 400
    assert starshipit("get", "/api/orders?order_id=abc").status_code == 400


def test_duplicate_order_numbers_are_allowed_and_lookup_finds_the_newest(starshipit, api):
    first = create(starshipit, "SO-DUP")
    second = create(starshipit, "SO-DUP")
    assert first["order_id"] != second["order_id"]
    listed = [o for o in api.get("/_sandbox/starshipit/orders").json if o["order_number"] == "SO-DUP"]
    assert len(listed) == 2
    assert starshipit("get", "/api/orders?order_number=SO-DUP").json["order"]["order_id"] == second["order_id"]


def test_update_changes_an_unshipped_order(starshipit):
    order = create(starshipit)
    response = starshipit(
        "put", "/api/orders", json={"order": {"order_id": order["order_id"], "destination": {"phone": "0400 000 000"}}}
    )
    assert response.status_code == 200
    updated = response.json["order"]
    assert updated["destination"]["phone"] == "0400 000 000"
    assert updated["destination"]["street"] == "12 Eagle Street"


def test_update_of_a_printed_order_accepts_only_status(starshipit):
    order = create(starshipit)
    print_label(starshipit, order_id=order["order_id"])
    refused = starshipit(
        "put", "/api/orders", json={"order": {"order_id": order["order_id"], "destination": {"name": "Someone Else"}}}
    )
    assert refused.status_code == 400
    assert "only its status" in refused.json["errors"][0]["message"]
    accepted = starshipit("put", "/api/orders", json={"order": {"order_id": order["order_id"], "status": "Delivered"}})
    assert accepted.status_code == 200 and accepted.json["order"]["status"] == "Delivered"


@pytest.mark.parametrize("status", ["Printed", "Delivered"])
def test_update_cannot_mark_an_unprinted_order_printed(starshipit, status):
    order = create(starshipit)
    response = starshipit("put", "/api/orders", json={"order": {"order_id": order["order_id"], "status": status}})
    assert response.status_code == 400
    assert print_label(starshipit, order_id=order["order_id"]).json["success"] is True


def test_moving_a_printed_order_back_to_unshipped_voids_its_label(starshipit):
    order = create(starshipit)
    first = print_label(starshipit, order_id=order["order_id"]).json
    moved = starshipit("put", "/api/orders", json={"order": {"order_id": order["order_id"], "status": "Unshipped"}})
    assert moved.status_code == 200
    package = moved.json["order"]["packages"][0]
    assert package["tracking_number"] is None and package["labels"] == [] and package["weight"] == 1.0
    assert starshipit("get", f"/api/track?tracking_number={first['tracking_numbers'][0]}").status_code == 404
    second = print_label(starshipit, order_id=order["order_id"]).json
    assert second["success"] is True and second["tracking_numbers"] != first["tracking_numbers"]


def test_update_of_an_unknown_order_is_not_found(starshipit):
    response = starshipit("put", "/api/orders", json={"order": {"order_id": 12345, "reference": "x"}})
    assert_order_not_found(response)


def test_search_matches_number_name_and_tracking_with_paging(starshipit):
    for number in ("SO-1", "SO-2", "SO-3"):
        create(starshipit, number)
    printed = print_label(starshipit, order_number="SO-2").json
    by_name = starshipit("get", "/api/orders/search?phrase=olivia&limit=2&page=1").json
    assert by_name["total_pages"] == 2 and len(by_name["orders"]) == 2
    by_tracking = starshipit("get", f"/api/orders/search?phrase={printed['tracking_numbers'][0]}").json
    assert [o["order_number"] for o in by_tracking["orders"]] == ["SO-2"]
    assert set(by_tracking["orders"][0]) >= {
        "order_id",
        "order_number",
        "name",
        "carrier_name",
        "tracking_number",
        "country",
    }


@pytest.mark.parametrize("query", ["phrase=", "phrase=x&limit=251", "phrase=x&limit=0", "phrase=x&page=-1"])
def test_search_refuses_bad_parameters(starshipit, query):
    response = starshipit("get", f"/api/orders/search?{query}")
    assert response.status_code == 400 and response.json["success"] is False


def test_unshipped_and_shipped_lists_follow_since_and_the_24_hour_default(starshipit, clock):
    old = create(starshipit, "SO-OLD")
    clock.advance(25 * 3600)
    create(starshipit, "SO-NEW")
    print_label(starshipit, order_number="SO-NEW")
    unshipped = starshipit("get", "/api/orders/unshipped").json
    assert unshipped["orders"] == [] and unshipped["total_pages"] == 0
    everything = starshipit("get", "/api/orders/unshipped?since_last_updated=2000-01-01T00:00:00Z").json
    assert [o["order_id"] for o in everything["orders"]] == [old["order_id"]]
    shipped = starshipit("get", "/api/orders/shipped?limit=10&page=1").json
    assert [o["order_number"] for o in shipped["orders"]] == ["SO-NEW"]
    assert starshipit("get", "/api/orders/shipped?since_last_updated=not-a-date").status_code == 400


def test_recently_printed_lists_shipments_since_a_date(starshipit, clock):
    create(starshipit, "SO-A")
    print_label(starshipit, order_number="SO-A")
    clock.advance(3600)
    since = "2025-06-20T00:30:00Z"
    create(starshipit, "SO-B")
    printed = print_label(starshipit, order_number="SO-B").json
    body = starshipit("get", f"/api/orders/shipments?status=recently_printed&since_created_date={since}").json
    assert [o["order_number"] for o in body["orders"]] == ["SO-B"]
    assert body["orders"][0]["tracking_numbers"] == printed["tracking_numbers"]
    assert starshipit("get", "/api/orders/shipments?status=printed").status_code == 400


def test_import_creates_up_to_50_orders(starshipit, state):
    orders = [new_order(f"SO-I{n}")["order"] for n in range(50)]
    response = starshipit("post", "/api/orders/import", json={"orders": orders})
    assert response.status_code == 200 and len(response.json["orders"]) == 50
    too_many = starshipit("post", "/api/orders/import", json={"orders": orders + [orders[0]]})
    assert too_many.status_code == 400
    assert "50" in too_many.json["errors"][0]["message"]
    assert len(state.starshipit_orders()) == 50


def test_import_with_one_invalid_order_creates_none(starshipit, state):
    orders = [new_order("SO-OK")["order"], {"order_number": "X" * 60}]
    response = starshipit("post", "/api/orders/import", json={"orders": orders})
    assert response.status_code == 400
    assert "orders[1].order_number" in response.json["errors"][0]["details"]
    assert state.starshipit_orders() == []


def test_delete_only_unshipped_and_archive_only_printed(starshipit):
    unshipped, printed = create(starshipit, "SO-D1"), create(starshipit, "SO-D2")
    print_label(starshipit, order_id=printed["order_id"])
    assert starshipit("post", f"/api/orders/archive?order_id={unshipped['order_id']}").status_code == 400
    assert starshipit("delete", f"/api/orders/delete?order_id={printed['order_id']}").status_code == 400
    assert starshipit("delete", f"/api/orders/delete?order_id={unshipped['order_id']}").json == {"success": True}
    assert starshipit("post", f"/api/orders/archive?order_id={printed['order_id']}").json == {"success": True}
    assert_order_not_found(starshipit("get", f"/api/orders?order_id={unshipped['order_id']}"))


# --- labels -------------------------------------------------------------------------------


def test_print_returns_a_label_pdf_with_order_number_and_tracking(starshipit):
    order = create(starshipit, "SO-10045")
    response = print_label(starshipit, order_id=order["order_id"])
    assert response.status_code == 200
    body = response.json
    assert set(body) == {
        "success",
        "order_id",
        "order_number",
        "carrier_name",
        "tracking_numbers",
        "labels",
        "label_types",
    }
    assert body["success"] is True and body["order_number"] == "SO-10045"
    assert body["carrier_name"] == "Australia Post"
    assert body["label_types"] == ["Label"] and len(body["labels"]) == 1
    text = pdf_text(body["labels"][0])
    assert "SO-10045" in text and body["tracking_numbers"][0] in text and "Olivia Bennett" in text
    stored = starshipit("get", f"/api/orders?order_id={order['order_id']}").json["order"]
    assert stored["status"] == "Printed" and stored["carrier"] == "AusPost"
    package = stored["packages"][0]
    assert package["tracking_number"] == body["tracking_numbers"][0]
    assert package["tracking_url"].endswith(body["tracking_numbers"][0])
    assert package["label_created_date"] == "2025-06-20T00:00:00Z"
    assert package["labels"][0]["label_url"].startswith("http://localhost/_sandbox/starshipit/labels/")


def test_the_default_package_weighs_what_the_items_weigh(starshipit):
    order = create(starshipit, items=[{"sku": "A", "quantity": 3, "weight": 0.5}, {"sku": "B", "quantity": 1}])
    print_label(starshipit, order_id=order["order_id"])
    package = starshipit("get", f"/api/orders?order_id={order['order_id']}").json["order"]["packages"][0]
    assert package["weight"] == 1.5


def test_print_gives_one_tracking_number_and_page_per_package(starshipit):
    create(starshipit, "SO-MULTI")
    packages = [{"weight": 1.2, "height": 0.1, "width": 0.2, "length": 0.3}, {"weight": 0.4}]
    body = print_label(starshipit, order_number="SO-MULTI", packages=packages).json
    assert len(set(body["tracking_numbers"])) == 2
    text = pdf_text(body["labels"][0])
    assert all(tracking in text for tracking in body["tracking_numbers"])
    assert "Package 2 of 2" in text


@pytest.mark.parametrize(
    "country, carrier_name",
    [("Australia", "Australia Post"), ("New Zealand", "Plain Label"), ("DE", "Plain Label")],
)
def test_default_carrier_depends_on_the_country(starshipit, country, carrier_name):
    destination = {
        "name": "A Person",
        "street": "1 Road",
        "suburb": "Brisbane City",
        "state": "QLD",
        "post_code": "4000",
        "country": country,
    }
    starshipit("post", "/api/orders", json={"order": {"order_number": "SO-C", "destination": destination}})
    assert print_label(starshipit, order_number="SO-C").json["carrier_name"] == carrier_name


def test_print_with_a_named_carrier_and_service(starshipit):
    order = create(starshipit)
    body = print_label(starshipit, order_id=order["order_id"], carrier="StarTrack", carrier_service_code="PRM").json
    assert body["carrier_name"] == "StarTrack"
    assert starshipit("get", f"/api/orders?order_id={order['order_id']}").json["order"]["carrier_service_code"] == "PRM"


def test_a_service_code_from_the_rates_books_the_carrier_that_offers_it(starshipit):
    order = create(starshipit)
    rates = starshipit("post", "/api/rates", json={**RATES_REQUEST, "include_pricing": True}).json["rates"]
    premium = next(rate for rate in rates if rate["service_name"] == "Premium")
    body = print_label(starshipit, order_id=order["order_id"], carrier_service_code=premium["service_code"]).json
    assert body["success"] is True and body["carrier_name"] == "StarTrack"
    stored = starshipit("get", f"/api/orders?order_id={order['order_id']}").json["order"]
    assert (stored["carrier"], stored["carrier_service_code"]) == ("StarTrack", "PRM")


@pytest.mark.parametrize(
    "extra, message",
    [({"carrier": "Pigeon"}, "Carrier 'Pigeon' is not set up"), ({"carrier_service_code": "ZZZ"}, "Service 'ZZZ'")],
)
def test_print_refuses_unknown_carriers_and_services(starshipit, extra, message):
    create(starshipit)
    body = print_label(starshipit, order_number="SO-90001", **extra).json
    assert body["success"] is False and body["errors"][0]["message"].startswith(message)


def test_printing_twice_is_refused_as_already_printed(starshipit):
    order = create(starshipit)
    print_label(starshipit, order_id=order["order_id"])
    again = print_label(starshipit, order_id=order["order_id"])
    assert again.status_code == 200
    assert again.json["success"] is False
    assert again.json["errors"][0]["message"] == ALREADY_PRINTED == "Order has already been printed"


def test_reprint_returns_the_same_labels_and_tracking(starshipit):
    order = create(starshipit)
    first = print_label(starshipit, order_id=order["order_id"]).json
    reprint = print_label(starshipit, order_number=order["order_number"], reprint=True).json
    assert reprint == first


def test_reprint_of_an_unprinted_order_prints_it(starshipit):
    order = create(starshipit)
    body = print_label(starshipit, order_id=order["order_id"], reprint=True).json
    assert body["success"] is True and len(body["tracking_numbers"]) == 1


@pytest.mark.parametrize(
    "change, message",
    [
        ({"street": None}, "Address is invalid: street missing"),
        ({"name": ""}, "Address is invalid: name missing"),
        ({"country": None}, "Address is invalid: country missing"),
        ({"post_code": None}, "Address is invalid: postcode missing"),
        ({"post_code": "2000"}, "Address is invalid: postcode 2000 is not in QLD"),
        ({"country": "Atlantis"}, "Address is invalid: country 'Atlantis' is not recognised"),
    ],
)
def test_print_refuses_an_invalid_address(starshipit, change, message):
    destination = {**AU_DESTINATION, **change}
    starshipit("post", "/api/orders", json={"order": {"order_number": "SO-BAD", "destination": destination}})
    response = print_label(starshipit, order_number="SO-BAD")
    assert response.status_code == 200
    assert response.json["success"] is False
    assert message in [error["message"] for error in response.json["errors"]]
    assert starshipit("get", "/api/orders?order_number=SO-BAD").json["order"]["status"] == "Unshipped"


@pytest.mark.parametrize("body", [{"order_id": 424242}, {"order_number": "NOPE"}])
def test_print_of_an_unknown_order_is_not_found(starshipit, body):
    assert_order_not_found(print_label(starshipit, **body))


def test_print_needs_an_order(starshipit):
    assert print_label(starshipit).status_code == 400


# --- tracking, couriers, addresses --------------------------------------------------------


def test_track_by_tracking_number_and_order_number(starshipit):
    create(starshipit)
    printed = print_label(starshipit, order_number="SO-90001").json
    tracking = printed["tracking_numbers"][0]
    by_tracking = starshipit("get", f"/api/track?tracking_number={tracking}").json
    by_number = starshipit("get", "/api/track?order_number=SO-90001").json
    assert by_tracking == by_number
    results = by_tracking["results"]
    assert results["tracking_status"] == "Printed" and results["tracking_number"] == tracking
    assert results["carrier_name"] == "Australia Post" and results["carrier_service"] == "Parcel Post"
    assert results["tracking_events"][0]["status"] == "Printed"


def test_track_unknown_is_404(starshipit):
    assert starshipit("get", "/api/track?tracking_number=NOPE").status_code == 404
    assert starshipit("get", "/api/track").status_code == 400


RATES_REQUEST = {
    "destination": {
        "street": "1 Road",
        "suburb": "Brisbane City",
        "state": "QLD",
        "post_code": "4000",
        "country_code": "AU",
    },
    "packages": [{"weight": 2.0}],
}


def test_delivery_services_and_rates_for_a_domestic_parcel(starshipit):
    body = RATES_REQUEST
    services = starshipit("post", "/api/deliveryservices", json=body).json
    assert services["success"] is True
    auspost = next(s for s in services["services"] if s["service_code"] == "7E55")
    assert auspost == {
        "carrier": "AusPost",
        "carrier_name": "Australia Post",
        "service_name": "Parcel Post",
        "service_code": "7E55",
        "total_price": 14.95,
        "currency": "AUD",
    }
    rates = starshipit("post", "/api/rates", json={**body, "include_pricing": True}).json["rates"]
    assert {"service_name": "Parcel Post", "service_code": "7E55", "total_price": 14.95} in rates
    assert "PTI8" not in [rate["service_code"] for rate in rates]


def test_rates_carry_prices_only_with_include_pricing_and_may_be_empty(starshipit_as):
    body = RATES_REQUEST
    demo = starshipit_as(credentials.STARSHIPIT_API_KEY, credentials.STARSHIPIT_SUBSCRIPTION_KEY)
    unpriced = demo("post", "/api/rates", json=body).json["rates"]
    assert {"service_name": "Parcel Post", "service_code": "7E55"} in unpriced
    assert all("total_price" not in rate for rate in unpriced)
    bare = starshipit_as(
        credentials.STARSHIPIT_NO_COURIERS_API_KEY, credentials.STARSHIPIT_NO_COURIERS_SUBSCRIPTION_KEY
    )
    assert bare("post", "/api/rates", json={**body, "include_pricing": True}).json == {"rates": [], "success": True}


@pytest.mark.parametrize(
    "body",
    [{}, {"destination": {"country_code": "AU"}}, {"destination": {"country_code": "XX"}, "packages": [{"weight": 1}]}],
)
def test_rates_need_a_destination_and_packages(starshipit, body):
    assert starshipit("post", "/api/rates", json=body).status_code == 400


def test_address_validation_suggests_the_state_of_the_postcode(starshipit):
    query = "street=12 Eagle Street&suburb=Brisbane City&state=NSW&post_code=4000&country=Australia"
    body = starshipit("get", f"/api/address/validate?{query}").json
    assert body["success"] is True and body["valid"] is False
    assert [s["state"] for s in body["suggestions"]] == ["QLD"]
    valid = starshipit("get", f"/api/address/validate?{query.replace('NSW', 'QLD')}").json
    assert valid["valid"] is True and valid["suggestions"] == []


def test_unknown_route_is_the_gateway_404(starshipit):
    response = starshipit("get", "/api/nothing-here")
    assert response.status_code == 404 and response.json == {"statusCode": 404, "message": "Resource not found"}
