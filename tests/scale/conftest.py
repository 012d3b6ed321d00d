"""Fixtures of the scale suites: the backend's processes on PostgreSQL (what runs at scale)."""
from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, text

from .stack import Backend


@pytest.fixture
def postgres_url() -> str:
    """The PostgreSQL database with an empty schema; skips when LABELBRIDGE_TEST_POSTGRES_URL is unset."""
    url = os.environ.get("LABELBRIDGE_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("LABELBRIDGE_TEST_POSTGRES_URL is not set")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture
def backend_on(sandbox, tmp_path):
    """``backend_on(database_url, **settings)``: a Backend whose processes are stopped afterwards."""
    made: list[Backend] = []

    def make(database_url: str, **settings) -> Backend:
        backend = Backend(database_url, sandbox, tmp_path / "instance", **settings)
        made.append(backend)
        return backend

    yield make
    for backend in made:
        backend.stop()
