"""Independent clients of both APIs, replayed against the simulators over loopback.

Each replay is written from docs/*-api-notes.md and the public clients it names (a Singer tap,
Odoo's Starshipit connector, zapier-cartoncloud, a CartonCloud connector), never from
labelbridge's own clients: plain HTTP with the request shapes those clients send, asserting the
answer each of them expects. A simulator that drifts from what clients in the wild rely on
fails here even when labelbridge's own client happens to cope.
"""

from __future__ import annotations

import base64

import pytest
import requests

from server.sandbox import credentials


class Api:
    """``call(method, path, **requests_kwargs)`` on one simulated service, with fixed headers."""

    def __init__(self, base: str, headers: dict[str, str]) -> None:
        self.base = base
        self.session = requests.Session()
        self.session.headers.update(headers)

    def __call__(self, method: str, path: str, **kwargs) -> requests.Response:
        return self.session.request(method, self.base + path, timeout=10, allow_redirects=False, **kwargs)


@pytest.fixture
def starshipit(sandbox) -> Api:
    """The two headers every Starshipit client sends."""
    return Api(
        sandbox.starshipit_url,
        {
            "StarShipIT-Api-Key": credentials.STARSHIPIT_API_KEY,
            "Ocp-Apim-Subscription-Key": credentials.STARSHIPIT_SUBSCRIPTION_KEY,
        },
    )


@pytest.fixture
def cartoncloud(sandbox) -> Api:
    """Signed in as clients do: client credentials with HTTP Basic, then the bearer token."""
    basic = base64.b64encode(f"{credentials.CARTONCLOUD_CLIENT_ID}:{credentials.CARTONCLOUD_CLIENT_SECRET}".encode())
    token = requests.post(
        sandbox.cartoncloud_url + "/uaa/oauth/token",
        data={"grant_type": "client_credentials"},
        headers={"Accept-Version": "1", "Authorization": f"Basic {basic.decode()}"},
        timeout=10,
    )
    assert token.status_code == 200 and token.json()["token_type"] == "bearer"
    tenant = f"/tenants/{credentials.CARTONCLOUD_TENANT_ID}"
    return Api(
        sandbox.cartoncloud_url + tenant,
        {"Accept-Version": "1", "Authorization": f"Bearer {token.json()['access_token']}"},
    )
