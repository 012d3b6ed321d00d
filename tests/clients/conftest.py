"""Fixtures for the upstream client tests: fake time, mocked HTTP, and clients wired to both."""

from __future__ import annotations

import pytest
import responses

from server.cartoncloud.client import CartonCloudClient
from server.starshipit.client import StarshipitClient

from .support import FakeTime, add_token, make_cartoncloud, make_starshipit


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def http():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


@pytest.fixture
def starshipit(fake_time: FakeTime) -> StarshipitClient:
    return make_starshipit(fake_time)


@pytest.fixture
def cartoncloud(fake_time: FakeTime) -> CartonCloudClient:
    return make_cartoncloud(fake_time)


@pytest.fixture
def cc_token(http: responses.RequestsMock) -> None:
    """CartonCloud hands out one token."""
    add_token(http)
