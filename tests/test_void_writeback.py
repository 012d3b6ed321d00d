"""A void takes back what its label wrote to CartonCloud: the consignment's tracking cleared, a
note beside the label's document; the order's state stays ``voided``."""

from __future__ import annotations

import base64

import pytest
import requests
from test_writeback import consignment_tracking, jobs

from server.clients import get_upstreams
from server.db import get_database
from server.worker import Worker


@pytest.fixture
def worker(app) -> Worker:
    return Worker(get_database(app).sessions, get_upstreams(app).cartoncloud, name="worker-1")


@pytest.fixture
def void(client, make_token):
    supervisor = {"Authorization": f"Bearer {make_token('supervisor-1', 'supervisor')}"}

    def call(label_id: str):
        response = client.post(f"/api/v1/labels/{label_id}/void", json={"reason": "wrong box"}, headers=supervisor)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    return call


def documents(sandbox) -> list[dict]:
    found = requests.get(f"{sandbox.url}/_sandbox/cartoncloud/documents", timeout=5).json()
    return found["documents"] if isinstance(found, dict) else found


def test_consignment_mode_clears_the_written_back_tracking(app, print_label, void, worker, sandbox, client, auth):
    printed = print_label(customer_reference="SO-10045").get_json()
    worker.run_once()
    sale_order_id = printed["sale_order"]["id"]
    assert consignment_tracking(sandbox, sale_order_id) == ", ".join(printed["tracking_numbers"])

    assert void(printed["label"]["id"])["writeback"] == "queued"
    assert worker.run_once() == 1

    assert consignment_tracking(sandbox, sale_order_id) is None
    void_job = jobs(app)[-1]
    assert void_job.kind == "void" and void_job.state == "done"
    lookup = client.get("/api/v1/orders/lookup?customer_reference=SO-10045", headers=auth).get_json()
    assert lookup["state"] == "voided"  # not written_back: there is no shipment to speak of


def test_a_void_delivered_after_the_next_print_leaves_the_new_tracking(app, print_label, void, worker, sandbox):
    first = print_label(customer_reference="SO-10045").get_json()
    void(first["label"]["id"])
    second = print_label(customer_reference="SO-10045").get_json()

    worker.run_once()  # the first print's, the void's and the second print's jobs, in that order

    assert consignment_tracking(sandbox, second["sale_order"]["id"]) == ", ".join(second["tracking_numbers"])


def test_document_mode_puts_a_void_note_beside_the_label(app, print_label, void, worker, sandbox):
    app.config["WRITEBACK_MODE"] = "document"
    printed = print_label(customer_reference="SO-10045").get_json()
    worker.run_once()
    void(printed["label"]["id"])
    worker.run_once()

    label_document, note = documents(sandbox)
    assert label_document["content"]["name"] == "Label-SO-10045.pdf"
    assert note["content"]["name"].startswith("VOID-Label-787061-") and note["content"]["name"].endswith(".txt")
    text = base64.b64decode(note["content"]["data"]).decode()
    assert text.startswith(f"VOID: the label {printed['label']['id']} of sale order 787061")
    assert printed["tracking_numbers"][0] in text and "supervisor-1: wrong box" in text


def test_no_writeback_queues_no_void_job(app, print_label, void):
    app.config["WRITEBACK_MODE"] = "none"
    printed = print_label(customer_reference="SO-10045").get_json()
    assert void(printed["label"]["id"])["writeback"] == "disabled"
    assert jobs(app) == []
