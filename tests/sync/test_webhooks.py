"""Webhooks: authenticated by their own secret, answered at once, work queued, duplicates and
out-of-order deliveries harmless, errors in the one JSON shape."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import timedelta

import pytest

from server.clients import get_upstreams
from server.db import get_database
from server.models import utcnow
from server.sync.runner import SyncRunner

from .conftest import WEBHOOK_SECRET, post_tracking, starshipit_numbers

CARTONCLOUD = "/api/v1/webhooks/cartoncloud"
STARSHIPIT = "/api/v1/webhooks/starshipit"


def deliver(client, sale_order: dict, secret: str = WEBHOOK_SECRET):
    return client.post(CARTONCLOUD, json=sale_order, headers={"X-Labelbridge-Secret": secret})


def test_the_cartoncloud_webhook_takes_its_secret_in_a_header(client, webhook_secret, new_sale_orders):
    (sale_order,) = new_sale_orders(1)
    response = client.post(CARTONCLOUD, json=sale_order, headers={"X-Labelbridge-Secret": webhook_secret})
    assert response.status_code == 202
    assert response.get_json() == {"queued": True, "duplicate": False}


@pytest.mark.parametrize("how", ["query", "path"])
def test_a_cartoncloud_webhook_secret_in_the_url_is_refused_and_never_logged(
    app, live_backend, webhook_secret, new_sale_orders, db, caplog, how
):
    """In a URL the secret would be written in every access log on the way (labelbridge's own
    werkzeug or gunicorn log, and any proxy's), so only the header counts."""
    import logging

    import requests

    caplog.set_level(logging.INFO)
    (sale_order,) = new_sale_orders(1)
    url = {"query": f"{CARTONCLOUD}?secret={webhook_secret}", "path": f"{CARTONCLOUD}/{webhook_secret}"}[how]
    response = requests.post(live_backend.url + url, json=sale_order, timeout=10)
    assert response.status_code == {"query": 401, "path": 404}[how]
    assert db.inbox() == []
    assert "webhooks/cartoncloud" in caplog.text  # the request line was logged ...
    assert webhook_secret not in caplog.text  # ... without the secret


@pytest.mark.parametrize(
    ("configured", "presented", "status", "code"),
    [
        (None, WEBHOOK_SECRET, 403, "webhook_disabled"),
        (WEBHOOK_SECRET, None, 401, "unauthorized"),
        (WEBHOOK_SECRET, "not-the-secret-at-all", 401, "unauthorized"),
        (WEBHOOK_SECRET, WEBHOOK_SECRET + "x", 401, "unauthorized"),
    ],
)
def test_the_cartoncloud_webhook_refuses_a_missing_or_wrong_secret(
    app, client, new_sale_orders, db, configured, presented, status, code
):
    app.config["CARTONCLOUD_WEBHOOK_SECRET"] = configured
    (sale_order,) = new_sale_orders(1)
    headers = {"X-Labelbridge-Secret": presented} if presented else {}
    response = client.post(CARTONCLOUD, json=sale_order, headers=headers)
    assert response.status_code == status
    assert response.get_json()["code"] == code and response.get_json()["status"] == status
    assert db.inbox() == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "PACKED"}, "id"),
        ({"id": "x"}, "status"),
        ({"id": "x", "status": "PACKED", "version": "7"}, "version"),
    ],
)
def test_an_invalid_sale_order_body_is_refused_field_by_field(client, webhook_secret, body, field):
    response = deliver(client, body)
    assert response.status_code == 422
    assert response.get_json()["code"] == "validation_error" and field in response.get_json()["errors"]


def test_another_entity_type_is_acknowledged_and_ignored(client, webhook_secret, db):
    response = deliver(client, {"id": "c-1", "status": "AWAITING_DISPATCH", "type": "CONSIGNMENT"})
    assert response.status_code == 202 and response.get_json()["queued"] is False
    assert db.inbox() == []


def test_duplicate_webhooks_queue_one_event_and_create_one_order(
    client, webhook_secret, sandbox, new_sale_orders, runner, db
):
    (sale_order,) = new_sale_orders(1)
    answers = [deliver(client, sale_order).get_json() for _ in range(3)]
    assert [answer["duplicate"] for answer in answers] == [False, True, True]
    assert len(db.inbox()) == 1
    runner.run_once()
    runner.run_once()
    assert starshipit_numbers(sandbox) == [sale_order["references"]["customer"]]
    (event,) = db.inbox()
    assert event.state == "done" and event.outcome == "created"


def test_an_older_delivery_arriving_after_a_newer_one_changes_nothing(
    client, webhook_secret, sandbox, new_sale_orders, runner, db
):
    (packed,) = new_sale_orders(1)
    rejected = sandbox.state.set_sale_order_status(packed["id"], "REJECTED")
    deliver(client, rejected)
    runner.run_once()
    deliver(client, packed)  # the older version, delivered late
    runner.run_once()
    assert sandbox.state.starshipit_orders() == []
    assert db.record(packed["id"]).status == "REJECTED"
    assert [event.outcome for event in db.inbox()] == ["not at a trigger status", "older_than_known"]


def test_webhook_deliveries_are_transferred_fifty_to_an_import(
    client, webhook_secret, sandbox, new_sale_orders, runner
):
    for sale_order in new_sale_orders(120):
        assert deliver(client, sale_order).status_code == 202
    assert runner.run_once().created == 120
    assert sandbox.state.counters.snapshot()["starshipit"]["POST /api/orders/import"] == 3


def sign(body: bytes, secret: str, encoding: str) -> str:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return digest.hex() if encoding == "hex" else base64.b64encode(digest).decode()


TRACKING = {
    "order_number": "AUTO-1",
    "carrier_name": "Australia Post",
    "carrier_service": "Parcel Post",
    "shipment_date": "2025-06-22T01:00:00Z",
    "tracking_number": "33XYZ0001",
    "tracking_status": "InTransit",
    "last_updated_date": "2025-06-22T03:00:00Z",
}


@pytest.mark.parametrize(
    ("scheme", "signature", "status"),
    [
        ("hmac-sha256", "hex", 200),
        ("hmac-sha256", "base64", 200),
        ("hmac-sha256", "sha256=hex", 200),
        ("hmac-sha256-hex", "hex", 200),
        ("hmac-sha256-hex", "base64", 401),
        ("hmac-sha256-base64", "base64", 200),
        ("hmac-sha256-base64", "hex", 401),
        ("secret", "secret", 200),
        ("hmac-sha256", "wrong secret", 401),
        ("hmac-sha256", None, 401),
    ],
)
def test_the_tracking_webhook_checks_the_signature_of_the_raw_body(app, client, db, scheme, signature, status):
    secret = "starshipit-secret"
    app.config.update(STARSHIPIT_WEBHOOK_SECRET=secret, STARSHIPIT_SIGNATURE_SCHEME=scheme)
    body = json.dumps(TRACKING).encode()
    header = {
        "hex": sign(body, secret, "hex"),
        "base64": sign(body, secret, "base64"),
        "sha256=hex": "sha256=" + sign(body, secret, "hex"),
        "secret": secret,
        "wrong secret": sign(body, "another secret", "hex"),
        None: None,
    }[signature]
    headers = {"Content-Type": "application/json", **({"X-Starshipit-Signature": header} if header else {})}
    response = client.post(STARSHIPIT, data=body, headers=headers)
    assert response.status_code == status
    assert len(db.inbox()) == (1 if status == 200 else 0)


def test_without_a_secret_the_tracking_webhook_is_switched_off(client, db):
    response = client.post(STARSHIPIT, json=TRACKING)
    assert response.status_code == 403 and response.get_json()["code"] == "webhook_disabled"
    assert "LABELBRIDGE_STARSHIPIT_WEBHOOK_SECRET" in response.get_json()["message"]
    assert db.inbox() == []


def test_unsigned_tracking_webhooks_are_accepted_only_when_explicitly_insecure(app, client, db):
    app.config["STARSHIPIT_WEBHOOK_INSECURE"] = True
    assert client.post(STARSHIPIT, json=TRACKING).status_code == 200
    (event,) = db.inbox()
    assert event.source == "starshipit" and event.payload["tracking_numbers"] == ["33XYZ0001"]


def test_insecure_tracking_webhooks_are_warned_about_at_start_up(sandbox, database_url, caplog):
    from server import create_app
    from server.demo import sandbox_config

    secure = create_app({**sandbox_config(sandbox), "DATABASE_URL": database_url})
    get_database(secure).dispose()
    assert "STARSHIPIT_WEBHOOK_INSECURE" not in caplog.text
    app = create_app({**sandbox_config(sandbox), "DATABASE_URL": database_url, "STARSHIPIT_WEBHOOK_INSECURE": "true"})
    get_database(app).dispose()
    assert app.config["STARSHIPIT_WEBHOOK_INSECURE"] is True
    (warning,) = [r for r in caplog.records if "STARSHIPIT_WEBHOOK_INSECURE" in r.getMessage()]
    assert warning.levelname == "WARNING" and "unsigned" in warning.getMessage()


def test_a_replayed_tracking_webhook_is_dropped(client, starshipit_secret, db):
    answers = [post_tracking(client, TRACKING).get_json() for _ in range(2)]
    later = post_tracking(client, {**TRACKING, "tracking_status": "Delivered"}).get_json()
    assert [a["duplicate"] for a in answers] == [False, True] and later["duplicate"] is False
    assert len(db.inbox()) == 2


def test_a_tracking_webhook_without_a_tracking_number_is_refused(client, starshipit_secret):
    response = post_tracking(client, {k: v for k, v in TRACKING.items() if k != "tracking_number"})
    assert response.status_code == 422 and "tracking_number" in response.get_json()["errors"]


def test_the_webhooks_need_no_bearer_token_but_the_status_does(client, webhook_secret, starshipit_secret):
    assert post_tracking(client, TRACKING).status_code == 200
    assert client.get("/api/v1/sync/status").status_code == 401


def test_done_events_are_forgotten_after_two_weeks(app, client, starshipit_secret, runner, db):
    post_tracking(client, TRACKING)
    runner.run_once()
    assert [event.state for event in db.inbox()] == ["done"]
    later = SyncRunner(
        get_database(app).sessions, get_upstreams(app), app.config, clock=lambda: utcnow() + timedelta(days=15)
    )
    later.run_once()
    assert db.inbox() == []


def test_an_order_number_already_imported_in_the_pass_is_not_imported_again(
    client, webhook_secret, sandbox, new_sale_orders, runner
):
    sale_orders = new_sale_orders(51)
    first, last = sale_orders[0], sale_orders[-1]
    # The 51st, in the next import, has the first one's number (a second sale order with it).
    twin = {**last, "references": {**last["references"], "customer": first["references"]["customer"]}}
    for sale_order in [*sale_orders[:-1], twin]:
        deliver(client, sale_order)
    summary = runner.run_once()
    assert summary.created == 50 and summary.skipped["order_number_shared"] == 1
    assert starshipit_numbers(sandbox).count(first["references"]["customer"]) == 1
