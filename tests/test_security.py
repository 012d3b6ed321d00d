"""Security by default: tokens, CORS and origins, rate limits, strict bodies, secrets never shown."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

import pytest

from server import create_app
from server.db import get_database
from server.demo import sandbox_config
from server.models import utcnow

EXTENSION_ORIGIN = "chrome-extension://gemklbolcljbkdoodipaiednkjlmeckh"


def test_expired_token_is_refused(client, make_token):
    live = make_token("fresh", expires_at=utcnow() + timedelta(hours=1))
    expired = make_token("stale", expires_at=utcnow() - timedelta(seconds=1))
    assert client.get("/api/v1/whoami", headers={"Authorization": f"Bearer {live}"}).status_code == 200
    response = client.get("/api/v1/whoami", headers={"Authorization": f"Bearer {expired}"})
    assert response.status_code == 401 and response.get_json()["code"] == "unauthorized"


def test_refused_tokens_are_audited_without_the_token(client, make_token):
    admin = {"Authorization": f"Bearer {make_token('office', role='admin')}"}
    client.get("/api/v1/whoami", headers={"Authorization": "Bearer lb_guessed-token-value"})
    (event,) = client.get("/api/v1/events?kind=token_refused", headers=admin).get_json()["events"]
    assert event["detail"]["path"] == "/api/v1/whoami"
    assert "lb_guessed-token-value" not in str(event)


def test_cors_headers_only_for_the_extension(client, auth):
    allowed = client.get("/api/v1/whoami", headers={**auth, "Origin": EXTENSION_ORIGIN})
    assert allowed.headers["Access-Control-Allow-Origin"] == EXTENSION_ORIGIN
    other = client.get("/api/v1/whoami", headers={**auth, "Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers
    preflight = client.options(
        "/api/v1/labels",
        headers={
            "Origin": EXTENSION_ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type,idempotency-key",
        },
    )
    assert preflight.headers["Access-Control-Allow-Origin"] == EXTENSION_ORIGIN
    assert "idempotency-key" in preflight.headers["Access-Control-Allow-Headers"].lower()


def test_a_request_without_an_origin_is_not_told_the_allowed_origins(client, auth):
    for response in (client.get("/api/v1/health"), client.get("/api/v1/whoami", headers=auth)):
        assert response.status_code == 200
        assert not [name for name, _value in response.headers.items() if name.startswith("Access-Control-")]


def test_state_changing_request_from_another_origin_is_refused_whatever_the_token(client, auth, control):
    response = client.post(
        "/api/v1/labels",
        json={"sale_order": {"numeric_id": "787061"}},
        headers={**auth, "Origin": "https://evil.example"},
    )
    assert response.status_code == 403
    assert response.get_json()["code"] == "forbidden_origin"
    assert control.counters("starshipit") == {}  # nothing was printed
    allowed = client.post(
        "/api/v1/labels", json={"sale_order": {"numeric_id": "787061"}}, headers={**auth, "Origin": EXTENSION_ORIGIN}
    )
    assert allowed.status_code == 201


def test_configured_origins_replace_the_default(sandbox, database_url):
    app = create_app(
        {
            **sandbox_config(sandbox),
            "DATABASE_URL": database_url,
            "CORS_ORIGINS": "chrome-extension://abcdefghijklmnopabcdefghijklmnop",
        }
    )
    response = app.test_client().options(
        "/api/v1/labels", headers={"Origin": EXTENSION_ORIGIN, "Access-Control-Request-Method": "POST"}
    )
    assert "Access-Control-Allow-Origin" not in response.headers
    get_database(app).dispose()


def test_rate_limit_per_token_is_hit_and_recovers(sandbox, database_url, make_token):
    app = create_app({**sandbox_config(sandbox), "DATABASE_URL": database_url, "RATE_LIMIT": "3 per 1 second"})
    get_database(app).upgrade()
    client = app.test_client()
    with get_database(app).sessions() as session:
        from server import tokens

        first = {"Authorization": f"Bearer {tokens.create_token(session, 'a')}"}
        second = {"Authorization": f"Bearer {tokens.create_token(session, 'b')}"}
    statuses = [client.get("/api/v1/whoami", headers=first).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/v1/whoami", headers=first)
    assert limited.get_json()["code"] == "rate_limited" and int(limited.headers["Retry-After"]) >= 1
    assert client.get("/api/v1/whoami", headers=second).status_code == 200  # another token is not held back
    deadline = time.monotonic() + 5
    while client.get("/api/v1/whoami", headers=first).status_code == 429:  # the window passing, not a fixed sleep
        assert time.monotonic() < deadline, "the limit never recovered"
        time.sleep(0.1)
    get_database(app).dispose()


def test_body_size_is_limited(client, auth):
    response = client.post(
        "/api/v1/labels",
        data='{"sale_order": {"customer_reference": "' + "x" * 2_000_000 + '"}}',
        content_type="application/json",
        headers=auth,
    )
    assert response.status_code == 413
    assert response.get_json()["code"] == "payload_too_large"


@pytest.mark.parametrize("body", ['{"sale_order": {"numeric_id": NaN}}', '{"sale_order": Infinity}', "[1, 2]"])
def test_json_is_parsed_strictly(client, auth, body):
    response = client.post("/api/v1/labels", data=body, content_type="application/json", headers=auth)
    assert response.status_code in (400, 422)
    assert response.is_json and response.get_json()["code"] in ("invalid_json", "validation_error")


JSON_ROUTES = [
    ("POST", "/api/v1/labels"),
    ("POST", "/api/v1/labels/batch"),
    ("PUT", "/api/v1/settings"),
    ("PUT", "/api/v1/workstation"),
    ("PUT", "/api/v1/accounts/cartoncloud"),
    ("POST", "/api/v1/printers"),
    ("POST", "/api/v1/webhooks/cartoncloud"),
    ("POST", "/api/v1/webhooks/starshipit"),
]


@pytest.fixture
def webhooks_on(app) -> dict[str, str]:
    """Both webhooks switched on, so a body reaches the parser; the headers that get it there."""
    app.config.update(CARTONCLOUD_WEBHOOK_SECRET="cartoncloud-webhook-secret-xyz", STARSHIPIT_WEBHOOK_INSECURE=True)
    return {"X-Labelbridge-Secret": "cartoncloud-webhook-secret-xyz"}


@pytest.mark.parametrize(("method", "path"), JSON_ROUTES)
@pytest.mark.parametrize("depth", [32, 330, 100_000])  # levels inside the body object: 33 and more
def test_deeply_nested_json_is_a_400_in_the_error_shape_on_every_body(
    client, make_token, webhooks_on, caplog, method, path, depth
):
    admin = {"Authorization": f"Bearer {make_token('office', role='admin')}", **webhooks_on}
    body = '{"sale_order": ' + "[" * depth + "]" * depth + "}"
    response = client.open(path, method=method, data=body, content_type="application/json", headers=admin)
    assert response.status_code == 400
    assert response.get_json() == {
        "code": "invalid_json",
        "status": 400,
        "message": "The request body nests objects and arrays more than 32 deep.",
    }
    assert not [record for record in caplog.records if record.levelname in ("ERROR", "CRITICAL")]


def test_json_nested_32_deep_is_read(client, auth):
    """The cap is 32 levels: the body object and 31 arrays inside it pass the parser (and fail on fields)."""
    body = '{"sale_order": ' + "[" * 31 + "]" * 31 + "}"
    response = client.post("/api/v1/labels", data=body, content_type="application/json", headers=auth)
    assert response.status_code == 422 and response.get_json()["code"] == "validation_error"


def test_no_secret_in_any_response_or_log(app, client, make_token, control, caplog, monkeypatch):
    """Every configured secret, scanned for in every response body and header and every log line,
    through prints, failures, settings, accounts and the connection test."""
    caplog.set_level(logging.DEBUG)
    admin = {"Authorization": f"Bearer {make_token('office', role='admin')}"}
    stored_keys = {"api_key": "second-account-api-key-1234", "subscription_key": "second-account-sub-key-5678"}
    secrets = [
        app.config["STARSHIPIT_API_KEY"],
        app.config["STARSHIPIT_SUBSCRIPTION_KEY"],
        app.config["CARTONCLOUD_CLIENT_SECRET"],
        *stored_keys.values(),
    ]
    responses = [
        client.put("/api/v1/accounts/starshipit/second", json={**stored_keys, "rate_per_second": 20}, headers=admin),
        client.get("/api/v1/accounts", headers=admin),
        client.post("/api/v1/labels", json={"sale_order": {"numeric_id": "787061"}}, headers=admin),
        client.post("/api/v1/connection-test", headers=admin),
        client.get("/api/v1/settings", headers=admin),
    ]
    control.fault(service="starshipit", path="*", status=401, rate=1.0)
    control.fault(service="cartoncloud", path="*", status=503, rate=1.0)
    responses += [
        client.post("/api/v1/labels", json={"sale_order": {"customer_reference": "SO-10046"}}, headers=admin),
        client.post("/api/v1/connection-test", headers=admin),
        client.get("/api/v1/events", headers=admin),
    ]
    assert [r.status_code for r in responses][:3] == [200, 200, 201]
    assert responses[1].get_json()["starshipit"][1]["api_key"] == "…1234"
    shown = "\n".join(r.get_data(as_text=True) + str(dict(r.headers)) for r in responses) + caplog.text
    for secret in secrets:
        assert secret not in shown


def test_audit_log_on_the_command_line(app, print_label, monkeypatch):
    from click.testing import CliRunner

    from server.cli import main

    printed = print_label(customer_reference="SO-10045").get_json()
    print_label(customer_reference="SO-10045")
    monkeypatch.setenv("LABELBRIDGE_DATABASE_URL", get_database(app).url)
    result = CliRunner().invoke(main, ["events", "--sale-order", "787061"], catch_exceptions=False)
    assert result.exit_code == 0
    kinds = [line.split("\t")[1] for line in result.stdout.splitlines()]
    assert "print" in kinds and kinds[-1] == "reprint"
    assert all(line.split("\t")[2] == "bench-1" for line in result.stdout.splitlines() if "\tprint\t" in line)
    assert printed["tracking_numbers"][0] in result.stdout


@pytest.fixture
def db_events(app):
    """``read(kind)``: the audit events of that kind, oldest first."""
    from sqlalchemy import select

    from server.models import OrderEvent

    def read(kind: str) -> list:
        with get_database(app).sessions() as session:
            return list(session.scalars(select(OrderEvent).where(OrderEvent.kind == kind).order_by(OrderEvent.id)))

    return read


def limited_app(sandbox, database_url, **config):
    app = create_app({**sandbox_config(sandbox), "DATABASE_URL": database_url, **config})
    get_database(app).upgrade()
    return app


def test_made_up_tokens_are_limited_by_client_address_and_a_live_token_is_not_held_back(sandbox, database_url):
    app = limited_app(sandbox, database_url, RATE_LIMIT="5 per minute")
    client = app.test_client()
    statuses = [
        client.get("/api/v1/whoami", headers={"Authorization": f"Bearer lb_made-up-{n}"}).status_code for n in range(8)
    ]
    assert statuses == [401] * 5 + [429] * 3
    with get_database(app).sessions() as session:
        from server import tokens

        live = {"Authorization": f"Bearer {tokens.create_token(session, 'bench-1')}"}
    assert client.get("/api/v1/whoami", headers=live).status_code == 200  # same address, its own budget
    get_database(app).dispose()


def test_the_health_check_is_never_counted_nor_refused_by_the_rate_limit(sandbox, database_url):
    app = limited_app(sandbox, database_url, RATE_LIMIT="2 per minute")
    client = app.test_client()
    assert [client.get("/api/v1/health").status_code for _ in range(5)] == [200] * 5
    guesses = [
        client.get("/api/v1/whoami", headers={"Authorization": "Bearer lb_made-up"}).status_code for _ in range(3)
    ]
    assert guesses == [401, 401, 429]  # the address's whole budget was still there for the guesses
    assert client.get("/api/v1/health").status_code == 200  # and a spent budget does not stop the health check
    get_database(app).dispose()


def test_the_address_budget_is_one_for_every_route_so_spreading_guesses_gains_nothing(sandbox, database_url):
    app = limited_app(sandbox, database_url, RATE_LIMIT="6 per minute")
    client = app.test_client()
    routes = ["/api/v1/whoami", "/api/v1/settings", "/api/v1/printers", "/api/v1/workstation", "/api/v1/sync/status"]
    statuses = [
        client.get(routes[n % len(routes)], headers={"Authorization": f"Bearer lb_spread-{n}"}).status_code
        for n in range(10)
    ]
    assert statuses == [401] * 6 + [429] * 4
    get_database(app).dispose()


def test_refused_tokens_are_counted_per_address_and_minute_not_stored_one_by_one(client, make_token, db_events):
    for n in range(40):
        assert client.get("/api/v1/whoami", headers={"Authorization": f"Bearer lb_guess-{n}"}).status_code == 401
    client.get("/api/v1/whoami")  # no token at all: the same address, the same minute
    events = db_events("token_refused")
    assert len(events) <= 2  # one per minute: two if the minute turned during the test
    assert sum(event.detail["count"] for event in events) == 41
    assert {event.detail["remote_addr"] for event in events} == {"127.0.0.1"}
    assert "lb_guess" not in str([event.detail for event in events])


def test_webhooks_have_a_limit_of_their_own(sandbox, database_url):
    app = limited_app(sandbox, database_url, RATE_LIMIT="3 per minute", WEBHOOK_RATE_LIMIT="4 per minute")
    client = app.test_client()
    for _ in range(4):
        client.get("/api/v1/whoami")  # the address's API budget spent
    assert client.get("/api/v1/whoami").status_code == 429
    webhook = [client.post("/api/v1/webhooks/starshipit", json={}).status_code for _ in range(5)]
    assert webhook == [403] * 4 + [429]  # switched off (no secret), but counted: on its own budget
    get_database(app).dispose()


def test_behind_trusted_proxies_limits_and_audit_see_the_real_client(sandbox, database_url):
    app = limited_app(sandbox, database_url, RATE_LIMIT="2 per minute", TRUSTED_PROXIES=1)
    client = app.test_client()

    def guess(client_address: str) -> int:
        headers = {"Authorization": "Bearer lb_guess", "X-Forwarded-For": client_address}
        return client.get("/api/v1/whoami", headers=headers).status_code

    assert [guess("203.0.113.7") for _ in range(3)] == [401, 401, 429]
    assert guess("198.51.100.9") == 401  # another client behind the same load balancer: its own budget
    with get_database(app).sessions() as session:
        from sqlalchemy import select

        from server.models import OrderEvent

        addresses = {
            e.detail["remote_addr"]
            for e in session.scalars(select(OrderEvent).where(OrderEvent.kind == "token_refused"))
        }
    assert addresses == {"203.0.113.7", "198.51.100.9"}
    get_database(app).dispose()


def test_without_trusted_proxies_a_forwarded_for_header_is_ignored(sandbox, database_url):
    """Anyone can send X-Forwarded-For: unless a proxy is trusted, it does not pick the budget."""
    app = limited_app(sandbox, database_url, RATE_LIMIT="2 per minute")
    client = app.test_client()
    statuses = [
        client.get("/api/v1/whoami", headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code for n in range(3)
    ]
    assert statuses == [401, 401, 429]
    get_database(app).dispose()
