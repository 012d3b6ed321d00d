"""Starshipit refusing the keys — HTTP 401 or 403, said in the status or only in the body's
``statusCode`` — reads the same everywhere a person sees it: the connection test, a print and
the worker's record of a failed poll."""

from __future__ import annotations

import pytest

from server.clients import get_upstreams
from server.db import get_database
from server.models import SyncCursor
from server.sync.runner import SyncRunner

KEYS_REFUSED = "Starshipit refused the API key or subscription key"
REFUSALS = {
    "401 from the gateway": {"status": 401},
    "403 from the gateway": {"status": 403},
    "403 only in the body": {"status": 400, "body": {"statusCode": 403, "message": "Forbidden"}},
}


@pytest.fixture(params=REFUSALS.values(), ids=REFUSALS.keys())
def keys_refused(request, sandbox):
    """Every Starshipit call refused, in one of the shapes bad keys come back in."""
    sandbox.state.add_fault(service="starshipit", path="/api/*", **request.param)


def test_the_connection_test_says_so(client, auth, keys_refused):
    body = client.post("/api/v1/connection-test", headers=auth).get_json()
    (starshipit,) = [check for check in body["checks"] if check["name"].startswith("Starshipit")]
    assert starshipit == {
        "name": starshipit["name"],
        "ok": False,
        "message": f"{KEYS_REFUSED}: check them in the settings.",
    }


def test_a_print_says_so(print_label, keys_refused):
    response = print_label(customer_reference="SO-10045")
    assert response.status_code == 502
    assert response.get_json()["message"].startswith(f"{KEYS_REFUSED} while ")


def test_the_worker_says_so(app, keys_refused):
    runner = SyncRunner(get_database(app).sessions, get_upstreams(app), app.config, name="runner-1")
    summary = runner.run_once(force=True)
    with get_database(app).sessions() as session:
        cursor = session.get(SyncCursor, "starshipit.environment")
    assert KEYS_REFUSED in cursor.last_error
    assert any(KEYS_REFUSED in error for error in summary.to_dict()["errors"])
