"""What each process keeps (server/cache.py): token checks for TOKEN_CACHE_SECONDS at most, the
saved settings and accounts until any process changes them (seen within CACHE_CHECK_SECONDS).

"Another process" is a write that does not go through this process's sessions: a plain SQL
connection, as another gunicorn worker's commit looks from here. The clock the caches read is
the test's, so the bounds are checked exactly, not by waiting."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import text

from server import tokens
from server.cache import STAMP_KEY
from server.db import get_database
from server.models import utcnow
from server.tokens import hash_token


@pytest.fixture
def clock(monkeypatch):
    """The monotonic clock the caches read; ``clock.now += seconds`` moves it."""

    class Clock:
        now = 1_000.0

        def __call__(self) -> float:
            return self.now

    fake = Clock()
    monkeypatch.setattr("server.cache.time.monotonic", fake)
    return fake


def elsewhere(app, sql: str, **values) -> None:
    """A write by another process: straight to the database, past this process's sessions."""
    with get_database(app).engine.begin() as connection:
        connection.execute(text(sql), values)


def whoami(client, token: str) -> int:
    return client.get("/api/v1/whoami", headers={"Authorization": f"Bearer {token}"}).status_code


def test_a_token_revoked_here_stops_working_at_once(app, client, make_token, clock):
    token = make_token("bench-7")
    assert whoami(client, token) == 200
    with get_database(app).sessions() as session:
        tokens.revoke_token(session, "bench-7")
    assert whoami(client, token) == 401


def test_a_token_revoked_by_another_process_stops_working_within_the_token_time(app, client, make_token, clock):
    app.config["TOKEN_CACHE_SECONDS"] = 5.0
    token = make_token("bench-8")
    assert whoami(client, token) == 200
    elsewhere(app, "UPDATE api_tokens SET revoked_at = CURRENT_TIMESTAMP WHERE name = 'bench-8'")
    clock.now += 4.9
    assert whoami(client, token) == 200  # still kept: the documented bound
    clock.now += 0.2
    assert whoami(client, token) == 401


def test_an_expired_token_stops_at_its_expiry_even_when_kept(client, make_token, clock, monkeypatch):
    token = make_token("bench-9", expires_at=utcnow() + timedelta(minutes=1))
    assert whoami(client, token) == 200
    monkeypatch.setattr("server.api.auth.utcnow", lambda: utcnow() + timedelta(minutes=2))
    assert whoami(client, token) == 401  # the kept check knows its expiry


def test_made_up_tokens_are_not_kept(app, client, clock):
    cache = app.extensions["labelbridge.cache"]
    for _ in range(20):
        assert whoami(client, "lb_" + uuid.uuid4().hex) == 401
    assert cache._timed == {}


def test_a_check_past_its_time_is_dropped_when_another_is_kept(app, client, make_token, clock):
    cache = app.extensions["labelbridge.cache"]
    first, second = make_token("bench-10"), make_token("bench-11")
    assert whoami(client, first) == 200
    clock.now += 5.1
    assert whoami(client, second) == 200
    assert [hash_token(second)] == [digest for _kind, digest in cache._timed]


def test_settings_saved_by_another_process_apply_within_the_check_time(app, clock, print_label):
    app.config["CACHE_CHECK_SECONDS"] = 1.0
    print_label(customer_reference="SO-10045")  # the settings are read, and kept
    runtime = app.extensions["labelbridge.cache"]
    assert runtime._stamped["settings"].get("writeback_mode") is None
    elsewhere(
        app,
        "INSERT INTO settings (key, value, updated_at, updated_by) VALUES "
        "('writeback_mode', '\"none\"', CURRENT_TIMESTAMP, 'another process'), "
        f"('{STAMP_KEY}', '\"moved\"', CURRENT_TIMESTAMP, NULL)",
    )
    clock.now += 0.5
    print_label(customer_reference="SO-10045")
    assert runtime._stamped["settings"].get("writeback_mode") is None  # not asked again yet
    clock.now += 0.6
    reprint = print_label(customer_reference="SO-10045")
    assert reprint.get_json()["writeback"] == "queued"  # the label's job, made before the change
    assert runtime._stamped["settings"]["writeback_mode"] == "none"


def test_settings_saved_here_apply_to_the_next_request(client, make_token, clock, print_label):
    headers = {"Authorization": f"Bearer {make_token('office', role='admin')}"}
    assert print_label(customer_reference="SO-10045").get_json()["writeback"] == "queued"  # settings kept
    assert client.put("/api/v1/settings", json={"writeback_mode": "none"}, headers=headers).status_code == 200
    assert print_label(customer_reference="SO-10046").get_json()["writeback"] == "disabled"


def test_workstation_preferences_saved_here_apply_to_the_next_print(client, auth, clock, print_label):
    assert print_label(customer_reference="SO-10045").get_json()["label"]["layout"] == "original"  # kept
    assert client.put("/api/v1/workstation", json={"label_layout": "a4"}, headers=auth).status_code == 200
    assert print_label(customer_reference="SO-10045").get_json()["label"]["layout"] == "a4"


def test_workstation_preferences_saved_by_another_process_apply_within_the_check_time(app, clock, print_label):
    app.config["CACHE_CHECK_SECONDS"] = 1.0
    assert print_label(customer_reference="SO-10045").get_json()["label"]["layout"] == "original"  # kept
    elsewhere(app, "UPDATE api_tokens SET label_layout = 'a4' WHERE name = 'bench-1'")
    elsewhere(
        app, f"INSERT INTO settings (key, value, updated_at) VALUES ('{STAMP_KEY}', '\"moved\"', CURRENT_TIMESTAMP)"
    )
    clock.now += 0.5
    assert print_label(customer_reference="SO-10045").get_json()["label"]["layout"] == "original"  # not asked again
    clock.now += 0.6
    assert print_label(customer_reference="SO-10045").get_json()["label"]["layout"] == "a4"


def test_a_removed_printer_is_not_printed_to_again(client, make_token, auth, clock, print_label):
    admin = {"Authorization": f"Bearer {make_token('office', role='admin')}"}
    printer = {"name": "dock-1", "host": "192.0.2.10", "port": 9100, "language": "pdf"}
    assert client.post("/api/v1/printers", json=printer, headers=admin).status_code == 201
    assert client.put("/api/v1/workstation", json={"printer": "dock-1"}, headers=auth).status_code == 200
    to_the_browser = {"sale_order": {"customer_reference": "SO-10045"}, "printer": None}
    assert client.post("/api/v1/labels", json=to_the_browser, headers=auth).status_code == 201  # preferences kept
    assert client.delete("/api/v1/printers/dock-1", headers=admin).status_code == 204
    assert print_label(customer_reference="SO-10045").get_json()["printer"] is None
