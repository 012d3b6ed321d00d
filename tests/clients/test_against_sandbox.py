"""Both clients against the live simulators over loopback: every call, and the refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import requests

from server.cartoncloud import conditions
from server.cartoncloud.client import CartonCloudClient
from server.http import errors
from server.sandbox import credentials
from server.sandbox.server import SandboxServer
from server.starshipit.client import AlreadyPrinted, StarshipitClient

SHOWCASE_REFERENCE = "SO-10045"
SHOWCASE_NUMERIC_ID = "787061"
DESTINATION = {
    "name": "Olivia Bennett",
    "phone": "07 3123 4567",
    "street": "12 Eagle Street",
    "suburb": "Brisbane City",
    "city": "Brisbane",
    "state": "QLD",
    "post_code": "4000",
    "country": "Australia",
}


@pytest.fixture
def session():
    with requests.Session() as session:
        yield session


@pytest.fixture
def control(sandbox, session):
    """The sandbox's control API: ``control("POST", "/faults", json=...)``."""

    def call(method: str, path: str, **kwargs):
        response = session.request(method, f"{sandbox.url}/_sandbox{path}", timeout=5, **kwargs)
        response.raise_for_status()
        return response.json()

    return call


@pytest.fixture
def sleeps() -> list[float]:
    return []


def starshipit_client(
    sandbox,
    session,
    sleeps,
    *,
    api_key=credentials.STARSHIPIT_API_KEY,
    subscription_key=credentials.STARSHIPIT_SUBSCRIPTION_KEY,
    **options,
) -> StarshipitClient:
    return StarshipitClient(
        sandbox.starshipit_url,
        api_key,
        subscription_key,
        session=session,
        rate_per_second=20,
        sleep=sleeps.append,
        **options,
    )


def cartoncloud_client(server, session, *, client_secret=credentials.CARTONCLOUD_CLIENT_SECRET) -> CartonCloudClient:
    return CartonCloudClient(
        server.cartoncloud_url,
        credentials.CARTONCLOUD_CLIENT_ID,
        client_secret,
        credentials.CARTONCLOUD_TENANT_ID,
        session=session,
    )


@pytest.fixture
def starshipit(sandbox, session, sleeps) -> StarshipitClient:
    return starshipit_client(sandbox, session, sleeps)


@pytest.fixture
def cartoncloud(sandbox, session) -> CartonCloudClient:
    return cartoncloud_client(sandbox, session)


@pytest.fixture
def order(starshipit) -> dict:
    return starshipit.create_order(
        {
            "order_number": "LB-TEST-1",
            "reference": "787061",
            "destination": DESTINATION,
            "packages": [{"weight": 1.2, "height": 0.1, "width": 0.2, "length": 0.3}],
        }
    )


# Starshipit


def test_order_lifecycle(starshipit, order):
    assert order["order_number"] == "LB-TEST-1" and isinstance(order["order_id"], int)
    assert starshipit.get_order(order["order_id"])["order_number"] == "LB-TEST-1"
    assert starshipit.find_order_by_number("LB-TEST-1")["order_id"] == order["order_id"]
    updated = starshipit.update_order({"order_id": order["order_id"], "reference": "changed"})
    assert updated["reference"] == "changed"


@pytest.mark.parametrize("status", [200, 404])
def test_unknown_orders_in_either_answer(sandbox, starshipit, status):
    sandbox.state.set_options(starshipit_not_found=status)
    assert starshipit.find_order_by_number("NO-SUCH-ORDER") is None
    with pytest.raises(errors.UpstreamNotFound, match="Unable to find order number: 999999999") as raised:
        starshipit.get_order(999999999)
    assert raised.value.http_status == status


def test_print_reprint_and_tracking(starshipit, order):
    shipment = starshipit.print_label(order_id=order["order_id"])
    assert shipment.labels and all(label.startswith(b"%PDF") for label in shipment.labels)
    assert shipment.tracking_numbers and shipment.order_number == "LB-TEST-1"
    with pytest.raises(AlreadyPrinted, match="already been printed"):
        starshipit.print_label(order_id=order["order_id"])
    again = starshipit.print_label(order_number="LB-TEST-1", reprint=True)
    assert again.tracking_numbers == shipment.tracking_numbers
    since = datetime.now(UTC) - timedelta(hours=1)
    assert order["order_id"] in [o["order_id"] for o in starshipit.iter_recently_printed(since)]
    assert isinstance(list(starshipit.iter_shipped(since)), list)
    by_number = starshipit.track(order_number="LB-TEST-1")
    assert starshipit.track(tracking_number=shipment.tracking_numbers[0])["order_number"] == by_number["order_number"]


def test_import_orders(starshipit, control):
    before = len(control("GET", "/starshipit/orders"))
    starshipit.import_orders([{"order_number": f"LB-IMPORT-{n}", "destination": DESTINATION} for n in range(3)])
    assert len(control("GET", "/starshipit/orders")) == before + 3


def test_delivery_services_and_address_validation(starshipit):
    services = starshipit.delivery_services({"country_code": "AU", "post_code": "4000"}, [{"weight": 1.0}])
    assert services and {"carrier", "service_code"} <= set(services[0])
    assert (
        starshipit.validate_address(
            street="12 Eagle Street", suburb="Brisbane City", state="QLD", post_code="4000", country="Australia"
        )["valid"]
        is True
    )


@pytest.mark.parametrize(
    ("keys", "words"),
    [
        ({"api_key": "wrong-api-key"}, "StarShipIT-Api-Key"),
        ({"subscription_key": "wrong-subscription-key"}, "invalid subscription key"),
    ],
)
def test_starshipit_refuses_wrong_keys(sandbox, session, sleeps, keys, words):
    client = starshipit_client(sandbox, session, sleeps, **keys)
    with pytest.raises(errors.UpstreamAuthError, match=words) as raised:
        client.get_order(1)
    assert raised.value.http_status == 401
    assert "wrong-" not in str(raised.value)


def test_429_is_retried_after_the_wait_asked_for(starshipit, order, control, sleeps):
    control(
        "POST",
        "/faults",
        json={
            "service": "starshipit",
            "path": "/api/orders",
            "method": "GET",
            "status": 429,
            "count": 1,
            "retry_after": 1,
        },
    )
    assert starshipit.get_order(order["order_id"])["order_id"] == order["order_id"]
    assert 1.0 in sleeps


@pytest.mark.parametrize("fault", [{"status": 503}, {"timeout": True, "timeout_seconds": 1}], ids=["503", "timeout"])
def test_label_post_is_sent_once_whatever_happens(sandbox, session, sleeps, order, control, fault):
    client = starshipit_client(sandbox, session, sleeps, timeout=(1.0, 0.3))
    control("POST", "/faults", json={"service": "starshipit", "path": "/api/orders/shipment", **fault})
    control("POST", "/counters/reset")
    with pytest.raises((errors.UpstreamUnavailable, errors.UpstreamTimeout)):
        client.print_label(order_id=order["order_id"])
    assert control("GET", "/counters")["starshipit"] == {"POST /api/orders/shipment": 1}


# CartonCloud


def test_userinfo_names_the_tenant(cartoncloud):
    assert credentials.CARTONCLOUD_TENANT_ID in [t["id"] for t in cartoncloud.userinfo()["tenants"]]


def test_sale_order_lookups(cartoncloud):
    [by_reference] = cartoncloud.find_sale_orders_by_customer_reference(SHOWCASE_REFERENCE)
    [by_numeric_id] = cartoncloud.find_sale_orders_by_numeric_id(SHOWCASE_NUMERIC_ID)
    assert by_reference == by_numeric_id == cartoncloud.get_sale_order(by_reference["id"])
    assert by_reference["references"]["numericId"] == SHOWCASE_NUMERIC_ID
    with pytest.raises(errors.UpstreamNotFound):
        cartoncloud.get_sale_order("00000000-0000-4000-8000-000000000000")


def test_search_follows_pages(cartoncloud):
    since = datetime(2000, 1, 1, tzinfo=UTC)
    condition = conditions.all_of(conditions.datetime_after(conditions.MODIFIED_TIME, since))
    first = cartoncloud.search_sale_orders(condition, page=1, size=10)
    assert first.total_pages > 1 and len(first.items) == 10
    everything = list(cartoncloud.iter_sale_orders(condition, size=10))
    assert len(everything) == first.total_elements == len({o["id"] for o in everything})


def test_status_search(cartoncloud):
    packed = cartoncloud.search_sale_orders(conditions.text_equals(conditions.STATUS, "PACKED"), size=100).items
    assert packed and {o["status"] for o in packed} == {"PACKED"}


def test_consignment_tracking_writeback(cartoncloud, sandbox):
    [sale_order] = cartoncloud.find_sale_orders_by_customer_reference(SHOWCASE_REFERENCE)
    consignment = cartoncloud.find_consignment_for_sale_order(sale_order["id"])
    updated = cartoncloud.update_consignment_tracking(
        consignment["id"],
        tracking_number="PL0000123456",
        carrier_name="Plain Label",
        tracking_url="https://t.example/PL0000123456",
    )
    assert updated["references"]["tracking"] == "PL0000123456"
    stored = next(c for c in sandbox.state.cartoncloud.consignments() if c["id"] == consignment["id"])
    assert stored["references"]["tracking"] == "PL0000123456"
    assert stored["version"] > consignment["version"]


def test_document_upload(cartoncloud, control):
    [sale_order] = cartoncloud.find_sale_orders_by_customer_reference(SHOWCASE_REFERENCE)
    created = cartoncloud.upload_sale_order_document(sale_order["id"], name="Label-SO-10045.pdf", data=b"%PDF-1.4")
    assert created["content"]["name"] == "Label-SO-10045.pdf"
    stored = control("GET", "/cartoncloud/documents", params={"sale_order_id": sale_order["id"]})
    assert [d["content"]["name"] for d in stored] == ["Label-SO-10045.pdf"]


def test_expired_token_is_refreshed_once(cartoncloud, control):
    cartoncloud.userinfo()
    control("POST", "/cartoncloud/tokens/expire")
    control("POST", "/counters/reset")
    cartoncloud.userinfo()
    cartoncloud.userinfo()
    assert control("GET", "/counters")["cartoncloud"] == {"POST /uaa/oauth/token": 1, "GET /uaa/userinfo": 3}


def test_cartoncloud_refuses_a_wrong_secret(sandbox, session):
    client = cartoncloud_client(sandbox, session, client_secret="wrong-secret")
    with pytest.raises(errors.UpstreamAuthError) as raised:
        client.userinfo()
    assert raised.value.http_status == 401
    assert "wrong-secret" not in str(raised.value)


def test_numeric_search_refused_falls_back_to_text(session):
    with SandboxServer(config={"SANDBOX_CARTONCLOUD_NUMERIC_SEARCH": False}) as server:
        [sale_order] = cartoncloud_client(server, session).find_sale_orders_by_numeric_id(SHOWCASE_NUMERIC_ID)
    assert sale_order["references"]["customer"] == SHOWCASE_REFERENCE
