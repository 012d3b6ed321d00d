"""Shared by the upstream client tests: fake credentials and time, fixture files, client builders."""

from __future__ import annotations

import json
from pathlib import Path

import responses

from server.cartoncloud.client import CartonCloudClient
from server.http.ratelimit import TokenBucket
from server.http.retry import RetryPolicy
from server.starshipit.client import StarshipitClient

FIXTURES = Path(__file__).parent / "fixtures"

STARSHIPIT_URL = "https://starshipit.test"
CARTONCLOUD_URL = "https://cartoncloud.test"
API_KEY = "ss-api-key-7f3a9c0d5e"
SUBSCRIPTION_KEY = "ss-subscription-4b8e2f6a1d"
CLIENT_ID = "labelbridge-client"
CLIENT_SECRET = "cc-secret-9d2e7a4f1b"
TENANT_ID = "6f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f"
ACCESS_TOKEN = "cc-access-token-1a2b3c4d"
SECRETS = (API_KEY, SUBSCRIPTION_KEY, CLIENT_SECRET, ACCESS_TOKEN)

TOKEN_URL = f"{CARTONCLOUD_URL}/uaa/oauth/token"
TENANT_URL = f"{CARTONCLOUD_URL}/tenants/{TENANT_ID}"

# Full jitter picks a uniform fraction of the backoff window; pinning the pick to one half makes
# every delay exact.
JITTER = 0.5
RETRY = RetryPolicy(max_attempts=3, base_delay=1.0, max_delay=10.0)


class FakeTime:
    """A monotonic clock that moves only when something sleeps on it."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def load(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


def make_starshipit(fake_time: FakeTime, rate_per_second: float = 20, **overrides) -> StarshipitClient:
    options = dict(
        retry=RETRY,
        sleep=fake_time.sleep,
        rng=lambda: JITTER,
        bucket=TokenBucket(rate_per_second, clock=fake_time.monotonic),
    )
    return StarshipitClient(STARSHIPIT_URL, API_KEY, SUBSCRIPTION_KEY, **(options | overrides))


def make_cartoncloud(fake_time: FakeTime, **overrides) -> CartonCloudClient:
    options = dict(retry=RETRY, sleep=fake_time.sleep, rng=lambda: JITTER, clock=fake_time.monotonic)
    return CartonCloudClient(CARTONCLOUD_URL, CLIENT_ID, CLIENT_SECRET, TENANT_ID, **(options | overrides))


def add_token(http: responses.RequestsMock, token: str = ACCESS_TOKEN, expires_in: int = 3600) -> None:
    http.post(TOKEN_URL, json={"access_token": token, "token_type": "bearer", "expires_in": expires_in})
