"""Structured logs: every line of a request carries its request id, token name, sale order and
Starshipit order; one filter takes every secret out of every line, tracebacks included."""

import io
import json
import logging

import pytest

from server import logs

SHOWCASE = {"numeric_id": "787061"}


@pytest.fixture
def json_lines():
    stream = io.StringIO()
    handler = logs.configure("json", stream=stream)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logging.getLogger().removeHandler(handler)
    logs.start_context()


def test_a_print_logs_who_what_and_which_orders(app, client, auth, json_lines):
    response = client.post("/api/v1/labels", json={"sale_order": SHOWCASE}, headers={**auth, "X-Request-Id": "req-42"})
    assert response.status_code == 201 and response.headers["X-Request-Id"] == "req-42"
    calls = [line for line in json_lines() if line["logger"] == "server.http.transport"]
    assert calls and all(line["request_id"] == "req-42" and line["token_name"] == "bench-1" for line in calls)
    assert all(line["sale_order"] in ("787061", "SO-10045") for line in calls)
    shipment = next(line for line in calls if "/api/orders/shipment" in line["message"])
    assert shipment["starshipit_order"] == response.get_json()["starshipit_order"]["order_number"]
    assert {"time", "level", "message"} <= shipment.keys()


def test_a_request_without_an_id_gets_one(client):
    response = client.get("/api/v1/health", headers={"X-Request-Id": "not an id!"})
    assert len(response.headers["X-Request-Id"]) == 32


def test_the_filter_takes_every_secret_out(app, json_lines):
    api_key = app.config["STARSHIPIT_API_KEY"]
    token, code = "lb_" + "x7" * 20, "7KQ-4MD-92X"
    log = logging.getLogger("server.test")
    log.warning("calling with %s and Authorization: Bearer %s; code %s", api_key, token, code)
    try:
        raise RuntimeError(f"upstream said no to key {api_key}")
    except RuntimeError:
        log.exception("failed")
    text = "\n".join(json.dumps(line) for line in json_lines())
    for secret in (api_key, token, code, "x7x7x7x7"):
        assert secret not in text
    assert text.count(logs.REDACTED) >= 4
    assert "RuntimeError" in text  # the traceback stays, without the key


def test_text_logs_are_filtered_too(app):
    stream = io.StringIO()
    handler = logs.configure("text", stream=stream)
    try:
        logging.getLogger("server.test").info("subscription key %s", app.config["STARSHIPIT_SUBSCRIPTION_KEY"])
    finally:
        logging.getLogger().removeHandler(handler)
    assert app.config["STARSHIPIT_SUBSCRIPTION_KEY"] not in stream.getvalue()
    assert logs.REDACTED in stream.getvalue()


def test_a_lookup_that_names_json_but_sends_no_body_logs_its_sale_order(app, client, auth, json_lines):
    headers = {**auth, "Content-Type": "application/json"}  # as a client that sets it on every call
    response = client.get("/api/v1/orders/lookup?numeric_id=787061", headers=headers)
    assert response.status_code == 200
    calls = [line for line in json_lines() if line["logger"] == "server.http.transport"]
    assert calls and all(line["sale_order"] == "787061" for line in calls)
