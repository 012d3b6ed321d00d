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
        json={
            "api_key": credentials.STARSHIPIT_SECOND_API_KEY,
            "subscription_key": credentials.STARSHIPIT_SECOND_SUBSCRIPTION_KEY,
            "rate_per_second": 20,
        },
        headers=admin,
    )
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
    redo = client.post(
        f"/api/v1/labels/{first['label']['id']}/redo", json={"confirm": True, "reason": "torn"}, headers=admin
    )
    assert redo.status_code == 201
    assert {o["account"] for o in control.starshipit_orders("SO-10047")} == {"second"}


def test_route_by_customer_code_and_a_default_account(client, admin, print_label, control, sandbox):
    add_second_account(client, admin)
    code = customer_of(sandbox, "SO-10045")["references"]["code"]
    client.put(
        "/api/v1/routes", json={"match_field": "customer_code", "match_value": code, "account": "second"}, headers=admin
    )
    print_label(customer_reference="SO-10045")
    assert control.starshipit_orders("SO-10045")[0]["account"] == "second"
    client.put("/api/v1/accounts/starshipit/second", json={"is_default": True}, headers=admin)
    print_label(customer_reference="SO-10046")  # no rule for its customer: the default account
    assert control.starshipit_orders("SO-10046")[0]["account"] == "second"


def test_an_accounts_rate_is_its_subscriptions_and_at_most_20(client, admin):
    """The subscription's rate, which every process shares (server/rate_budget.py); above
    Starshipit's 20/s is refused in words."""
    keys = {
        "api_key": credentials.STARSHIPIT_SECOND_API_KEY,
        "subscription_key": credentials.STARSHIPIT_SECOND_SUBSCRIPTION_KEY,
    }
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
    client.put(
        "/api/v1/accounts/starshipit/typo",
        json={"api_key": "wrong-api-key-0000", "subscription_key": credentials.STARSHIPIT_SUBSCRIPTION_KEY},
        headers=admin,
    )
    body = client.post("/api/v1/connection-test", headers=admin).get_json()
    assert body["ok"] is False
    typo = next(c for c in body["checks"] if c["name"] == "Starshipit account 'typo'")
    assert typo == {
        "name": "Starshipit account 'typo'",
        "ok": False,
        "message": "Starshipit refused the API key or subscription key: check them in the settings.",
    }


def test_connection_test_red_without_a_courier(client, admin):
    client.put(
        "/api/v1/accounts/starshipit/bare",
        json={
            "api_key": credentials.STARSHIPIT_NO_COURIERS_API_KEY,
            "subscription_key": credentials.STARSHIPIT_NO_COURIERS_SUBSCRIPTION_KEY,
        },
        headers=admin,
    )
    checks = client.post("/api/v1/connection-test", headers=admin).get_json()["checks"]
    bare = next(c for c in checks if c["name"] == "Starshipit account 'bare'")
    assert bare["ok"] is False and "no courier" in bare["message"]


def test_connection_test_red_when_cartoncloud_is_unreachable(client, admin):
    connection = {
        "base_url": "http://127.0.0.1:9",
        "tenant_id": credentials.CARTONCLOUD_TENANT_ID,
        "client_id": "x",
        "client_secret": "unreachable-secret",
    }
    assert client.put("/api/v1/accounts/cartoncloud", json=connection, headers=admin).status_code == 200
    body = client.post("/api/v1/connection-test", headers=admin).get_json()
    cartoncloud = body["checks"][0]
    assert body["ok"] is False and cartoncloud["ok"] is False
    assert "could not be reached" in cartoncloud["message"]


def test_key_file_is_private_and_rotation_keeps_every_secret_readable(app, client, admin, monkeypatch, sandbox):
    add_second_account(client, admin)
    connection = {
        "base_url": sandbox.cartoncloud_url,
        "tenant_id": credentials.CARTONCLOUD_TENANT_ID,
        "client_id": credentials.CARTONCLOUD_CLIENT_ID,
        "client_secret": credentials.CARTONCLOUD_CLIENT_SECRET,
    }
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


@pytest.fixture
def saved_connection(client, admin, sandbox):
    connection = {
        "base_url": sandbox.cartoncloud_url,
        "tenant_id": credentials.CARTONCLOUD_TENANT_ID,
        "client_id": credentials.CARTONCLOUD_CLIENT_ID,
        "client_secret": credentials.CARTONCLOUD_CLIENT_SECRET,
    }
    assert client.put("/api/v1/accounts/cartoncloud", json=connection, headers=admin).status_code == 200
    return connection


def test_moving_the_cartoncloud_connection_needs_the_secret_again(app, client, admin, saved_connection):
    """An admin token alone cannot send the stored client secret to a host of its choosing."""
    app.config["ALLOW_CUSTOM_UPSTREAMS"] = True
    moved = {key: value for key, value in saved_connection.items() if key != "client_secret"}
    response = client.put(
        "/api/v1/accounts/cartoncloud", json={**moved, "base_url": "https://collector.example"}, headers=admin
    )
    assert response.status_code == 422 and "client_secret" in response.get_json()["errors"]
    assert (
        client.get("/api/v1/accounts", headers=admin).get_json()["cartoncloud"]["base_url"]
        == saved_connection["base_url"]
    )
    unchanged = client.put("/api/v1/accounts/cartoncloud", json={**moved, "tenant_slug": "acme"}, headers=admin)
    assert unchanged.status_code == 200  # the same base URL: the stored secret stays, none needed


@pytest.mark.parametrize(
    ("base_url", "allow_custom", "accepted"),
    [
        ("http://api.cartoncloud.com", False, False),  # plain http off loopback
        ("http://collector.example", True, False),
        ("https://collector.example", False, False),  # not a documented host
        ("https://collector.example", True, True),
        ("https://api.na.cartoncloud.com", False, True),
        ("http://127.0.0.1:9", False, True),  # loopback: the sandbox
        ("http://localhost:8765/cartoncloud", False, True),
        ("http://[::1]:8765", False, True),
        ("https://user:pass@api.cartoncloud.com", False, False),
    ],
)
def test_the_cartoncloud_base_url_is_https_on_a_documented_host(app, client, admin, base_url, allow_custom, accepted):
    app.config["ALLOW_CUSTOM_UPSTREAMS"] = allow_custom
    connection = {
        "base_url": base_url,
        "tenant_id": credentials.CARTONCLOUD_TENANT_ID,
        "client_id": "client-1",
        "client_secret": "a-new-client-secret",
    }
    response = client.put("/api/v1/accounts/cartoncloud", json=connection, headers=admin)
    assert response.status_code == (200 if accepted else 422)
    if not accepted:
        assert "base_url" in response.get_json()["errors"]


@pytest.mark.parametrize(
    ("settings", "accepted"),
    [
        ({"STARSHIPIT_URL": "http://api.starshipit.com"}, False),
        ({"STARSHIPIT_URL": "https://starshipit.example"}, False),
        ({"STARSHIPIT_URL": "https://starshipit.example", "ALLOW_CUSTOM_UPSTREAMS": "true"}, True),
        ({"CARTONCLOUD_URL": "http://cartoncloud.example", "ALLOW_CUSTOM_UPSTREAMS": "true"}, False),
        ({"CARTONCLOUD_URL": "https://api.na.cartoncloud.com"}, True),
        ({"STARSHIPIT_URL": "http://127.0.0.1:8765/starshipit"}, True),
    ],
)
def test_upstream_urls_from_the_environment_follow_the_same_rule(monkeypatch, tmp_path, settings, accepted):
    from server.config import ConfigError

    for name, value in settings.items():
        monkeypatch.setenv(f"LABELBRIDGE_{name}", value)
    config = {"DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    if accepted:
        get_database(create_app(config)).dispose()
    else:
        with pytest.raises(ConfigError, match=f"LABELBRIDGE_{next(iter(settings))}=.* is invalid"):
            create_app(config)


def test_a_missing_key_file_refuses_the_start_instead_of_making_a_new_key(app, client, admin, saved_connection):
    from server.config import ConfigError

    path = key_file(app)
    path.unlink()  # lost in a move, a restore that forgot it, a new container without the volume
    with pytest.raises(ConfigError) as refused:
        create_app({**app.config, "SECRET_KEYS": None})
    message = str(refused.value)
    assert str(path) in message and "LABELBRIDGE_SECRET_KEYS" in message and "the CartonCloud connection" in message
    assert credentials.CARTONCLOUD_CLIENT_SECRET not in message


def test_a_wrong_key_refuses_the_start_on_the_command_line(app, client, admin, saved_connection, monkeypatch):
    from cryptography.fernet import Fernet

    monkeypatch.setenv("LABELBRIDGE_DATABASE_URL", get_database(app).url)
    monkeypatch.setenv("LABELBRIDGE_SECRET_KEYS", Fernet.generate_key().decode())
    result = CliRunner().invoke(main, ["accounts", "list"])
    assert result.exit_code == 1
    assert "no configured key decrypts" in result.stderr and "LABELBRIDGE_SECRET_KEYS" in result.stderr


def test_secrets_no_key_decrypts_are_a_503_with_words_and_health_says_degraded(app, client, admin):
    from cryptography.fernet import Fernet

    from server.accounts import save_starshipit_account
    from server.crypto import SecretBox

    assert client.get("/api/v1/health").get_json()["status"] == "ok"
    stranger = SecretBox([Fernet.generate_key()])  # saved by a process with another key, after this one started
    with get_database(app).sessions() as session:  # as any labelbridge process saves an account
        save_starshipit_account(
            session,
            stranger,
            name="other",
            api_key="other-api-key-1234",
            subscription_key="other-sub-key-5678",
            rate_per_second=2,
        )
        session.commit()
    response = client.get("/api/v1/accounts", headers=admin)
    assert response.status_code == 503
    body = response.get_json()
    assert body["code"] == "secrets_unavailable" and "encryption" in body["message"]
    health = client.get("/api/v1/health")
    assert health.status_code == 200
    assert health.get_json()["status"] == "degraded" and "cannot be decrypted" in health.get_json()["reason"]


@pytest.mark.parametrize(("mode", "refused"), [(0o640, False), (0o644, True), (0o606, True)])
def test_a_key_file_open_to_others_is_refused_and_one_open_to_its_group_is_warned_about(app, mode, refused, caplog):
    from server.config import ConfigError

    os.chmod(key_file(app), mode)
    if refused:
        with pytest.raises(ConfigError, match="chmod 600"):
            create_app({**app.config, "SECRET_KEYS": None})
    else:
        get_database(create_app({**app.config, "SECRET_KEYS": None})).dispose()
        assert "open to its group" in caplog.text


def test_the_instance_folder_and_sqlite_database_are_private(sandbox, tmp_path, monkeypatch):
    from server.demo import sandbox_config

    folder = tmp_path / "fresh-instance"
    monkeypatch.setenv("LABELBRIDGE_INSTANCE_PATH", str(folder))
    made = create_app(sandbox_config(sandbox))  # no DATABASE_URL: SQLite in the instance folder
    get_database(made).upgrade()
    get_database(made).dispose()
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(folder / "labelbridge.sqlite3").st_mode) == 0o600
    assert stat.S_IMODE(os.stat(key_file(made)).st_mode) == 0o600
