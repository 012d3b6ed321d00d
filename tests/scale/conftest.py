"""Fixtures of the scale suites: the backend's processes on PostgreSQL (what runs at scale)."""

from __future__ import annotations

import pytest

from .stack import Backend


@pytest.fixture
def backend_on(sandbox, tmp_path):
    """``backend_on(database_url, **settings)``: a Backend whose processes are stopped afterwards."""
    made: list[Backend] = []

    def make(database_url: str, **settings) -> Backend:
        backend = Backend(database_url, sandbox, tmp_path / "instance", log=tmp_path / "processes.log", **settings)
        made.append(backend)
        return backend

    yield make
    for backend in made:
        backend.stop()
