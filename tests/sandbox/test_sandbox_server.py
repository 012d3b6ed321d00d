"""The sandbox on a real socket, driven over loopback with requests."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from server.sandbox import credentials
from server.sandbox.server import SandboxServer

from .helpers import basic_auth, new_order, pdf_text


@pytest.fixture
def live():
    with SandboxServer() as server:
        yield server


def test_print_a_label_and_write_tracking_back_over_http(live):
    headers = {
        "StarShipIT-Api-Key": credentials.STARSHIPIT_API_KEY,
        "Ocp-Apim-Subscription-Key": credentials.STARSHIPIT_SUBSCRIPTION_KEY,
    }
    created = requests.post(f"{live.starshipit_url}/api/orders", json=new_order("SO-10045"), headers=headers, timeout=5)
    assert created.status_code == 200
    printed = requests.post(
        f"{live.starshipit_url}/api/orders/shipment", json={"order_number": "SO-10045"}, headers=headers, timeout=5
    ).json()
    assert printed["tracking_numbers"][0] in pdf_text(printed["labels"][0])

    token = requests.post(
        f"{live.cartoncloud_url}/uaa/oauth/token",
        data={"grant_type": "client_credentials"},
        headers={
            "Accept-Version": "1",
            "Authorization": basic_auth(credentials.CARTONCLOUD_CLIENT_ID, credentials.CARTONCLOUD_CLIENT_SECRET),
        },
        timeout=5,
    ).json()["access_token"]
    cc = {"Accept-Version": "1", "Authorization": f"Bearer {token}"}
    tenant = f"{live.cartoncloud_url}/tenants/{credentials.CARTONCLOUD_TENANT_ID}"
    sale_order = live.state.sale_orders()[0]
    search = {
        "condition": {
            "type": "AndCondition",
            "conditions": [
                {
                    "type": "TextComparisonCondition",
                    "field": {"type": "JsonField", "pointer": "/generatedFromTask/id"},
                    "value": {"type": "ValueField", "value": sale_order["id"]},
                    "method": "EQUAL_TO",
                }
            ],
        }
    }
    (consignment,) = requests.post(f"{tenant}/consignments/search", json=search, headers=cc, timeout=5).json()
    consignment["references"]["tracking"] = printed["tracking_numbers"][0]
    updated = requests.put(
        f"{tenant}/consignments/{consignment['id']}",
        json=consignment,
        timeout=5,
        headers={**cc, "If-Match": str(consignment["version"])},
    )
    assert updated.status_code == 200
    info = requests.get(f"{live.url}/_sandbox/info", timeout=5).json()
    assert info["starshipit_url"] == live.starshipit_url and info["cartoncloud_url"] == live.cartoncloud_url
    stored = requests.get(f"{live.url}/_sandbox/cartoncloud/consignments", timeout=5).json()
    assert [c["references"]["tracking"] for c in stored if c["id"] == consignment["id"]] == printed["tracking_numbers"]


def test_a_timeout_fault_outlasts_the_client_and_stop_does_not_wait_for_it():
    server = SandboxServer().start()
    server.state.add_fault(service="starshipit", path="*", timeout=True, timeout_seconds=30)
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.get(f"{server.starshipit_url}/api/orders/unshipped", timeout=0.2)
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 5


def test_url_needs_a_running_server():
    server = SandboxServer()
    with pytest.raises(RuntimeError):
        _ = server.url
    with server:
        assert server.url.startswith("http://127.0.0.1:") and not server.url.endswith(":0")
    with pytest.raises(RuntimeError):
        _ = server.url


def test_concurrent_clients_get_distinct_orders_and_tracking_numbers(live):
    live.state.set_starshipit_rate_limit(1000)
    headers = {
        "StarShipIT-Api-Key": credentials.STARSHIPIT_API_KEY,
        "Ocp-Apim-Subscription-Key": credentials.STARSHIPIT_SUBSCRIPTION_KEY,
    }

    def create_and_print(n: int) -> tuple[int, str]:
        with requests.Session() as session:
            order = session.post(
                f"{live.starshipit_url}/api/orders", json=new_order(f"SO-C{n}"), headers=headers, timeout=10
            ).json()["order"]
            printed = session.post(
                f"{live.starshipit_url}/api/orders/shipment",
                json={"order_id": order["order_id"]},
                headers=headers,
                timeout=10,
            ).json()
            return order["order_id"], printed["tracking_numbers"][0]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(create_and_print, range(40)))
    assert len({order_id for order_id, _ in results}) == len({tracking for _, tracking in results}) == 40
    assert len(live.state.starshipit_orders()) == 40
    assert live.state.counters.snapshot()["starshipit"] == {"POST /api/orders": 40, "POST /api/orders/shipment": 40}
