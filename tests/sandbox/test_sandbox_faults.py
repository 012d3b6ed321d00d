"""Fault injection and request counters, through the control API."""

import socket
import time
from urllib.parse import urlsplit

import pytest

from server.sandbox import create_sandbox_app

from .helpers import assert_order_not_found, new_order


def add_fault(api, **spec) -> dict:
    response = api.post("/_sandbox/faults", json=spec)
    assert response.status_code == 201, response.json
    return response.json


def test_count_faults_the_next_n_matching_calls(api, starshipit):
    fault = add_fault(api, service="starshipit", path="/api/orders*", status=503, count=2)
    assert fault["id"]
    statuses = [starshipit("get", "/api/orders/unshipped").status_code for _ in range(3)]
    assert statuses == [503, 503, 200]


@pytest.mark.parametrize(
    "service, status, body",
    [
        ("starshipit", 503, {"statusCode": 503, "message": "Service Unavailable"}),
        ("starshipit", 500, {"success": False, "errors": [{"message": "An error has occurred.", "details": ""}]}),
        ("cartoncloud", 500, [{"message": "Internal Server Error"}]),
        ("cartoncloud", 409, [{"message": "Conflict"}]),
    ],
)
def test_faults_answer_in_the_service_s_own_shape(api, starshipit, cartoncloud, service, status, body):
    add_fault(api, service=service, path="*", status=status)
    response = (
        starshipit("get", "/api/orders/unshipped") if service == "starshipit" else cartoncloud("get", "/uaa/userinfo")
    )
    assert response.status_code == status and response.json == body


def test_a_429_fault_carries_retry_after_and_is_counted_apart(api, cartoncloud, state):
    add_fault(api, service="cartoncloud", path="/tenants/*/outbound-orders/search", status=429, retry_after=7, count=1)
    body = {"condition": {"type": "AndCondition", "conditions": []}}
    limited = cartoncloud("post", "/outbound-orders/search", json=body)
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "7"
    assert cartoncloud("post", "/outbound-orders/search", json=body).status_code == 200
    counts = api.get("/_sandbox/counters").json
    endpoint = "POST /tenants/{tenant_id}/outbound-orders/search"
    assert counts["cartoncloud"][endpoint] == 2
    assert counts["rate_limited"]["cartoncloud"] == {endpoint: 1}


def test_starshipit_429_fault_uses_the_gateway_wording(api, starshipit):
    add_fault(api, service="starshipit", path="/api/orders/shipment", status=429, retry_after=3)
    response = starshipit("post", "/api/orders/shipment", json={"order_id": 1})
    assert response.json == {"statusCode": 429, "message": "Rate limit is exceeded. Try again in 3 seconds."}
    assert response.headers["Retry-After"] == "3"


def test_method_filter(api, starshipit):
    add_fault(api, service="starshipit", path="/api/orders", method="post", status=500)
    assert_order_not_found(starshipit("get", "/api/orders?order_id=1"))
    assert starshipit("post", "/api/orders", json=new_order()).status_code == 500


def pattern(sandbox_config, rate: float, seed: int) -> list[int]:
    client = create_sandbox_app({**sandbox_config, "SANDBOX_RANDOM_SEED": seed}).test_client()
    client.post("/_sandbox/faults", json={"service": "cartoncloud", "path": "/uaa/*", "status": 502, "rate": rate})
    return [client.get("/cartoncloud/uaa/userinfo").status_code for _ in range(40)]


def test_error_rate_is_random_but_repeatable(sandbox_config):
    first = pattern(sandbox_config, 0.5, seed=7)
    assert first == pattern(sandbox_config, 0.5, seed=7)
    assert 5 < first.count(502) < 35 and set(first) == {400, 502}  # 400: no Accept-Version was sent
    assert pattern(sandbox_config, 0.0, seed=7).count(502) == 0
    assert pattern(sandbox_config, 1.0, seed=7).count(502) == 40


def test_window_ends_at_until(api, starshipit, clock):
    add_fault(api, service="starshipit", path="*", status=503, until=clock.now + 10)
    assert starshipit("get", "/api/orders/unshipped").status_code == 503
    clock.advance(10)
    assert starshipit("get", "/api/orders/unshipped").status_code == 200


def test_a_past_window_never_fires(api, starshipit, clock):
    add_fault(api, service="starshipit", path="*", status=503, until=clock.now - 1)
    assert starshipit("get", "/api/orders/unshipped").status_code == 200


def test_latency_delays_the_call_which_then_succeeds(api, starshipit):
    add_fault(api, service="starshipit", path="/api/orders/unshipped", latency_ms=60)
    started = time.monotonic()
    response = starshipit("get", "/api/orders/unshipped")
    assert time.monotonic() - started >= 0.06
    assert response.status_code == 200


def test_timeout_holds_the_call_then_does_the_work(api, starshipit, state):
    add_fault(api, service="starshipit", path="/api/orders", method="POST", timeout=True, timeout_seconds=0.05)
    started = time.monotonic()
    response = starshipit("post", "/api/orders", json=new_order())
    assert time.monotonic() - started >= 0.05
    assert response.status_code == 200 and len(state.starshipit_orders()) == 1


def test_body_override(api, starshipit):
    add_fault(api, service="starshipit", path="*", status=502, body="<html>Bad gateway</html>")
    response = starshipit("get", "/api/orders/unshipped")
    assert response.status_code == 502 and response.mimetype == "text/html"
    assert response.get_data(as_text=True) == "<html>Bad gateway</html>"


def test_a_200_body_stands_in_for_the_real_answer(api, starshipit):
    answer = {"rates": [{"carrier": "StarTrack", "service_code": "PRM", "total_price": "23.10"}], "success": True}
    add_fault(api, service="starshipit", path="/api/rates", status=200, body=answer, count=1)
    response = starshipit("post", "/api/rates", json={})
    assert response.status_code == 200 and response.json == answer


def test_faults_are_listed_removed_and_cleared(api, starshipit):
    first = add_fault(api, service="starshipit", path="*", status=500)
    add_fault(api, service="cartoncloud", path="*", status=500)
    assert [f["id"] for f in api.get("/_sandbox/faults").json] == [first["id"], "fault-2"]
    assert api.delete(f"/_sandbox/faults/{first['id']}").status_code == 200
    assert api.delete(f"/_sandbox/faults/{first['id']}").status_code == 404
    assert starshipit("get", "/api/orders/unshipped").status_code == 200
    assert api.delete("/_sandbox/faults").status_code == 200
    assert api.get("/_sandbox/faults").json == []


@pytest.mark.parametrize(
    "spec, message",
    [
        ({"service": "shopify", "path": "*", "status": 500}, "service"),
        ({"service": "starshipit", "path": "api", "status": 500}, "path"),
        ({"service": "starshipit", "path": "*"}, "needs status, latency_ms or timeout"),
        ({"service": "starshipit", "path": "*", "status": 200}, "status"),
        ({"service": "starshipit", "path": "*", "status": 500, "rate": 2}, "rate"),
        ({"service": "starshipit", "path": "*", "status": 500, "count": 0}, "count"),
        ({"service": "starshipit", "path": "*", "status": 500, "colour": "red"}, "unknown fault fields: colour"),
    ],
)
def test_invalid_faults_are_refused(api, spec, message):
    response = api.post("/_sandbox/faults", json=spec)
    assert response.status_code == 400 and message in response.json["error"]


def test_state_methods_reach_the_same_faults(state, starshipit):
    state.add_fault(service="starshipit", path="/api/track", status=504, count=1)
    assert starshipit("get", "/api/track?order_number=x").status_code == 504
    state.add_fault(service="starshipit", path="/api/track", status=504)
    state.clear_faults()
    assert_order_not_found(starshipit("get", "/api/track?order_number=x"))


def test_counters_group_calls_by_route_template_and_reset(api, starshipit, cartoncloud, state):
    order_id = state.sale_orders()[0]["id"]
    cartoncloud("get", f"/outbound-orders/{order_id}")
    cartoncloud("get", "/outbound-orders/another")
    starshipit("get", "/api/orders?order_id=1")
    counts = api.get("/_sandbox/counters").json
    assert counts["cartoncloud"] == {
        "POST /uaa/oauth/token": 1,
        "GET /tenants/{tenant_id}/outbound-orders/{order_id}": 2,
    }
    assert counts["starshipit"] == {"GET /api/orders": 1}
    assert counts["starshipit_by_account"]["demo"] == {"GET /api/orders": 1}
    assert api.post("/_sandbox/counters/reset").status_code == 200
    assert api.get("/_sandbox/counters").json == {
        "starshipit": {},
        "cartoncloud": {},
        "rate_limited": {"starshipit": {}, "cartoncloud": {}},
        "starshipit_by_account": {"demo": {}, "second": {}, "no-couriers": {}, "zpl": {}},
    }


def test_control_calls_and_pages_are_not_counted(api, state):
    api.get("/_sandbox/info")
    api.get("/app/demo-warehouse/SaleOrders/view/787061")
    assert state.counters.snapshot()["starshipit"] == {} and state.counters.snapshot()["cartoncloud"] == {}


def _raw_import(sandbox, body: bytes, length: int) -> bytes:
    """POST /api/orders/import over a bare socket, ``length`` announced and ``body`` sent, then the
    client's side shut (as a killed client's kernel does); the simulator's answer."""
    host, port = urlsplit(sandbox.url).hostname, urlsplit(sandbox.url).port
    head = (
        f"POST /starshipit/api/orders/import HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {length}\r\nConnection: close\r\n\r\n"
    )
    with socket.create_connection((host, port), timeout=10) as connection:
        connection.sendall(head.encode() + body)
        connection.shutdown(socket.SHUT_WR)
        return b"".join(iter(lambda: connection.recv(65536), b""))


def test_a_call_whose_body_never_arrives_is_not_counted(sandbox):
    """A client killed between its headers and its body made no call: a test waiting for the count
    then knows the simulator holds the whole request."""
    body = b'{"orders": []}'
    cut_short = _raw_import(sandbox, body[:5], len(body))
    assert cut_short.startswith(b"HTTP/1.1 400")
    assert "POST /api/orders/import" not in sandbox.state.counters.snapshot()["starshipit"]
    _raw_import(sandbox, body, len(body))  # whole (refused without keys, but a call)
    assert sandbox.state.counters.snapshot()["starshipit"]["POST /api/orders/import"] == 1
