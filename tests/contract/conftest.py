"""Fixtures for the contract tests: the app of tests/conftest.py with the CartonCloud webhook
switched on (so its body is checked, not just refused), on SQLite and on PostgreSQL alike; the
OpenAPI document it serves; and the tally of schemathesis cases, printed at the end of the run."""

from __future__ import annotations

from collections import Counter

import pytest

from server import create_app
from server.db import get_database
from server.demo import sandbox_config

WEBHOOK_SECRET = "contract-tests-webhook-secret"
TALLY = pytest.StashKey[Counter]()


@pytest.fixture
def app(sandbox, database_url, instance_folder, printer_simulators):
    app = create_app(
        {
            **sandbox_config(sandbox),
            "DATABASE_URL": database_url,
            "TESTING": True,
            "CARTONCLOUD_WEBHOOK_SECRET": WEBHOOK_SECRET,
            **printer_simulators,
            "HTTP_RETRY_FIRST_SECONDS": 0.02,  # the product's retries, in less of the run's time
        }
    )
    yield app  # its database is at the head already (``database_url``)
    get_database(app).dispose()


@pytest.fixture
def document(client) -> dict:
    """The OpenAPI document, as the API serves it."""
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


@pytest.fixture
def tally(request) -> Counter:
    """Cases sent per operation label, over the whole run."""
    return request.config.stash.setdefault(TALLY, Counter())


def pytest_terminal_summary(terminalreporter, config) -> None:
    counts = config.stash.get(TALLY, None)
    if counts:
        operations = len({label.split(" @ ")[0] for label in counts})
        terminalreporter.write_line(
            f"schemathesis: {operations} operations, {sum(counts.values())} cases "
            f"({', '.join(sorted({label.split(' @ ')[1] for label in counts}))})"
        )
