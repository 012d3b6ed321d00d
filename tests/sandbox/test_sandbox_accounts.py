"""Several Starshipit accounts: the API key picks one, and each sees only its own orders."""

import json

import pytest
import requests

from server.http.errors import UpstreamRejected
from server.sandbox import create_sandbox_app, credentials
from server.sandbox.server import SandboxServer
from server.sandbox.starshipit_store import NO_COURIERS
from server.starshipit.client import AlreadyPrinted, StarshipitClient

from .helpers import AU_DESTINATION, assert_order_not_found, new_order

QUOTE = {
    "destination": {"country_code": "AU", "post_code": "4000", "suburb": "Brisbane City"},
    "packages": [{"weight": 1.0}],
}


@pytest.fixture
def second(starshipit_as):
    return starshipit_as(credentials.STARSHIPIT_SECOND_API_KEY, credentials.STARSHIPIT_SECOND_SUBSCRIPTION_KEY)


@pytest.fixture
def no_couriers(starshipit_as):
    return starshipit_as(
        credentials.STARSHIPIT_NO_COURIERS_API_KEY, credentials.STARSHIPIT_NO_COURIERS_SUBSCRIPTION_KEY
    )


def create(call, number: str = "SO-90001") -> dict:
    response = call("post", "/api/orders", json=new_order(number))
    assert response.status_code == 200, response.json
    return response.json["order"]


def print_label(call, **body):
    return call("post", "/api/orders/shipment", json=body)


# --- isolation ----------------------------------------------------------------------------


def test_default_accounts_are_demo_second_no_couriers_and_zpl(api):
    assert api.get("/_sandbox/info").json["starshipit_accounts"] == [
        {
            "name": "demo",
            "api_key": credentials.STARSHIPIT_API_KEY,
            "subscription_key": credentials.STARSHIPIT_SUBSCRIPTION_KEY,
            "has_couriers": True,
            "label_format": "pdf",
        },
        {
            "name": "second",
            "api_key": credentials.STARSHIPIT_SECOND_API_KEY,
            "subscription_key": credentials.STARSHIPIT_SECOND_SUBSCRIPTION_KEY,
            "has_couriers": True,
            "label_format": "pdf",
        },
        {
            "name": "no-couriers",
            "api_key": credentials.STARSHIPIT_NO_COURIERS_API_KEY,
            "subscription_key": credentials.STARSHIPIT_NO_COURIERS_SUBSCRIPTION_KEY,
            "has_couriers": False,
            "label_format": "pdf",
        },
        {
            "name": "zpl",
            "api_key": credentials.STARSHIPIT_ZPL_API_KEY,
            "subscription_key": credentials.STARSHIPIT_ZPL_SUBSCRIPTION_KEY,
            "has_couriers": True,
            "label_format": "zpl",
        },
    ]


def test_order_ids_come_from_one_sequence_across_accounts(starshipit, second):
    first, other = create(starshipit), create(second)
    assert other["order_id"] == first["order_id"] + 1


CROSS_ACCOUNT_CALLS = {
    "get by id": lambda o: ("get", f"/api/orders?order_id={o['order_id']}", None),
    "get by number": lambda o: ("get", f"/api/orders?order_number={o['order_number']}", None),
    "update": lambda o: ("put", "/api/orders", {"order": {"order_id": o["order_id"], "reference": "stolen"}}),
    "print by id": lambda o: ("post", "/api/orders/shipment", {"order_id": o["order_id"]}),
    "print by number": lambda o: ("post", "/api/orders/shipment", {"order_number": o["order_number"]}),
    "delete": lambda o: ("delete", f"/api/orders/delete?order_id={o['order_id']}", None),
    "archive": lambda o: ("post", f"/api/orders/archive?order_id={o['order_id']}", None),
    "track": lambda o: ("get", f"/api/track?order_number={o['order_number']}", None),
}


@pytest.mark.parametrize("cross_call", CROSS_ACCOUNT_CALLS.values(), ids=CROSS_ACCOUNT_CALLS.keys())
def test_another_accounts_order_is_not_found(starshipit, second, cross_call):
    order = create(starshipit, "SO-DEMO-ONLY")
    method, path, body = cross_call(order)
    assert_order_not_found(second(method, path, json=body))
    assert starshipit("get", f"/api/orders?order_id={order['order_id']}").json["order"] == order


def test_lists_search_and_tracking_see_only_the_calling_account(starshipit, second):
    mine, theirs = create(starshipit, "SO-SHARED"), create(second, "SO-SHARED")
    tracking = print_label(starshipit, order_id=mine["order_id"]).json["tracking_numbers"][0]
    print_label(second, order_id=theirs["order_id"])
    for call, order in ((starshipit, mine), (second, theirs)):
        assert call("get", "/api/orders?order_number=SO-SHARED").json["order"]["order_id"] == order["order_id"]
        assert [o["order_id"] for o in call("get", "/api/orders/search?phrase=SO-SHARED").json["orders"]] == [
            order["order_id"]
        ]
        assert [o["order_id"] for o in call("get", "/api/orders/shipped").json["orders"]] == [order["order_id"]]
        recent = call("get", "/api/orders/shipments?status=recently_printed").json["orders"]
        assert [o["order_id"] for o in recent] == [order["order_id"]]
    assert starshipit("get", f"/api/track?tracking_number={tracking}").status_code == 200
    assert second("get", f"/api/track?tracking_number={tracking}").status_code == 404
    assert second("get", f"/api/orders/search?phrase={tracking}").json["orders"] == []


def test_import_and_unshipped_list_are_per_account(starshipit, second, state):
    orders = [new_order(f"SO-IMP-{n}")["order"] for n in range(3)]
    imported = second("post", "/api/orders/import", json={"orders": orders})
    assert imported.status_code == 200
    assert starshipit("get", "/api/orders/unshipped").json["orders"] == []
    assert len(second("get", "/api/orders/unshipped").json["orders"]) == 3
    assert [o["account"] for o in state.starshipit_orders()] == ["second"] * 3


def test_any_known_subscription_key_goes_with_any_api_key(starshipit_as, state):
    """The API key picks the account; the subscription key only picks the rate-limit bucket."""
    create(starshipit_as(credentials.STARSHIPIT_SECOND_API_KEY, credentials.STARSHIPIT_SUBSCRIPTION_KEY))
    assert [o["account"] for o in state.starshipit_orders()] == ["second"]


def test_each_subscription_key_has_its_own_bucket(api, starshipit, second, clock):
    assert api.put("/_sandbox/starshipit/rate-limit", json={"per_second": 1, "burst": 1}).status_code == 200
    assert starshipit("get", "/api/orders/unshipped").status_code == 200
    assert starshipit("get", "/api/orders/unshipped").status_code == 429
    assert second("get", "/api/orders/unshipped").status_code == 200
    clock.advance(1)
    assert starshipit("get", "/api/orders/unshipped").status_code == 200


@pytest.mark.parametrize("api_key", ["nope", "clé"])
def test_a_key_of_no_account_is_unauthorized(starshipit_as, api_key):
    response = starshipit_as(api_key, credentials.STARSHIPIT_SECOND_SUBSCRIPTION_KEY)("get", "/api/orders/unshipped")
    assert response.status_code == 401 and response.json["errors"][0]["message"] == "Unauthorized"


# --- the account without couriers ---------------------------------------------------------


@pytest.mark.parametrize("path, key", [("/api/deliveryservices", "services"), ("/api/rates", "rates")])
def test_no_couriers_means_no_services_or_rates(no_couriers, starshipit, path, key):
    response = no_couriers("post", path, json=QUOTE)
    assert response.status_code == 200 and response.json == {key: [], "success": True}
    assert starshipit("post", path, json=QUOTE).json[key] != []
    assert no_couriers("post", path, json={"packages": [{"weight": 1}]}).status_code == 400


@pytest.mark.parametrize("body", [{}, {"carrier": "AusPost"}, {"reprint": True}])
def test_no_couriers_refuses_to_print(no_couriers, body):
    order = create(no_couriers)
    response = print_label(no_couriers, order_id=order["order_id"], **body)
    assert response.status_code == 200
    assert response.json == {
        "success": False,
        "errors": [
            {
                "message": "No carrier is set up for this account. Add a courier in Settings > Couriers.",
                "details": "Order SO-90001 was not booked",
            },
        ],
    }
    assert no_couriers("get", f"/api/orders?order_id={order['order_id']}").json["order"]["status"] == "Unshipped"


def test_no_couriers_is_said_before_address_problems(no_couriers):
    order = no_couriers(
        "post",
        "/api/orders",
        json={"order": {"order_number": "SO-1", "destination": {**AU_DESTINATION, "post_code": "9999"}}},
    ).json["order"]
    assert print_label(no_couriers, order_id=order["order_id"]).json["errors"][0]["message"] == NO_COURIERS


def test_no_couriers_refuses_printing_in_the_app_too(api, no_couriers):
    order = create(no_couriers)
    response = api.post(f"/_sandbox/starshipit/orders/{order['order_id']}/print")
    assert response.status_code == 409 and NO_COURIERS in response.json["error"]


def test_labelbridges_client_reads_the_refusal_as_a_plain_rejection():
    """The wording must not look like "already printed" or "not found" to labelbridge's client."""
    with SandboxServer() as sandbox, requests.Session() as session:
        client = StarshipitClient(
            sandbox.starshipit_url,
            credentials.STARSHIPIT_NO_COURIERS_API_KEY,
            credentials.STARSHIPIT_NO_COURIERS_SUBSCRIPTION_KEY,
            session=session,
            rate_per_second=20,
            sleep=lambda seconds: None,
        )
        order = client.create_order(new_order("SO-NC-1")["order"])
        assert client.delivery_services({"country_code": "AU", "post_code": "4000"}, [{"weight": 1.0}]) == []
        with pytest.raises(UpstreamRejected) as refused:
            client.print_label(order_id=order["order_id"])
    assert not isinstance(refused.value, AlreadyPrinted)
    assert "No carrier is set up for this account" in refused.value.message


# --- control API --------------------------------------------------------------------------


def test_control_lists_orders_with_their_account_and_filters_by_it(api, starshipit, second, no_couriers):
    ids = {
        name: create(call)["order_id"]
        for name, call in (("demo", starshipit), ("second", second), ("no-couriers", no_couriers))
    }
    everything = api.get("/_sandbox/starshipit/orders").json
    assert {o["order_id"]: o["account"] for o in everything} == {order_id: name for name, order_id in ids.items()}
    for name, order_id in ids.items():
        only = api.get(f"/_sandbox/starshipit/orders?account={name}").json
        assert [(o["order_id"], o["account"]) for o in only] == [(order_id, name)]
    missing = api.get("/_sandbox/starshipit/orders?account=nobody")
    assert missing.status_code == 404 and "nobody" in missing.json["error"]


def test_control_actions_by_id_work_for_any_account(api, second):
    order = create(second)
    assert api.post(f"/_sandbox/starshipit/orders/{order['order_id']}/print").status_code == 200
    assert second("get", f"/api/orders?order_id={order['order_id']}").json["order"]["status"] == "Printed"
    assert api.post(f"/_sandbox/starshipit/orders/{order['order_id']}/relabel").status_code == 200
    tracked = api.post(f"/_sandbox/starshipit/orders/{order['order_id']}/tracking", json={"status": "InTransit"})
    assert tracked.json["tracking_status"] == "InTransit"
    assert api.get(f"/_sandbox/starshipit/labels/{order['order_id']}.pdf").status_code == 200


def test_counters_by_account(api, starshipit, second, no_couriers, starshipit_as):
    create(starshipit)
    create(second)
    second("get", "/api/orders/unshipped")
    no_couriers("post", "/api/deliveryservices", json=QUOTE)
    starshipit_as("wrong-key", credentials.STARSHIPIT_SUBSCRIPTION_KEY)("get", "/api/orders/unshipped")
    counts = api.get("/_sandbox/counters").json
    assert counts["starshipit_by_account"] == {
        "demo": {"POST /api/orders": 1},
        "second": {"POST /api/orders": 1, "GET /api/orders/unshipped": 1},
        "no-couriers": {"POST /api/deliveryservices": 1},
        "zpl": {},
    }
    assert counts["starshipit"] == {
        "POST /api/orders": 2,
        "GET /api/orders/unshipped": 2,
        "POST /api/deliveryservices": 1,
    }


def test_refused_calls_count_for_the_account_whose_key_they_carry(api, second):
    api.post("/_sandbox/faults", json={"service": "starshipit", "path": "/api/orders", "status": 503, "count": 1})
    assert second("post", "/api/orders", json=new_order()).status_code == 503
    assert second("post", "/api/orders", json=new_order()).status_code == 200
    assert api.get("/_sandbox/counters").json["starshipit_by_account"]["second"] == {"POST /api/orders": 2}


# --- configuration ------------------------------------------------------------------------

CUSTOM = [
    {"name": "acme", "api_key": "acme-key", "subscription_key": "shared-sub"},
    {
        "name": "globex",
        "api_key": "globex-key",
        "subscription_key": "shared-sub",
        "has_couriers": False,
        "label_format": "zpl",
    },
]


def test_config_replaces_the_accounts(sandbox_config):
    app = create_sandbox_app({**sandbox_config, "SANDBOX_STARSHIPIT_ACCOUNTS": CUSTOM})
    client = app.test_client()

    def call(api_key: str, subscription_key: str = "shared-sub"):
        headers = {"StarShipIT-Api-Key": api_key, "Ocp-Apim-Subscription-Key": subscription_key}
        return client.post("/starshipit/api/deliveryservices", json=QUOTE, headers=headers)

    assert call("acme-key").json["services"] != [] and call("globex-key").json["services"] == []
    assert call(credentials.STARSHIPIT_API_KEY).status_code == 401
    assert call("acme-key", credentials.STARSHIPIT_SUBSCRIPTION_KEY).json["statusCode"] == 401
    info = client.get("/_sandbox/info").json
    assert info["starshipit_accounts"] == [{**CUSTOM[0], "has_couriers": True, "label_format": "pdf"}, CUSTOM[1]]
    assert client.get("/_sandbox/counters").json["starshipit_by_account"] == {
        "acme": {"POST /api/deliveryservices": 2},
        "globex": {"POST /api/deliveryservices": 1},
    }


@pytest.mark.parametrize(
    "accounts, message",
    [
        ([], "non-empty list"),
        ({"name": "a"}, "non-empty list"),
        (["acme"], "must be an object"),
        ([{"name": "a", "api_key": "k"}], "subscription_key"),
        ([{"name": "a", "api_key": "", "subscription_key": "s"}], "api_key"),
        ([{"name": "a", "api_key": "ключ", "subscription_key": "s"}], "ASCII"),
        ([{"name": "a", "api_key": "k", "subscription_key": "s", "has_couriers": "no"}], "has_couriers"),
        ([{"name": "a", "api_key": "k", "subscription_key": "s", "label_format": "png"}], "label_format"),
        ([{"name": "a", "api_key": "k", "subscription_key": "s", "tier": 20}], "unknown fields tier"),
        (
            [
                {"name": "a", "api_key": "k", "subscription_key": "s"},
                {"name": "a", "api_key": "k2", "subscription_key": "s"},
            ],
            "same name",
        ),
        (
            [
                {"name": "a", "api_key": "k", "subscription_key": "s"},
                {"name": "b", "api_key": "k", "subscription_key": "s"},
            ],
            "same api_key",
        ),
    ],
)
def test_config_refuses_malformed_accounts(sandbox_config, accounts, message):
    with pytest.raises(ValueError, match=message):
        create_sandbox_app({**sandbox_config, "SANDBOX_STARSHIPIT_ACCOUNTS": accounts})


def test_accounts_can_come_from_the_environment(sandbox_config, monkeypatch):
    monkeypatch.setenv("LABELBRIDGE_SANDBOX_STARSHIPIT_ACCOUNTS", json.dumps(CUSTOM))
    info = create_sandbox_app(sandbox_config).test_client().get("/_sandbox/info").json
    assert [account["name"] for account in info["starshipit_accounts"]] == ["acme", "globex"]
