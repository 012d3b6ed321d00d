"""The /_sandbox/ control API: info, reset, sale orders, Starshipit app actions."""

import pytest

from server.sandbox import credentials

from .helpers import new_order, pdf_text, sale_order_by_reference


def test_info_says_where_everything_is(api):
    info = api.get("/_sandbox/info").json
    assert info["starshipit_url"] == "http://localhost/starshipit"
    assert info["cartoncloud_url"] == "http://localhost/cartoncloud"
    assert info["app_url"] == "http://localhost/app"
    assert info["tenant_slug"] == "demo-warehouse"
    assert info["credentials"] == credentials.as_settings()
    assert info["sale_orders"][0] == {
        "id": info["sale_orders"][0]["id"],
        "numeric_id": "787061",
        "customer_reference": "SO-10045",
        "status": "PACKED",
        "page_url": "http://localhost/app/demo-warehouse/SaleOrders/view/787061",
    }


def test_reset_restores_the_seeded_state(api, starshipit, state):
    starshipit("post", "/api/orders", json=new_order())
    api.post("/_sandbox/sale-orders", json={"references": {"customer": "EXTRA-1"}})
    api.post("/_sandbox/faults", json={"service": "starshipit", "path": "*", "status": 500})
    seeded = state.sale_orders()
    assert api.post("/_sandbox/reset").status_code == 200
    assert state.starshipit_orders() == [] and state.faults.list() == []
    assert [o["references"]["customer"] for o in state.sale_orders()] == [
        o["references"]["customer"] for o in seeded if o["references"]["customer"] != "EXTRA-1"
    ]


def test_create_sale_order_from_a_partial_order(api, state, clock):
    response = api.post(
        "/_sandbox/sale-orders",
        json={
            "references": {"customer": "SO-77777"},
            "status": "PACKED",
            "details": {
                "deliver": {
                    "address": {
                        "contactName": "Kai Singh",
                        "address1": "4 Beach Road",
                        "suburb": "Manly",
                        "state": {"code": "NSW"},
                        "postcode": "2095",
                        "country": {"iso2Code": "AU"},
                    }
                }
            },
        },
    )
    assert response.status_code == 201
    order = response.json
    assert order["status"] == "PACKED" and order["version"] == 1
    assert order["references"]["numericId"] == str(787061 + 60)
    assert order["timestamps"]["packed"] == order["timestamps"]["created"]
    assert sale_order_by_reference(state, "SO-77777") == order
    consignment = [c for c in state.cartoncloud.consignments() if c["generatedFromTask"]["id"] == order["id"]]
    assert len(consignment) == 1


@pytest.mark.parametrize(
    "body, message",
    [
        ({}, "/references/customer"),
        ({"references": {"customer": "X"}, "status": "SHIPPED"}, "Unknown status"),
        ({"references": {"customer": "SO-10045"}}, "already exists"),
    ],
)
def test_create_sale_order_refusals(api, body, message):
    response = api.post("/_sandbox/sale-orders", json=body)
    assert response.status_code == 422 and message in response.json["error"]


def test_status_change_bumps_version_and_times(api, state, clock):
    before = sale_order_by_reference(state, "SO-10046")
    clock.advance(300)
    response = api.post(
        f"/_sandbox/sale-orders/{before['references']['numericId']}/status", json={"status": "DISPATCHED"}
    )
    assert response.status_code == 200
    after = response.json
    assert after["status"] == "DISPATCHED" and after["version"] == before["version"] + 1
    assert after["timestamps"]["modified"]["time"] == "2025-06-20T10:05:00+10:00"
    assert after["timestamps"]["dispatched"] == after["timestamps"]["modified"]
    assert after["timestamps"]["packed"] is None  # went straight from pick & pack to dispatched


def test_leaving_draft_generates_the_consignment(api, state):
    def owners() -> list[str]:
        return [c["generatedFromTask"]["id"] for c in state.cartoncloud.consignments()]

    draft = next(o for o in state.sale_orders() if o["status"] == "DRAFT")
    assert draft["id"] not in owners()
    api.post(f"/_sandbox/sale-orders/{draft['id']}/status", json={"status": "AWAITING_PICK_AND_PACK"})
    assert owners().count(draft["id"]) == 1


@pytest.mark.parametrize(
    "key, body, status", [("nope", {"status": "PACKED"}, 404), ("787061", {"status": "LOST"}, 422), ("787061", [], 400)]
)
def test_status_change_refusals(api, key, body, status):
    assert api.post(f"/_sandbox/sale-orders/{key}/status", json=body).status_code == status


def test_print_in_the_starshipit_app_then_the_api_sees_it_printed(api, starshipit):
    order = starshipit("post", "/api/orders", json=new_order("SO-10045")).json["order"]
    printed = api.post(f"/_sandbox/starshipit/orders/{order['order_id']}/print")
    assert printed.status_code == 200 and printed.json["success"] is True
    shipped = starshipit("get", "/api/orders/shipped").json["orders"]
    assert [o["order_id"] for o in shipped] == [order["order_id"]]
    assert api.post(f"/_sandbox/starshipit/orders/{order['order_id']}/print").status_code == 409
    assert api.post("/_sandbox/starshipit/orders/999/print").status_code == 404


def test_relabel_gives_new_tracking_numbers(api, starshipit):
    order = starshipit("post", "/api/orders", json=new_order()).json["order"]
    assert api.post(f"/_sandbox/starshipit/orders/{order['order_id']}/relabel").status_code == 409
    first = starshipit("post", "/api/orders/shipment", json={"order_id": order["order_id"]}).json
    relabelled = api.post(f"/_sandbox/starshipit/orders/{order['order_id']}/relabel").json
    assert relabelled["tracking_numbers"] != first["tracking_numbers"]
    reprint = starshipit("post", "/api/orders/shipment", json={"order_id": order["order_id"], "reprint": True}).json
    assert reprint["tracking_numbers"] == relabelled["tracking_numbers"]
    assert relabelled["tracking_numbers"][0] in pdf_text(reprint["labels"][0])


def test_tracking_events_move_an_order_to_delivered(api, starshipit):
    order = starshipit("post", "/api/orders", json=new_order()).json["order"]
    starshipit("post", "/api/orders/shipment", json={"order_id": order["order_id"]})
    url = f"/_sandbox/starshipit/orders/{order['order_id']}/tracking"
    assert api.post(url, json={"status": "InTransit"}).json["tracking_status"] == "InTransit"
    delivered = api.post(url, json={"status": "Delivered", "details": "Left at front door"}).json
    assert [e["status"] for e in delivered["tracking_events"]] == ["Printed", "InTransit", "Delivered"]
    assert starshipit("get", f"/api/orders?order_id={order['order_id']}").json["order"]["status"] == "Delivered"
    assert api.post(url, json={"status": "Teleported"}).status_code == 400


def test_label_pdf_is_served_for_printed_orders(api, starshipit):
    order = starshipit("post", "/api/orders", json=new_order()).json["order"]
    assert api.get(f"/_sandbox/starshipit/labels/{order['order_id']}.pdf").status_code == 404
    starshipit("post", "/api/orders/shipment", json={"order_id": order["order_id"]})
    response = api.get(f"/_sandbox/starshipit/labels/{order['order_id']}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-1.4")


@pytest.mark.parametrize("body", [{}, {"per_second": 0}, {"per_second": "fast"}, {"per_second": 5, "burst": 0}])
def test_rate_limit_control_refuses_nonsense(api, body):
    assert api.put("/_sandbox/starshipit/rate-limit", json=body).status_code == 400


def test_unknown_control_route_is_json_404(api):
    response = api.get("/_sandbox/nothing")
    assert response.status_code == 404 and "error" in response.json
