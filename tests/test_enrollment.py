"""Enrollment codes: made by command or by an admin, exchanged once for the bench's token, with a
clear answer for a used, expired or wrong code, tries limited per address, and only hashes stored."""

import re
import threading
from datetime import timedelta
from urllib.parse import unquote

import pytest
import requests
from click.testing import CliRunner
from sqlalchemy import select

from server import create_app, enrollment
from server.cli import main
from server.db import get_database
from server.demo import sandbox_config
from server.models import EnrollmentCode, OrderEvent, utcnow

CODE = re.compile(r"^[2-9A-HJKMNP-TV-Z]{3}-[2-9A-HJKMNP-TV-Z]{3}-[2-9A-HJKMNP-TV-Z]{3}$")


@pytest.fixture
def admin(make_token) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_token('it-admin', 'admin')}"}


def make_code(client, admin, **body) -> dict:
    response = client.post("/api/v1/enrollments", json={"name": "bench-3", **body}, headers=admin)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def exchange(client, code: str, address: str = "10.0.0.7"):
    return client.post("/api/v1/enroll", json={"code": code}, environ_base={"REMOTE_ADDR": address})


def events(app, kind: str) -> list[OrderEvent]:
    with get_database(app).sessions() as session:
        return list(session.scalars(select(OrderEvent).where(OrderEvent.kind == kind).order_by(OrderEvent.id)))


def test_a_code_becomes_the_benchs_token_once(app, client, admin):
    made = make_code(client, admin)
    assert CODE.match(made["code"]) and made["name"] == "bench-3" and made["role"] == "packer"
    enrolled = exchange(client, made["code"].lower().replace("-", " "))  # as typed at a bench
    assert enrolled.status_code == 200, enrolled.get_json()
    body = enrolled.get_json()
    assert body["name"] == "bench-3" and body["role"] == "packer" and body["token"].startswith("lb_")
    whoami = client.get("/api/v1/whoami", headers={"Authorization": f"Bearer {body['token']}"})
    assert whoami.get_json() == {"token": {"name": "bench-3"}}

    again = exchange(client, made["code"])
    assert again.status_code == 409
    assert again.get_json()["code"] == "enrollment_code_used"
    assert "already been used" in again.get_json()["message"]


def test_expired_wrong_and_malformed_codes_get_their_own_message(app, client):
    with get_database(app).sessions() as session:
        old = enrollment.create_enrollment(session, "bench-9", now=utcnow() - timedelta(hours=1))
    expired = exchange(client, old.code)
    assert (expired.status_code, expired.get_json()["code"]) == (409, "enrollment_code_expired")
    assert "expired at" in expired.get_json()["message"]

    wrong = exchange(client, "222-222-222")
    assert (wrong.status_code, wrong.get_json()["code"]) == (404, "enrollment_code_unknown")
    assert "not right" in wrong.get_json()["message"]

    malformed = exchange(client, "7KQ-4MD")
    assert malformed.status_code == 422
    assert malformed.get_json()["errors"] == {"code": ["A code is 9 letters and digits, like 7KQ-4MD-92X."]}


def test_only_the_hash_is_stored_and_neither_code_nor_token_is_audited(app, client, admin):
    made = make_code(client, admin)
    token = exchange(client, made["code"]).get_json()["token"]
    exchange(client, made["code"], address="10.0.0.8")
    with get_database(app).sessions() as session:
        stored = session.scalar(select(EnrollmentCode))
        assert stored.code_hash == enrollment.hash_code(made["code"]) and stored.used_at is not None
        details = [repr(event.detail) for event in session.scalars(select(OrderEvent))]
    normalized = made["code"].replace("-", "")
    assert not any(secret in detail for detail in details for secret in (made["code"], normalized, token))
    used, refused = events(app, "enrollment_used"), events(app, "enrollment_refused")
    assert [(e.actor, e.detail["remote_addr"]) for e in used] == [("bench-3", "10.0.0.7")]
    assert [(e.detail["reason"], e.detail["remote_addr"]) for e in refused] == [("code already used", "10.0.0.8")]
    assert [e.actor for e in events(app, "enrollment_created")] == ["it-admin"]


def test_tries_are_limited_per_address(sandbox, database_url):
    app = create_app(
        {**sandbox_config(sandbox), "DATABASE_URL": database_url, "TESTING": True, "ENROLL_RATE_LIMIT": "3 per minute"}
    )
    get_database(app).upgrade()
    client = app.test_client()
    try:
        assert [exchange(client, "222-222-222").status_code for _ in range(3)] == [404, 404, 404]
        limited = exchange(client, "222-222-222")
        assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
        assert "Too many enrollment codes" in limited.get_json()["message"]
        assert exchange(client, "222-222-222", address="10.0.0.99").status_code == 404  # another bench
    finally:
        get_database(app).dispose()


def test_a_new_code_replaces_the_unused_one_and_a_taken_name_is_refused(client, admin, make_token):
    first = make_code(client, admin)
    second = make_code(client, admin)
    assert exchange(client, first["code"]).status_code == 404
    assert exchange(client, second["code"]).status_code == 200
    taken = client.post("/api/v1/enrollments", json={"name": "bench-3"}, headers=admin)
    assert (taken.status_code, taken.get_json()["code"]) == (409, "token_name_taken")


@pytest.mark.parametrize(
    "body, field",
    [
        ({"name": ""}, "name"),
        ({"name": "bench-4", "role": "owner"}, "role"),
        ({"name": "bench-4", "expires_in_minutes": 0}, "expires_in_minutes"),
        ({"name": "bench-4", "expires_in_minutes": 1441}, "expires_in_minutes"),
    ],
)
def test_bad_enrollment_requests_name_the_field(client, admin, body, field):
    response = client.post("/api/v1/enrollments", json=body, headers=admin)
    assert response.status_code == 422 and field in response.get_json()["errors"]


def test_a_packer_cannot_make_codes(client, auth):
    response = client.post("/api/v1/enrollments", json={"name": "bench-5"}, headers=auth)
    assert response.status_code == 403


def test_two_benches_racing_one_code_get_one_token(app, live_backend, admin):
    made = make_code(app.test_client(), admin)
    answers, start = [], threading.Barrier(4)

    def race():
        start.wait()
        answers.append(requests.post(f"{live_backend.url}/api/v1/enroll", json={"code": made["code"]}, timeout=30))

    threads = [threading.Thread(target=race) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answer.status_code for answer in answers) == [200, 409, 409, 409]


def test_cli_prints_the_code_and_a_link_to_the_popup(app, client, monkeypatch):
    monkeypatch.setenv("LABELBRIDGE_DATABASE_URL", get_database(app).url)
    monkeypatch.setenv("LABELBRIDGE_PUBLIC_URL", "https://labels.example.com")
    result = CliRunner().invoke(
        main, ["token", "enroll", "bench-7", "--expires-in-minutes", "10"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    code, link = result.stdout.splitlines()
    assert CODE.match(code)
    assert link.startswith("chrome-extension://gemklbolcljbkdoodipaiednkjlmeckh/src/popup/popup.html#enroll=")
    assert unquote(link).endswith(f"enroll={code}&backend=https://labels.example.com")
    assert "works once" in result.stderr
    assert exchange(client, code).get_json()["name"] == "bench-7"
    duplicate = CliRunner().invoke(main, ["token", "enroll", "bench-7"])
    assert duplicate.exit_code == 1 and "already exists" in duplicate.stderr
