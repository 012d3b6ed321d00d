"""End to end, with two real ``labelbridge worker`` processes (two separate pollers) against
the simulators read the way the real services are: an order the workers transferred to
Starshipit and then printed in the Starshipit app ends with its tracking number on the
CartonCloud consignment, written once — with the shipped list's flat rows, Starshipit's HTTP 200
"Unable to find order number" answers and a CartonCloud tenant refusing date-time conditions."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import select
from test_worker_process import wait_for

from server.db import get_database
from server.demo import sandbox_config
from server.models import OrderEvent, OutboxJob, Setting, SyncCursor
from server.sync.modified_search import DAY_PREFIXES, FORM_KEY
from tests.worker_processes import start_worker, stop_workers

CONSIGNMENT_PUT = "PUT /tenants/{tenant_id}/consignments/{consignment_id}"
SALE_ORDER = {
    "status": "PACKED",
    "references": {"customer": "E2E-1"},
    "details": {
        "deliver": {
            "address": {
                "contactName": "Noah Price",
                "address1": "1 George Street",
                "suburb": "Brisbane City",
                "city": "Brisbane",
                "state": {"code": "QLD"},
                "postcode": "4000",
                "country": {"iso2Code": "AU"},
                "phone": "07 3000 0000",
            },
            "method": {"type": "SHIPPING"},
        }
    },
    "items": [{"details": {"product": {"references": {"code": "MUG-ENAMEL"}}}, "measures": {"quantity": 1}}],
}


@pytest.fixture
def real_readings(sandbox):
    """The simulators read as docs/*-api-notes.md say the real services may answer."""
    sandbox.state.set_options(
        starshipit_shipped_rows="summary", starshipit_not_found=200, cartoncloud_datetime_search=422
    )


@pytest.fixture
def workers(app, sandbox, real_readings):
    """Two worker processes polling every half second, on the app's database."""
    env = {**os.environ, "LABELBRIDGE_DATABASE_URL": get_database(app).url}
    env.update({f"LABELBRIDGE_{key}": str(value) for key, value in sandbox_config(sandbox).items()})
    env.update(
        {
            "LABELBRIDGE_WORKER_POLL_SECONDS": "0.1",
            "LABELBRIDGE_CARTONCLOUD_POLL_SECONDS": "0.5",
            "LABELBRIDGE_STARSHIPIT_POLL_SECONDS": "0.5",
            "LABELBRIDGE_TRIGGER_LOOKBACK_HOURS": "1",
        }
    )
    processes = [start_worker(env), start_worker(env)]
    yield processes
    stop_workers(*processes)


def rows(app, model, *where):
    with get_database(app).sessions() as session:
        return list(session.scalars(select(model).where(*where)))


def consignment_tracking(sandbox, sale_order_id: str) -> str | None:
    (consignment,) = [
        c for c in sandbox.state.cartoncloud.consignments() if c["generatedFromTask"]["id"] == sale_order_id
    ]
    return consignment["references"]["tracking"]


def starshipit_polls_finished(app):
    """How many Starshipit polls have finished so far (a poll records when it finished)."""
    (cursor,) = rows(app, SyncCursor, SyncCursor.name == "starshipit.environment")
    return cursor.last_finished_at


def test_a_label_printed_in_the_starshipit_app_is_written_back_once_by_two_workers(app, sandbox, control, workers):
    sale_order = control.create_sale_order(SALE_ORDER)
    (order,) = wait_for(lambda: control.starshipit_orders("E2E-1"), timeout=60, what="the transfer to Starshipit")
    shipment = control.print_in_starshipit(order["order_id"])
    wait_for(lambda: consignment_tracking(sandbox, sale_order["id"]), timeout=60, what="the writeback")
    written_at = starshipit_polls_finished(app)
    # Both workers keep polling: let the pollers finish twice more before counting writebacks.
    wait_for(lambda: starshipit_polls_finished(app) > written_at, timeout=30, what="another poll")
    again = starshipit_polls_finished(app)
    wait_for(lambda: starshipit_polls_finished(app) > again, timeout=30, what="one more poll")

    assert consignment_tracking(sandbox, sale_order["id"]) == ", ".join(shipment["tracking_numbers"])
    assert sandbox.state.counters.snapshot()["cartoncloud"][CONSIGNMENT_PUT] == 1  # written once
    assert len(control.starshipit_orders("E2E-1")) == 1  # created once
    (job,) = rows(app, OutboxJob)
    assert job.state == "done"
    assert len(rows(app, OrderEvent, OrderEvent.kind == "printed_in_starshipit")) == 1
    (form,) = rows(app, Setting, Setting.key == FORM_KEY)
    assert form.value == DAY_PREFIXES
