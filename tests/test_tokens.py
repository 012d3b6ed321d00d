"""Tokens: created by command, shown once, stored as a hash, required on every route but health."""

import hashlib

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from server.cli import main
from server.db import get_database
from server.models import ApiToken


@pytest.fixture
def cli(app, monkeypatch):
    monkeypatch.setenv("LABELBRIDGE_DATABASE_URL", get_database(app).url)
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(main, list(args), catch_exceptions=False)

    return run


def test_create_prints_only_the_token_and_stores_only_its_hash(app, cli):
    result = cli("token", "create", "bench-1")
    assert result.exit_code == 0
    token = result.stdout.strip()
    assert token.startswith("lb_") and "\n" not in token and len(token) > 40
    with get_database(app).sessions() as session:
        stored = session.scalar(select(ApiToken).where(ApiToken.name == "bench-1"))
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {stored.token_hash, stored.name}


def test_token_works_until_revoked(app, client, cli):
    token = cli("token", "create", "bench-2").stdout.strip()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/whoami", headers=headers).get_json() == {"token": {"name": "bench-2"}}
    assert "bench-2\tactive" in cli("token", "list").stdout
    assert cli("token", "revoke", "bench-2").exit_code == 0
    response = client.get("/api/v1/whoami", headers=headers)
    assert response.status_code == 401
    assert response.get_json()["message"] == "The API token is not valid, has expired or has been revoked."
    assert "bench-2\trevoked" in cli("token", "list").stdout


def test_an_expired_token_is_listed_as_expired_not_active(cli, make_token):
    from datetime import timedelta

    from server.models import utcnow

    make_token("stale", expires_at=utcnow() - timedelta(minutes=1))
    make_token("fresh", expires_at=utcnow() + timedelta(days=1))
    listed = {line.split("\t")[0]: line.split("\t")[1] for line in cli("token", "list").stdout.splitlines()}
    assert listed["stale"].startswith("expired ") and listed["fresh"] == "active"


def test_duplicate_and_unknown_names_are_refused(cli):
    assert cli("token", "create", "bench-3").exit_code == 0
    duplicate = cli("token", "create", "bench-3")
    assert duplicate.exit_code == 1 and "already exists" in duplicate.stderr
    unknown = cli("token", "revoke", "nobody")
    assert unknown.exit_code == 1 and "No token named 'nobody'" in unknown.stderr


def test_health_needs_no_token(client):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer ", "Basic abc", "Bearer lb_not-a-real-token", "lb_missing-scheme"],
)
def test_every_other_route_refuses_a_missing_or_wrong_token(client, header):
    headers = {"Authorization": header} if header else {}
    for method, path in [("GET", "/api/v1/whoami"), ("POST", "/api/v1/labels"), ("GET", "/api/v1/orders/lookup")]:
        response = client.open(path, method=method, headers=headers, json={})
        assert response.status_code == 401, (method, path)
        assert response.get_json()["code"] == "unauthorized"
