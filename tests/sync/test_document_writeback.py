"""The label uploaded as a document is a POST, not idempotent: an upload whose answer was lost
is looked for among the sale order's documents before it is sent again."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest

from server import outbox
from server.clients import get_upstreams
from server.db import get_database
from server.models import utcnow
from server.worker import Worker

from .conftest import wait_for

UPLOAD = "POST /tenants/{tenant_id}/outbound-orders/{order_id}/documents"
LIST = "GET /tenants/{tenant_id}/outbound-orders/{order_id}/documents"
DOCUMENTS = "/tenants/*/outbound-orders/*/documents"


@pytest.fixture
def later() -> list[timedelta]:
    """How far the worker's clock is ahead: moved by the test, so a retry's backoff passes at once."""
    return [timedelta()]


@pytest.fixture
def worker(app, later) -> Worker:
    return Worker(
        get_database(app).sessions, get_upstreams(app).cartoncloud, name="worker-1", clock=lambda: utcnow() + later[0]
    )


@pytest.fixture
def printed(app, print_label):
    """A label printed in ``document`` mode, by clients that give up on an answer after 1 s."""
    app.config.update(WRITEBACK_MODE="document", HTTP_READ_TIMEOUT=1.0)
    return print_label(customer_reference="SO-10045").get_json()


def attach_an_earlier_label(sandbox, sale_order_id: str) -> None:
    """A label the order had before (a redo) under the same document name."""
    earlier = {
        "type": "OUTBOUND_ORDER_INVOICE",
        "content": {"name": "Label-SO-10045.pdf", "data": base64.b64encode(b"%PDF-1.4 voided").decode()},
    }
    sandbox.state.cartoncloud.add_document(sale_order_id, earlier)


def calls(sandbox, endpoint: str) -> int:
    return sandbox.state.counters.snapshot()["cartoncloud"].get(endpoint, 0)


def test_an_upload_whose_answer_was_lost_is_found_not_sent_again(app, sandbox, printed, worker, later):
    sale_order_id = printed["sale_order"]["id"]
    attach_an_earlier_label(sandbox, sale_order_id)
    # CartonCloud stores the document, but its answer comes after labelbridge gave up.
    sandbox.state.add_fault(
        service="cartoncloud", path=DOCUMENTS, method="POST", timeout=True, timeout_seconds=2.0, count=1
    )
    worker.run_once()
    wait_for(lambda: len(sandbox.state.cartoncloud.documents(sale_order_id)) == 2, what="the upload to land")

    later[0] = timedelta(hours=1)
    worker.run_once()
    assert calls(sandbox, UPLOAD) == 1 and calls(sandbox, LIST) == 1  # looked for, found, not sent again
    stored = [base64.b64decode(d["content"]["data"]) for d in sandbox.state.cartoncloud.documents(sale_order_id)]
    assert stored == [b"%PDF-1.4 voided", base64.b64decode(printed["label"]["content_base64"])]
    (job,) = worker_jobs(app)
    assert job.state == "done"


def test_an_upload_that_did_not_land_is_sent_again(app, sandbox, printed, worker, later):
    sale_order_id = printed["sale_order"]["id"]
    attach_an_earlier_label(sandbox, sale_order_id)  # same name, other file: not this upload
    sandbox.state.add_fault(service="cartoncloud", path=DOCUMENTS, method="POST", status=503, count=1)
    worker.run_once()
    later[0] = timedelta(hours=1)
    worker.run_once()
    assert calls(sandbox, LIST) == 1 and calls(sandbox, UPLOAD) == 2
    stored = [base64.b64decode(d["content"]["data"]) for d in sandbox.state.cartoncloud.documents(sale_order_id)]
    assert stored == [b"%PDF-1.4 voided", base64.b64decode(printed["label"]["content_base64"])]
    (job,) = worker_jobs(app)
    assert job.state == "done"


def test_a_first_upload_asks_nothing_first(sandbox, printed, worker):
    worker.run_once()
    assert calls(sandbox, LIST) == 0 and calls(sandbox, UPLOAD) == 1


def worker_jobs(app):
    with get_database(app).sessions() as session:
        return outbox.jobs(session)
