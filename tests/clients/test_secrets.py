"""Credentials never show in an error, a repr or a log line — even when an upstream echoes them."""

from __future__ import annotations

import logging

import pytest
import requests

from server.http.errors import UpstreamError

from .support import (
    ACCESS_TOKEN,
    API_KEY,
    CLIENT_SECRET,
    SECRETS,
    STARSHIPIT_URL,
    SUBSCRIPTION_KEY,
    TENANT_URL,
    TOKEN_URL,
    add_token,
)

ORDER_URL = f"{STARSHIPIT_URL}/api/orders"
SALE_ORDER_URL = f"{TENANT_URL}/outbound-orders/so-1"


def starshipit_echo(http):
    http.get(ORDER_URL, status=401, json={"statusCode": 401, "message": f"Invalid key {SUBSCRIPTION_KEY}"})


def starshipit_envelope_echo(http):
    http.get(ORDER_URL, json={"success": False, "errors": [{"message": "Bad key", "details": API_KEY}]})


def starshipit_text_echo(http):
    for _ in range(3):
        http.get(ORDER_URL, status=500, body=f"upstream said {API_KEY}", content_type="text/plain")


def starshipit_timeout(http):
    for _ in range(3):
        http.get(ORDER_URL, body=requests.exceptions.ReadTimeout(f"timed out with {API_KEY}"))


def cartoncloud_token_echo(http):
    http.post(TOKEN_URL, status=401, json={"error": "unauthorized", "error_description": f"Bad secret {CLIENT_SECRET}"})


def cartoncloud_bearer_echo(http):
    add_token(http)
    add_token(http)
    for _ in range(2):
        http.get(SALE_ORDER_URL, status=401, json=[{"message": f"Token {ACCESS_TOKEN} is not valid"}])


def cartoncloud_unavailable(http):
    add_token(http)
    for _ in range(3):
        http.get(SALE_ORDER_URL, status=503, json=[{"message": f"Authorization: Bearer {ACCESS_TOKEN}"}])


SCENARIOS = {
    starshipit_echo: "starshipit",
    starshipit_envelope_echo: "starshipit",
    starshipit_text_echo: "starshipit",
    starshipit_timeout: "starshipit",
    cartoncloud_token_echo: "cartoncloud",
    cartoncloud_bearer_echo: "cartoncloud",
    cartoncloud_unavailable: "cartoncloud",
}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda scenario: scenario.__name__)
def test_secrets_absent_from_errors_and_logs(http, starshipit, cartoncloud, caplog, scenario):
    caplog.set_level(logging.DEBUG)
    scenario(http)
    client = starshipit if SCENARIOS[scenario] == "starshipit" else cartoncloud
    with pytest.raises(UpstreamError) as raised:
        if client is starshipit:
            client.get_order(1)
        else:
            client.get_sale_order("so-1")
    error = raised.value
    shown = " ".join([str(error), repr(error), error.message, str(error.body), repr(client), caplog.text])
    assert [secret for secret in SECRETS if secret in shown] == []


def test_the_scrubbed_message_keeps_the_upstream_words(http, starshipit):
    starshipit_echo(http)
    with pytest.raises(UpstreamError) as raised:
        starshipit.get_order(1)
    assert raised.value.message == "Starshipit refused the API key or subscription key: Invalid key [redacted]"
