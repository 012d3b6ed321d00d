"""Admin routes: a packer token is refused before its body is read, and every change to accounts,
routes and printers is in the audit log (GET /events), with who made it, once it has been made."""

from __future__ import annotations

import pytest


@pytest.fixture
def admin(make_token) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_token('admin-1', role='admin')}"}


def events(client, admin, kind: str) -> list[dict]:
    response = client.get(f"/api/v1/events?kind={kind}", headers=admin)
    assert response.status_code == 200, response.get_json()
    return [(event["actor"], event["detail"]) for event in response.get_json()["events"]]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("PUT", "/api/v1/settings"),
        ("PUT", "/api/v1/accounts/starshipit/acme"),
        ("PUT", "/api/v1/routes"),
        ("POST", "/api/v1/printers"),
        ("POST", "/api/v1/enrollments"),
    ],
)
def test_a_packer_gets_403_even_for_an_invalid_body(client, auth, method, path):
    response = client.open(path, method=method, json={"not_a_field": True}, headers=auth)
    assert response.status_code == 403
    assert response.get_json()["code"] == "forbidden"


def test_printer_changes_are_audited_with_their_fields(client, admin):
    added = client.post(
        "/api/v1/printers", json={"name": "bench-9", "host": "10.0.0.5", "language": "pdf"}, headers=admin
    )
    assert added.status_code == 201, added.get_json()
    assert added.get_json()["name"] == "bench-9"
    changed = client.put("/api/v1/printers/bench-9", json={"dpi": 300}, headers=admin)
    assert changed.status_code == 200 and changed.get_json()["dpi"] == 300
    assert client.delete("/api/v1/printers/bench-9", headers=admin).status_code == 204
    assert events(client, admin, "printer_saved") == [
        ("admin-1", {"name": "bench-9", "host": "10.0.0.5", "language": "pdf", "port": 9100, "dpi": 203}),
        ("admin-1", {"name": "bench-9", "dpi": 300}),
    ]
    assert events(client, admin, "printer_removed") == [("admin-1", {"name": "bench-9"})]


def test_a_change_that_fails_is_not_audited(client, admin):
    assert client.put("/api/v1/printers/nowhere", json={"dpi": 300}, headers=admin).status_code == 404
    assert client.delete("/api/v1/accounts/starshipit/nobody", headers=admin).status_code == 404
    assert events(client, admin, "printer_saved") == []
    assert events(client, admin, "account_deleted") == []


def test_account_and_route_changes_are_audited_without_their_secrets(client, admin):
    keys = {"api_key": "key-0123456789", "subscription_key": "sub-0123456789"}
    saved = client.put("/api/v1/accounts/starshipit/acme", json=keys, headers=admin)
    assert saved.status_code == 200
    assert "acme" in [account["name"] for account in saved.get_json()["starshipit"]]
    route = {"match_field": "customer_code", "match_value": "ACME", "account": "acme"}
    assert client.put("/api/v1/routes", json=route, headers=admin).get_json()["routes"] == [route]
    assert client.delete("/api/v1/accounts/starshipit/acme", headers=admin).status_code == 200
    assert events(client, admin, "account_saved") == [
        ("admin-1", {"account": "acme", "changed": ["api_key", "subscription_key"]})
    ]
    assert events(client, admin, "route_saved") == [("admin-1", route)]
    assert events(client, admin, "account_deleted") == [("admin-1", {"account": "acme"})]
