"""Fixtures for the contract tests: the app of tests/conftest.py with the CartonCloud webhook
switched on (so its body is checked, not just refused), on SQLite and on PostgreSQL alike; the
OpenAPI document it serves; and the tally of schemathesis cases, printed at the end of the run."""

from __future__ import annotations

from collections import Counter

import pytest
from flask import Flask
from sqlalchemy import make_url

from server import create_app
from server.db import get_database
from server.demo import sandbox_config

from .openapi_checks import strict

WEBHOOK_SECRET = "contract-tests-webhook-secret"
TALLY = pytest.StashKey[Counter]()
# This process's OpenAPI document, and its strict copy, by database engine (``document``).
DOCUMENTS = pytest.StashKey[dict[str, dict]]()
STRICT_DOCUMENTS = pytest.StashKey[dict[str, dict]]()


def contract_app(sandbox, database_url: str, **config) -> Flask:
    """An app on the simulators and ``database_url`` (at the head already), its CartonCloud webhook on."""
    return create_app(
        {
            **sandbox_config(sandbox),
            "DATABASE_URL": database_url,
            "TESTING": True,
            "CARTONCLOUD_WEBHOOK_SECRET": WEBHOOK_SECRET,
            **config,
        }
    )


@pytest.fixture
def app(sandbox, database_url, instance_folder, printer_simulators):
    app = contract_app(
        sandbox,
        database_url,
        **printer_simulators,
        HTTP_RETRY_FIRST_SECONDS=0.02,  # the product's retries, in less of the run's time
    )
    yield app
    get_database(app).dispose()


@pytest.fixture
def document(client, database_url, request) -> dict:
    """The OpenAPI document, as the API serves it on the test's engine: read once a process for
    each engine, as it is made of the code and of settings every contract test's app shares (each
    test reading and parsing it again spent a twentieth of a second on it)."""
    documents = request.config.stash.setdefault(DOCUMENTS, {})
    engine = make_url(database_url).get_backend_name()
    if engine not in documents:
        response = client.get("/api/v1/openapi.json")
        assert response.status_code == 200
        documents[engine] = response.get_json()
    return documents[engine]


@pytest.fixture
def strict_document(document, database_url, request) -> dict:
    """The document closed to fields it does not name (``openapi_checks.strict``), made once too."""
    documents = request.config.stash.setdefault(STRICT_DOCUMENTS, {})
    engine = make_url(database_url).get_backend_name()
    if engine not in documents:
        documents[engine] = strict(document)
    return documents[engine]


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
