"""The writeback outbox: tracking numbers reach CartonCloud whatever fails after the print."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
import requests
from click.testing import CliRunner

from server import outbox
from server.cli import main
from server.clients import get_upstreams
from server.db import get_database
from server.models import OutboxJob, utcnow
from server.worker import Worker


class Clock:
    """A clock the test moves by hand, so hours of backoff pass in no time."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self):
        return utcnow() + self.offset

    def advance(self, **delta) -> None:
        self.offset += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def make_worker(app, clock):
    def make(name: str = "worker-1", claim_seconds: float = 300.0, **settings) -> Worker:
        upstreams = get_upstreams(app)
        return Worker(
            get_database(app).sessions,
            upstreams.cartoncloud,
            name=name,
            clock=clock,
            claim_seconds=claim_seconds,
            **settings,
        )

    return make


def consignment_tracking(sandbox, sale_order_id: str) -> str | None:
    consignments = requests.get(f"{sandbox.url}/_sandbox/cartoncloud/consignments", timeout=5).json()
    if isinstance(consignments, dict):
        consignments = consignments["consignments"]
    (consignment,) = [c for c in consignments if c["generatedFromTask"]["id"] == sale_order_id]
    return consignment["references"].get("tracking")


def jobs(app) -> list[OutboxJob]:
    with get_database(app).sessions() as session:
        return outbox.jobs(session)


def test_worker_writes_tracking_onto_the_consignment(app, print_label, make_worker, sandbox, client, auth):
    printed = print_label(customer_reference="SO-10045").get_json()
    assert make_worker().run_once() == 1
    assert consignment_tracking(sandbox, printed["sale_order"]["id"]) == ", ".join(printed["tracking_numbers"])
    lookup = client.get("/api/v1/orders/lookup?customer_reference=SO-10045", headers=auth).get_json()
    assert lookup["state"] == "written_back" and lookup["writeback"] == "done"
    assert print_label(customer_reference="SO-10045").get_json()["writeback"] == "done"


def test_document_mode_uploads_the_label_to_the_sale_order(app, print_label, make_worker, sandbox):
    app.config["WRITEBACK_MODE"] = "document"
    printed = print_label(customer_reference="SO-10045").get_json()
    make_worker().run_once()
    documents = requests.get(f"{sandbox.url}/_sandbox/cartoncloud/documents", timeout=5).json()
    if isinstance(documents, dict):
        documents = documents["documents"]
    (document,) = documents
    assert document["owner"]["id"] == printed["sale_order"]["id"]
    assert document["content"]["name"] == "Label-SO-10045.pdf"
    assert base64.b64decode(document["content"]["data"]) == base64.b64decode(printed["label"]["content_base64"])
    assert jobs(app)[0].state == "done"


def test_writeback_disabled_is_reported_and_queues_nothing(app, print_label):
    app.config["WRITEBACK_MODE"] = "none"
    assert print_label(customer_reference="SO-10045").get_json()["writeback"] == "disabled"
    assert jobs(app) == []


def test_cartoncloud_outage_of_minutes_is_retried_until_delivered(
    app, print_label, make_worker, control, clock, sandbox
):
    printed = print_label(customer_reference="SO-10045").get_json()
    control.fault(service="cartoncloud", path="*", status=503, rate=1.0)
    worker = make_worker()
    for _minute in range(10):  # ten minutes of outage, the worker passing every minute
        worker.run_once()
        clock.advance(minutes=1)
    (job,) = jobs(app)
    assert job.state == "queued" and job.attempts >= 3
    assert "503" in job.last_error
    control.clear_faults()
    clock.advance(hours=1)
    assert worker.run_once() == 1
    (job,) = jobs(app)
    assert job.state == "done"
    assert consignment_tracking(sandbox, printed["sale_order"]["id"]) == ", ".join(printed["tracking_numbers"])


def test_a_failed_writeback_is_first_retried_between_half_and_all_of_the_time_set(
    app, print_label, make_worker, control, clock
):
    print_label(customer_reference="SO-10045")
    control.fault(service="cartoncloud", path="*", status=503, rate=1.0)
    before = clock()
    make_worker(retry_first_seconds=2).run_once()
    after = clock()
    (job,) = jobs(app)
    assert job.attempts == 1 and job.state == "queued"
    assert before + timedelta(seconds=1) <= job.next_attempt_at <= after + timedelta(seconds=2)


def test_job_claimed_by_a_worker_that_died_is_delivered_by_the_next(app, print_label, make_worker, clock, sandbox):
    printed = print_label(customer_reference="SO-10045").get_json()
    with get_database(app).sessions() as session:
        (claimed,) = outbox.claim_due(session, "worker-that-dies", clock(), timedelta(minutes=5))
    assert make_worker("worker-2").run_once() == 0  # the claim still holds
    clock.advance(minutes=6)
    assert make_worker("worker-2").run_once() == 1
    assert jobs(app)[0].state == "done"
    assert consignment_tracking(sandbox, printed["sale_order"]["id"])


def test_refused_writeback_fails_visibly_and_is_retried_by_command(app, print_label, make_worker, control, monkeypatch):
    print_label(customer_reference="SO-10045")
    control.fault(service="cartoncloud", path="*/consignments/*", method="PUT", status=422, rate=1.0)
    make_worker().run_once()
    (job,) = jobs(app)
    assert job.state == "failed" and job.attempts == 1
    assert "422" in job.last_error

    control.clear_faults()
    monkeypatch.setenv("LABELBRIDGE_DATABASE_URL", get_database(app).url)
    runner = CliRunner()
    listed = runner.invoke(main, ["outbox", "list", "--state", "failed"], catch_exceptions=False)
    assert f"{job.id}\tfailed\tattempts 1" in listed.stdout
    assert runner.invoke(main, ["outbox", "retry"], catch_exceptions=False).exit_code == 0
    make_worker().run_once()
    assert jobs(app)[0].state == "done"


def test_worker_once_drains_the_queue(app, print_label, control, monkeypatch, sandbox):
    from server.demo import sandbox_config

    for reference in ("SO-10045", "SO-10046", "SO-10047"):
        assert print_label(customer_reference=reference).status_code == 201
    for name, value in {**sandbox_config(sandbox), "DATABASE_URL": get_database(app).url}.items():
        monkeypatch.setenv(f"LABELBRIDGE_{name}", str(value))
    result = CliRunner().invoke(main, ["worker", "--once"], catch_exceptions=False)
    assert result.exit_code == 0
    assert [job.state for job in jobs(app)] == ["done"] * 3
