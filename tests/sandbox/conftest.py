"""Fixtures for the simulators' tests: the sandbox app on a clock the tests move by hand."""

from datetime import UTC, datetime

import pytest

from server.sandbox import create_sandbox_app, credentials

from .helpers import issue_token

ANCHOR = datetime(2025, 6, 20, 0, 0, tzinfo=UTC)


class ManualClock:
    """Epoch seconds that only move when a test says so."""

    def __init__(self, start: float):
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(ANCHOR.timestamp())


@pytest.fixture
def sandbox_config(clock) -> dict:
    """Settings for the app under test; tests may add to it before `sandbox_app` is built."""
    return {"SANDBOX_CLOCK": clock, "SANDBOX_SEED_ANCHOR": ANCHOR}


@pytest.fixture
def sandbox_app(sandbox_config):
    return create_sandbox_app(sandbox_config)


@pytest.fixture
def state(sandbox_app):
    return sandbox_app.extensions["sandbox"]


@pytest.fixture
def api(sandbox_app):
    return sandbox_app.test_client()


@pytest.fixture
def starshipit_headers() -> dict:
    return {
        "StarShipIT-Api-Key": credentials.STARSHIPIT_API_KEY,
        "Ocp-Apim-Subscription-Key": credentials.STARSHIPIT_SUBSCRIPTION_KEY,
    }


@pytest.fixture
def starshipit_as(api):
    """`starshipit_as(api_key, subscription_key)`: a caller like `starshipit`, with those keys."""

    def caller(api_key: str, subscription_key: str):
        headers = {"StarShipIT-Api-Key": api_key, "Ocp-Apim-Subscription-Key": subscription_key}

        def call(method: str, path: str, **kwargs):
            return api.open(f"/starshipit{path}", method=method.upper(), headers=headers, **kwargs)

        return call

    return caller


@pytest.fixture
def starshipit(starshipit_as, starshipit_headers):
    """Calls to the simulated Starshipit with the demo keys: `starshipit("post", "/api/orders", json=...)`."""
    return starshipit_as(starshipit_headers["StarShipIT-Api-Key"], starshipit_headers["Ocp-Apim-Subscription-Key"])


@pytest.fixture
def cartoncloud_token(api) -> str:
    return issue_token(api)


@pytest.fixture
def cartoncloud(api, cartoncloud_token):
    """Calls under the demo tenant: `cartoncloud("post", "/outbound-orders/search", json=...)`.

    Paths starting with "/uaa" or "/tenants" are used as they are.
    """

    def call(method: str, path: str, headers: dict | None = None, **kwargs):
        if not path.startswith(("/uaa", "/tenants")):
            path = f"/tenants/{credentials.CARTONCLOUD_TENANT_ID}{path}"
        sent = {"Accept-Version": "1", "Authorization": f"Bearer {cartoncloud_token}", **(headers or {})}
        return api.open(f"/cartoncloud{path}", method=method.upper(), headers=sent, **kwargs)

    return call
