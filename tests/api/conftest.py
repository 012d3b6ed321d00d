"""Fixtures the API tests share."""

from __future__ import annotations

import pytest


@pytest.fixture
def admin(make_token) -> dict[str, str]:
    """An admin token's header (the office's), for the supervisor-or-admin actions."""
    return {"Authorization": f"Bearer {make_token('office', role='admin')}"}
