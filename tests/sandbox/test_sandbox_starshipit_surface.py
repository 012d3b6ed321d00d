"""The simulated Starshipit where public clients read it: the shipped list's flat rows, the full
order's detail, its error shape for unknown paths, and the rest of the order surface (delete,
archive, manifest, return shipments)."""

import pytest

from server.sandbox import create_sandbox_app

from .helpers import assert_order_not_found, new_order, pdf_text

SHIPPED_ROW_FIELDS = {
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


def create(starshipit, number="SO-90001", **fields) -> dict:
    response = starshipit("post", "/api/orders", json=new_order(number, **fields))
    assert response.status_code == 200, response.json
    return response.json["order"]


def printed(starshipit, number="SO-90001", **fields) -> tuple[dict, dict]:
    order = create(starshipit, number, **fields)
    shipment = starshipit("post", "/api/orders/shipment", json={"order_id": order["order_id"]}).json
    assert shipment["success"] is True, shipment
    return order, shipment


# --- the shipped list -----------------------------------------------------------------------


def test_the_shipped_list_is_flat_summary_rows(starshipit, clock):
    order, shipment = printed(starshipit, reference="PO-7")
    clock.advance(60)
    starshipit("post", "/api/orders/manifest", json={"order_ids": [order["order_id"]]})
    (row,) = starshipit("get", "/api/orders/shipped?limit=200&page=1").json["orders"]
    assert set(row) == SHIPPED_ROW_FIELDS  # no packages, destination or items
    assert row["order_number"] == "SO-90001" and row["reference"] == "PO-7"
    assert row["tracking_number"] == shipment["tracking_numbers"][0]
    assert row["tracking_short_status"] == "Printed"
    assert row["shipped_date"] == "2025-06-20T00:00:00Z"
    assert row["carrier_name"] == "Australia Post" and row["carrier_service_name"] == "Parcel Post"
    assert row["manifest_sent"] is True and row["manifest_number"].startswith("M")


def test_the_shipped_list_rows_follow_the_tracking_status(api, starshipit):
    order, _ = printed(starshipit)
    api.post(f"/_sandbox/starshipit/orders/{order['order_id']}/tracking", json={"status": "InTransit"})
    (row,) = starshipit("get", "/api/orders/shipped").json["orders"]
    assert row["tracking_short_status"] == "InTransit"


def test_the_shipped_list_lists_full_orders_as_an_option(api, starshipit):
    order, shipment = printed(starshipit)
    assert (
        api.put("/_sandbox/options", json={"starshipit_shipped_rows": "full"}).json["starshipit_shipped_rows"] == "full"
    )
    (full,) = starshipit("get", "/api/orders/shipped").json["orders"]
    assert full["order_id"] == order["order_id"]
    assert [p["tracking_number"] for p in full["packages"]] == shipment["tracking_numbers"]
    api.post("/_sandbox/reset")
    assert api.get("/_sandbox/options").json["starshipit_shipped_rows"] == "summary"


@pytest.mark.parametrize(
    "options",
    [
        {"starshipit_not_found": 500},
        {"starshipit_shipped_rows": "rows"},
        {"nope": 1},
        {"cartoncloud_datetime_search": 418},
        {"cartoncloud_strict": "yes"},
    ],
)
def test_the_options_refuse_what_they_do_not_know(api, options):
    response = api.put("/_sandbox/options", json=options)
    assert response.status_code == 400 and response.json["error"]


# --- the full order -------------------------------------------------------------------------


def test_the_full_order_carries_its_detail(starshipit):
    order = create(starshipit, items=[{"sku": "A", "quantity": 2, "value": 12.5, "weight": 0.5}])
    assert order["events"] == [] and order["metadatas"] == [] and order["dangerous_goods"] is False
    assert order["declared_value"] == 25.0
    assert order["carrier_service_name"] is None and order["total_shipping_price"] is None
    starshipit("post", "/api/orders/shipment", json={"order_id": order["order_id"]})
    full = starshipit("get", f"/api/orders?order_id={order['order_id']}").json["order"]
    assert full["carrier_service_name"] == "Parcel Post"
    assert full["total_shipping_price"] > 0 and full["shipping_freight_value"] == full["total_shipping_price"]
    assert [event["status"] for event in full["events"]] == ["Printed"]


# --- unknown paths ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["//api/orders?order_id=1", "/api//orders?order_id=1", "/api/orders/nothing"])
def test_unknown_paths_and_double_slashes_are_the_gateway_404_not_a_redirect(starshipit, path):
    response = starshipit("get", path)
    assert response.status_code == 404
    assert response.json == {"statusCode": 404, "message": "Resource not found"}
    assert "Location" not in response.headers


# --- delete, archive, manifest, clone ---------------------------------------------------------


def test_delete_removes_an_unshipped_order_and_refuses_a_printed_one(starshipit):
    unshipped = create(starshipit, "SO-D1")
    order, _ = printed(starshipit, "SO-D2")
    refused = starshipit("delete", f"/api/orders/delete?order_id={order['order_id']}")
    assert refused.status_code == 400 and refused.json["errors"][0]["message"] == "Only unshipped orders can be deleted"
    assert starshipit("delete", f"/api/orders/delete?order_id={unshipped['order_id']}").json == {"success": True}
    assert_order_not_found(starshipit("get", f"/api/orders?order_id={unshipped['order_id']}"))
    assert_order_not_found(starshipit("delete", f"/api/orders/delete?order_id={unshipped['order_id']}"))
    assert starshipit("get", f"/api/orders?order_id={order['order_id']}").json["order"]["status"] == "Printed"


def test_archive_takes_the_order_id_in_the_query_and_hides_it_from_the_lists(starshipit):
    order, _ = printed(starshipit)
    assert starshipit("post", f"/api/orders/archive?order_id={order['order_id']}").json == {"success": True}
    assert starshipit("get", f"/api/orders?order_id={order['order_id']}").json["order"]["archived"] is True
    assert starshipit("get", "/api/orders/shipped").json["orders"] == []
    assert starshipit("post", "/api/orders/archive").status_code == 400
    assert_order_not_found(starshipit("post", "/api/orders/archive?order_id=999"))


def test_an_archived_order_is_not_printed_again_not_even_as_a_reprint(starshipit):
    order, _ = printed(starshipit, "SO-A1")
    starshipit("post", f"/api/orders/archive?order_id={order['order_id']}")
    for body in ({"order_id": order["order_id"]}, {"order_id": order["order_id"], "reprint": True}):
        refused = starshipit("post", "/api/orders/shipment", json=body)
        assert refused.status_code == 200 and refused.json["success"] is False
        assert refused.json["errors"] == [{"message": "Order is archived", "details": "Order SO-A1 is archived"}]


def test_archive_refuses_an_unprinted_order_in_starshipits_words(starshipit):
    order = create(starshipit, "SO-A2")
    refused = starshipit("post", f"/api/orders/archive?order_id={order['order_id']}")
    assert refused.status_code == 400 and refused.json["success"] is False
    assert refused.json["errors"][0]["message"] == "Only printed or shipped orders can be archived"
    assert starshipit("get", f"/api/orders?order_id={order['order_id']}").json["order"]["archived"] is False


def test_a_fault_makes_starshipit_refuse_an_archive_and_the_order_stays_as_it_was(api, starshipit):
    order, _ = printed(starshipit, "SO-A3")
    words = {"message": "Order has been manifested", "details": "Manifested orders cannot be archived"}
    fault = {
        "service": "starshipit",
        "path": "/api/orders/archive",
        "method": "POST",
        "status": 200,
        "body": {"success": False, "errors": [words]},
        "count": 1,
    }
    assert api.post("/_sandbox/faults", json=fault).status_code == 201
    refused = starshipit("post", f"/api/orders/archive?order_id={order['order_id']}")
    assert refused.status_code == 200 and refused.json == {"success": False, "errors": [words]}
    assert starshipit("get", f"/api/orders?order_id={order['order_id']}").json["order"]["archived"] is False
    assert starshipit("post", f"/api/orders/archive?order_id={order['order_id']}").json == {"success": True}


def test_a_deleted_order_is_no_longer_found_by_its_number(starshipit):
    order = create(starshipit, "SO-D9")
    starshipit("delete", f"/api/orders/delete?order_id={order['order_id']}")
    assert_order_not_found(starshipit("get", "/api/orders?order_number=SO-D9"))


def test_manifest_hands_printed_orders_over_once(starshipit):
    first, second = printed(starshipit, "SO-M1")[0], printed(starshipit, "SO-M2")[0]
    response = starshipit("post", "/api/orders/manifest", json={"order_ids": [first["order_id"], second["order_id"]]})
    body = response.json
    assert response.status_code == 200 and body["success"] is True and body["label_type"] == "Manifest"
    assert "SO-M1" in pdf_text(body["pdf"]) and "SO-M2" in pdf_text(body["pdf"])
    stored = starshipit("get", f"/api/orders?order_id={first['order_id']}").json["order"]
    assert stored["manifested"] is True and stored["manifest_number"]
    again = starshipit("post", "/api/orders/manifest", json={"order_ids": [first["order_id"]]}).json
    assert again["success"] is False and again["errors"][0]["message"] == "Order has already been manifested"


def test_manifest_refuses_unprinted_orders_and_malformed_requests(starshipit):
    order = create(starshipit)
    refused = starshipit("post", "/api/orders/manifest", json={"order_ids": [order["order_id"]]}).json
    assert refused["success"] is False and refused["errors"][0]["message"] == "Only printed orders can be manifested"
    assert starshipit("post", "/api/orders/manifest", json={"order_ids": "1"}).status_code == 400


def test_a_refused_carrier_fails_its_manifest_in_starshipits_envelope_and_the_others_go_through(api, starshipit):
    auspost = printed(starshipit, "SO-MA1", carrier="AusPost")[0]
    startrack = printed(starshipit, "SO-MS1", carrier="StarTrack")[0]
    refusal = {"carrier": "StarTrack", "message": "Manifest failed", "details": "StarTrack is not taking manifests"}
    assert api.post("/_sandbox/starshipit/manifest-refusals", json=refusal).status_code == 201

    refused = starshipit("post", "/api/orders/manifest", json={"order_ids": [startrack["order_id"]]})
    assert refused.status_code == 200 and refused.json == {
        "success": False,
        "errors": [{"message": "Manifest failed", "details": "StarTrack is not taking manifests"}],
    }
    stored = starshipit("get", f"/api/orders?order_id={startrack['order_id']}").json["order"]
    assert stored["manifested"] is False
    done = starshipit("post", "/api/orders/manifest", json={"order_ids": [auspost["order_id"]]}).json
    assert done["success"] is True and "SO-MA1" in pdf_text(done["pdf"])
    assert "manifest_number" not in done  # the documented answer: {label_type, pdf, success}

    assert api.delete("/_sandbox/starshipit/manifest-refusals").status_code == 200
    accepted = starshipit("post", "/api/orders/manifest", json={"order_ids": [startrack["order_id"]]}).json
    assert accepted["success"] is True
    assert api.post("/_sandbox/starshipit/manifest-refusals", json={"carrier": ""}).status_code == 400


def test_the_manifest_answer_names_its_number_as_an_option(api, starshipit):
    order = printed(starshipit, "SO-MN1")[0]
    assert api.put("/_sandbox/options", json={"starshipit_manifest_number": True}).status_code == 200
    answer = starshipit("post", "/api/orders/manifest", json={"order_ids": [order["order_id"]]}).json
    stored = starshipit("get", f"/api/orders?order_id={order['order_id']}").json["order"]
    assert answer["success"] is True and answer["manifest_number"] == stored["manifest_number"]


def test_clone_to_a_return_shipment_makes_a_new_order_going_back(starshipit):
    sender = {
        "name": "Warehouse",
        "street": "1 Dock Road",
        "suburb": "Pinkenba",
        "state": "QLD",
        "post_code": "4008",
        "country": "Australia",
    }
    order, _ = printed(starshipit, items=[{"sku": "A", "quantity": 1}], sender_details=sender)
    response = starshipit(
        "post", "/api/orders/shipment/clone", json={"order_id": order["order_id"], "to_return_shipment": True}
    )
    assert response.status_code == 200 and response.json["success"] is True
    clone = response.json["order"]
    assert clone["order_id"] != order["order_id"] and clone["status"] == "Unshipped"
    assert clone["order_number"] == "SO-90001-R" and clone["return_order"] is True
    assert clone["destination"]["street"] == "1 Dock Road" and clone["sender_details"]["name"] == "Olivia Bennett"
    assert [item["sku"] for item in clone["items"]] == ["A"]
    assert starshipit("get", f"/api/orders?order_id={clone['order_id']}").json["order"] == clone


def test_a_return_keeps_its_orders_number_as_an_option_and_the_search_finds_it_either_way(api, starshipit):
    order, _ = printed(starshipit, "SO-90003")
    assert api.put("/_sandbox/options", json={"starshipit_return_number": "same"}).status_code == 200
    clone = starshipit(
        "post", "/api/orders/shipment/clone", json={"order_id": order["order_id"], "to_return_shipment": True}
    ).json["order"]
    assert clone["order_number"] == "SO-90003" and clone["return_order"] is True
    found = starshipit("get", "/api/orders/search?phrase=SO-90003").json["orders"]
    assert [row["order_id"] for row in found] == [clone["order_id"], order["order_id"]]  # newest first
    assert api.put("/_sandbox/options", json={"starshipit_return_number": "R"}).status_code == 400


def test_a_return_of_an_order_without_sender_details_goes_to_the_accounts_sender_address(starshipit):
    order, _ = printed(starshipit, "SO-90002")
    clone = starshipit(
        "post", "/api/orders/shipment/clone", json={"order_id": order["order_id"], "to_return_shipment": True}
    ).json["order"]
    assert clone["destination"]["name"] == "Demo Warehouse" and clone["destination"]["post_code"] == "4009"
    assert clone["sender_details"]["name"] == "Olivia Bennett"
    shipment = starshipit("post", "/api/orders/shipment", json={"order_id": clone["order_id"]}).json
    assert shipment["success"] is True and "SO-90002-R" in pdf_text(shipment["labels"][0])


def test_clone_of_an_unknown_order_is_not_found(starshipit):
    assert_order_not_found(
        starshipit("post", "/api/orders/shipment/clone", json={"order_id": 999, "to_return_shipment": True})
    )
    assert starshipit("post", "/api/orders/shipment/clone", json={}).status_code == 400


def test_the_readings_can_be_chosen_at_start_up():
    app = create_sandbox_app(
        {
            "SANDBOX_STARSHIPIT_NOT_FOUND": "404",
            "SANDBOX_STARSHIPIT_SHIPPED_ROWS": "full",
            "SANDBOX_CARTONCLOUD_DATETIME_SEARCH": "422",
            "SANDBOX_CARTONCLOUD_STRICT": "true",
            "SANDBOX_STARSHIPIT_MANIFEST_NUMBER": "true",
            "SANDBOX_STARSHIPIT_RETURN_NUMBER": "same",
        }
    )
    assert app.test_client().get("/_sandbox/options").json == {
        "starshipit_not_found": 404,
        "starshipit_shipped_rows": "full",
        "cartoncloud_datetime_search": 422,
        "cartoncloud_strict": True,
        "starshipit_manifest_number": True,
        "starshipit_return_number": "same",
    }
