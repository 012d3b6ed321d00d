"""Fixtures for the automatic transfer and tracking writeback, against the simulators."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time

import pytest
from sqlalchemy import select

from server.clients import get_upstreams
from server.db import get_database
from server.models import InboxEvent, OrderEvent, OutboxJob, SaleOrder, StarshipitCreate
from server.sync.runner import SyncRunner
from server.worker import Worker

WEBHOOK_SECRET = "cartoncloud-webhook-secret-for-tests"
STARSHIPIT_WEBHOOK_SECRET = "starshipit-webhook-secret-for-tests"


def post_tracking(client, body: dict, url: str = "/api/v1/webhooks/starshipit"):
    """POST a tracking webhook signed as Starshipit signs it (the ``starshipit_secret`` fixture)."""
    raw = json.dumps(body).encode()
    signature = hmac.new(STARSHIPIT_WEBHOOK_SECRET.encode(), raw, hashlib.sha256).hexdigest()
    return client.post(url, data=raw, headers={"Content-Type": "application/json", "X-Starshipit-Signature": signature})


def sale_order_body(number: int, status: str, *, street: str | None = "1 George Street") -> dict:
    """A shippable Australian sale order (no street: one that cannot be shipped)."""
    return {
        "status": status,
        "references": {"customer": f"AUTO-{number}"},
        "details": {
            "deliver": {
                "address": {
                    "contactName": f"Customer {number}",
                    "address1": street,
                    "suburb": "Brisbane City",
                    "city": "Brisbane",
                    "state": {"code": "QLD"},
                    "postcode": "4000",
                    "country": {"iso2Code": "AU"},
                    "phone": "07 3000 0000",
                },
                "method": {"type": "SHIPPING", "requestedService": "Standard"},
            }
        },
        "items": [{"details": {"product": {"references": {"code": "SKU-1"}}}, "measures": {"quantity": 1}}],
    }


@pytest.fixture
def new_sale_orders(sandbox):
    """``make(count, status)``: sale orders created in the CartonCloud simulator in ``status``."""
    numbers = itertools.count(1)

    def make(count: int, status: str = "PACKED", **body) -> list[dict]:
        return [sandbox.state.create_sale_order(sale_order_body(next(numbers), status, **body)) for _ in range(count)]

    return make


@pytest.fixture
def make_runner(app):
    def make(name: str = "runner-1") -> SyncRunner:
        return SyncRunner(get_database(app).sessions, get_upstreams(app), app.config, name=name, poll_seconds=0.05)

    return make


@pytest.fixture
def runner(make_runner) -> SyncRunner:
    return make_runner()


@pytest.fixture
def writeback(app) -> Worker:
    return Worker(get_database(app).sessions, get_upstreams(app).cartoncloud, name="writeback-1")


@pytest.fixture
def webhook_secret(app) -> str:
    """The CartonCloud webhook switched on, and its polling off: the webhook is the only source."""
    app.config.update(CARTONCLOUD_WEBHOOK_SECRET=WEBHOOK_SECRET, CARTONCLOUD_POLL_SECONDS=0)
    return WEBHOOK_SECRET


@pytest.fixture
def starshipit_secret(app) -> str:
    """The tracking webhook switched on: signed calls (``post_tracking``) are accepted."""
    app.config["STARSHIPIT_WEBHOOK_SECRET"] = STARSHIPIT_WEBHOOK_SECRET
    return STARSHIPIT_WEBHOOK_SECRET


@pytest.fixture
def db(app):
    """Read what labelbridge recorded: ``db.records()``, ``db.events(kind)``, ``db.jobs()``."""

    class Reader:
        def _all(self, query):
            with get_database(app).sessions() as session:
                return list(session.scalars(query))

        def records(self) -> list[SaleOrder]:
            return self._all(select(SaleOrder).order_by(SaleOrder.id))

        def record(self, sale_order_id: str) -> SaleOrder:
            (record,) = self._all(select(SaleOrder).where(SaleOrder.sale_order_id == sale_order_id))
            return record

        def sends(self) -> list[StarshipitCreate]:
            """Every create sent to Starshipit, as recorded (``orders.sends``)."""
            return self._all(select(StarshipitCreate).order_by(StarshipitCreate.id))

        def events(self, kind: str) -> list[OrderEvent]:
            return self._all(select(OrderEvent).where(OrderEvent.kind == kind).order_by(OrderEvent.id))

        def jobs(self) -> list[OutboxJob]:
            return self._all(select(OutboxJob).order_by(OutboxJob.id))

        def inbox(self) -> list[InboxEvent]:
            return self._all(select(InboxEvent).order_by(InboxEvent.id))

    return Reader()


def starshipit_numbers(sandbox) -> list[str]:
    return sorted(order["order_number"] for order in sandbox.state.starshipit_orders())


def consignment_tracking(sandbox, sale_order_id: str) -> str | None:
    (consignment,) = [
        c for c in sandbox.state.cartoncloud.consignments() if c["generatedFromTask"]["id"] == sale_order_id
    ]
    return consignment["references"]["tracking"]


def wait_for(condition, timeout: float = 30.0, what: str = "condition"):
    """Wait for work another thread or process is doing (not a fixed sleep), failing after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)
    return value
