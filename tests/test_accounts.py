"""Accounts: routing by customer to the right Starshipit keys, the connection test, key rotation."""
from __future__ import annotations

import os
import stat

import pytest
from click.testing import CliRunner

from server import create_app
from server.accounts import Accounts
from server.cli import main
from server.crypto import get_box, key_file
from server.db import get_database
from server.sandbox import credentials


@pytest.fixture
def admin(make_token) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_token('office', role='admin')}"}


def add_second_account(client, admin) -> None:
    response = client.put(
        "/api/v1/accounts/starshipit/second",
        json={"api_key": credentials.STARSHIPIT_SECOND_API_KEY,
              "subscription_key": credentials.STARSHIPIT_SECOND_SUBSCRIPTION_KEY, "rate_per_second": 20},
        headers=admin,
    )  # fmt: skip
    assert response.status_code == 200, response.get_json()


def customer_of(sandbox, reference: str) -> dict:
    return next(o for o in sandbox.state.sale_orders() if o["references"]["customer"] == reference)["customer"]


def test_orders_are_routed_to_their_customers_account(client, admin, print_label, control, sandbox):
    add_second_account(client, admin)
    routed = customer_of(sandbox, "SO-10047")  # another customer than SO-10045's
    assert routed["id"] != customer_of(sandbox, "SO-10045")["id"]
    rule = {"match_field": "customer_id", "match_value": routed["id"], "account": "second"}
    assert client.put("/api/v1/routes", json=rule, headers=admin).status_code == 200

    assert print_label(customer_reference="SO-10047").status_code == 201
    assert print_label(customer_reference="SO-10045").status_code == 201
    accounts_of = {o["order_number"]: o["account"] for o in control.starshipit_orders()}
    assert accounts_of == {"SO-10047": "second", "SO-10045": "demo"}
    # a reprint and a redo go to the account that holds the order
    first = print_label(customer_reference="SO-10047").get_json()
    redo = client.post(f"/api/v1/labels/{first['label']['id']}/redo", json={"confirm": True, "reason": "torn"},
                       headers=admin)  # fmt: skip
    assert redo.status_code == 201
    assert {o["account"] for o in control.starshipit_orders("SO-10047")} == {"second"}


def test_route_by_customer_code_and_a_default_account(client, admin, print_label, control, sandbox):
    add_second_account(client, admin)
    code = customer_of(sandbox, "SO-10045")["references"]["code"]
    client.put("/api/v1/routes", json={"match_field": "customer_code", "match_value": code, "account": "second"},
               headers=admin)  # fmt: skip
    print_label(customer_reference="SO-10045")
    assert control.starshipit_orders("SO-10045")[0]["account"] == "second"
    client.put("/api/v1/accounts/starshipit/second", json={"is_default": True}, headers=admin)
    print_label(customer_reference="SO-10046")  # no rule for its customer: the default account
    assert control.starshipit_orders("SO-10046")[0]["account"] == "second"


def test_an_accounts_rate_is_its_subscriptions_and_at_most_20(client, admin):
    """The subscription's rate, which every process shares (server/rate_budget.py); above
    Starshipit's 20/s is refused in words."""
    keys = {"api_key": credentials.STARSHIPIT_SECOND_API_KEY,
            "subscription_key": credentials.STARSHIPIT_SECOND_SUBSCRIPTION_KEY}  # fmt: skip
    shared = client.put("/api/v1/accounts/starshipit/second", json={**keys, "rate_per_second": 4}, headers=admin)
    assert shared.status_code == 200, shared.get_json()
    listed = client.get("/api/v1/accounts", headers=admin).get_json()
    assert [a["rate_per_second"] for a in listed["starshipit"] if a["name"] == "second"] == [4]

    too_fast = client.put("/api/v1/accounts/starshipit/second", json={**keys, "rate_per_second": 25}, headers=admin)
    assert too_fast.status_code == 422
    assert "every labelbridge process shares it" in too_fast.get_json()["errors"]["rate_per_second"][0]


def test_accounts_show_masked_keys_and_packers_cannot_see_them(client, admin, auth):
    add_second_account(client, admin)
    body = client.get("/api/v1/accounts", headers=admin).get_json()
    second = next(a for a in body["starshipit"] if a["name"] == "second")
    assert second["api_key"] == "…" + credentials.STARSHIPIT_SECOND_API_KEY[-4:]
    assert body["cartoncloud"]["client_secret"] == "…" + credentials.CARTONCLOUD_CLIENT_SECRET[-4:]
    assert client.get("/api/v1/accounts", headers=auth).status_code == 403


def test_connection_test_green_against_the_simulators(client, auth):
    body = client.post("/api/v1/connection-test", headers=auth).get_json()
    assert body["ok"] is True
    assert [check["name"] for check in body["checks"]] == ["CartonCloud", "Starshipit account 'environment'"]
    assert all(check["ok"] for check in body["checks"])


def test_connection_test_red_with_a_wrong_key(client, admin):
    client.put("/api/v1/accounts/starshipit/typo", json={"api_key": "wrong-api-key-0000",
               "subscription_key": credentials.STARSHIPIT_SUBSCRIPTION_KEY}, headers=admin)  # fmt: skip
    body = client.post("/api/v1/connection-test", headers=admin).get_json()
    assert body["ok"] is False
    typo = next(c for c in body["checks"] if c["name"] == "Starshipit account 'typo'")
    assert typo == {"name": "Starshipit account 'typo'", "ok": False,
                    "message": "Starshipit refused the credentials: check them in the settings."}  # fmt: skip


def test_connection_test_red_without_a_courier(client, admin):
    client.put("/api/v1/accounts/starshipit/bare", json={"api_key": credentials.STARSHIPIT_NO_COURIERS_API_KEY,
               "subscription_key": credentials.STARSHIPIT_NO_COURIERS_SUBSCRIPTION_KEY}, headers=admin)  # fmt: skip
    checks = client.post("/api/v1/connection-test", headers=admin).get_json()["checks"]
    bare = next(c for c in checks if c["name"] == "Starshipit account 'bare'")
    assert bare["ok"] is False and "no courier" in bare["message"]


def test_connection_test_red_when_cartoncloud_is_unreachable(client, admin):
    connection = {"base_url": "http://127.0.0.1:9", "tenant_id": credentials.CARTONCLOUD_TENANT_ID,
                  "client_id": "x", "client_secret": "unreachable-secret"}  # fmt: skip
    assert client.put("/api/v1/accounts/cartoncloud", json=connection, headers=admin).status_code == 200
    body = client.post("/api/v1/connection-test", headers=admin).get_json()
    cartoncloud = body["checks"][0]
    assert body["ok"] is False and cartoncloud["ok"] is False
    assert "could not be reached" in cartoncloud["message"]


def test_key_file_is_private_and_rotation_keeps_every_secret_readable(app, client, admin, monkeypatch, sandbox):
    add_second_account(client, admin)
    connection = {"base_url": sandbox.cartoncloud_url, "tenant_id": credentials.CARTONCLOUD_TENANT_ID,
                  "client_id": credentials.CARTONCLOUD_CLIENT_ID, "client_secret": credentials.CARTONCLOUD_CLIENT_SECRET}
    assert client.put("/api/v1/accounts/cartoncloud", json=connection, headers=admin).status_code == 200
    path = key_file(app)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    old_keys = get_box(app).keys
    monkeypatch.setenv("LABELBRIDGE_DATABASE_URL", get_database(app).url)
    monkeypatch.setenv("LABELBRIDGE_INSTANCE_PATH", app.instance_path)
    result = CliRunner().invoke(main, ["keys", "rotate"], catch_exceptions=False)
    assert result.exit_code == 0 and "3 secret(s) re-encrypted" in result.stderr
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600

    rotated = create_app({**app.config, "SECRET_KEYS": None})
    assert get_box(rotated).keys[1:] == old_keys and get_box(rotated).keys[0] not in old_keys
    with get_database(rotated).sessions() as session:
        names = {a.name: a for a in Accounts(session, get_box(rotated), rotated.config).starshipit_accounts()}
    assert names["second"].api_key == credentials.STARSHIPIT_SECOND_API_KEY
    only_new = create_app({**app.config, "SECRET_KEYS": get_box(rotated).keys[0].decode()})
    with get_database(only_new).sessions() as session:
        reader = Accounts(session, get_box(only_new), only_new.config)
        assert reader.starshipit("second").subscription_key == credentials.STARSHIPIT_SECOND_SUBSCRIPTION_KEY
        assert reader.cartoncloud().client_secret == credentials.CARTONCLOUD_CLIENT_SECRET
    assert only_new.test_client().post("/api/v1/connection-test", headers=admin).get_json()["ok"] is True
    for made in (rotated, only_new):
        get_database(made).dispose()
