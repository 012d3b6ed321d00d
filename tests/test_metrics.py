"""GET /metrics: behind its own token; prints, reprints, upstream calls, 429s and retries counted;
the writeback queue and its delay; counters of several processes added up."""

import os
import subprocess
import sys

import pytest
from prometheus_client import REGISTRY

from server import create_app, metrics
from server.clients import get_upstreams
from server.db import get_database
from server.demo import sandbox_config
from server.worker import Worker

METRICS_TOKEN = "metrics-token-0123456789"
SCRAPER = {"Authorization": f"Bearer {METRICS_TOKEN}"}
SHOWCASE = {"numeric_id": "787061"}


@pytest.fixture
def app(sandbox, database_url):
    app = create_app(
        {**sandbox_config(sandbox), "DATABASE_URL": database_url, "TESTING": True, "METRICS_TOKEN": METRICS_TOKEN}
    )
    get_database(app).upgrade()
    yield app
    get_database(app).dispose()


def value(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def sample(text: str, line_start: str) -> float:
    return float(next(line for line in text.splitlines() if line.startswith(line_start + " ")).rsplit(" ", 1)[1])


def scraped(client) -> str:
    response = client.get("/metrics", headers=SCRAPER)
    assert response.status_code == 200 and response.mimetype == "text/plain"
    return response.get_data(as_text=True)


def test_metrics_need_their_own_token_and_are_off_without_one(client, auth, sandbox, database_url):
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers=auth).status_code == 401  # an API token is not the metrics token
    assert client.get("/metrics", headers=SCRAPER).status_code == 200
    off = create_app({**sandbox_config(sandbox), "DATABASE_URL": database_url, "TESTING": True})
    try:
        response = off.test_client().get("/metrics", headers=SCRAPER)
    finally:
        get_database(off).dispose()  # its own engine: no connection left for the garbage collector
    assert response.status_code == 404 and "LABELBRIDGE_METRICS_TOKEN" in response.get_json()["message"]


def test_prints_reprints_and_upstream_calls_are_counted(client, print_label):
    before = {kind: value("labelbridge_labels_total", kind=kind) for kind in ("print", "reprint")}
    shipments = value(
        "labelbridge_upstream_requests_total", service="starshipit", endpoint="POST /api/orders/shipment", status="200"
    )
    assert print_label(**SHOWCASE).status_code == 201
    assert print_label(**SHOWCASE).status_code == 200
    assert value("labelbridge_labels_total", kind="print") == before["print"] + 1
    assert value("labelbridge_labels_total", kind="reprint") == before["reprint"] + 1
    assert (
        value(
            "labelbridge_upstream_requests_total",
            service="starshipit",
            endpoint="POST /api/orders/shipment",
            status="200",
        )
        == shipments + 1
    )
    text = scraped(client)
    assert 'labelbridge_labels_total{kind="print"}' in text
    assert 'labelbridge_upstream_request_seconds_bucket{endpoint="POST /api/orders/shipment"' in text
    assert sample(text, 'labelbridge_outbox_jobs{state="queued"}') == 1  # the writeback the print queued


def test_429s_and_retries_are_counted(client, print_label, control):
    limited, retries = (
        value("labelbridge_upstream_rate_limited_total", service="starshipit"),
        value("labelbridge_upstream_retries_total", service="starshipit"),
    )
    control.fault(service="starshipit", path="/api/orders*", method="GET", status=429, retry_after=0, count=1)
    assert print_label(**SHOWCASE).status_code == 201
    assert value("labelbridge_upstream_rate_limited_total", service="starshipit") == limited + 1
    assert value("labelbridge_upstream_retries_total", service="starshipit") == retries + 1


def test_the_writeback_delay_and_queue_are_measured(app, client, print_label):
    written = value("labelbridge_print_to_writeback_seconds_count")
    assert print_label(**SHOWCASE).status_code == 201
    assert sample(scraped(client), "labelbridge_outbox_oldest_age_seconds") > 0
    worker = Worker(get_database(app).sessions, get_upstreams(app).cartoncloud, name="writeback-1")
    assert worker.run_once() == 1
    assert value("labelbridge_print_to_writeback_seconds_count") == written + 1
    text = scraped(client)
    assert sample(text, 'labelbridge_outbox_jobs{state="queued"}') == 0
    assert sample(text, "labelbridge_outbox_oldest_age_seconds") == 0


@pytest.mark.parametrize(
    "path, expected",
    [
        ("/api/orders/shipment", "/api/orders/shipment"),
        (
            "/tenants/4f3c2e1d-0b9a-4c8d-8e7f-6a5b4c3d2e1f/outbound-orders/5f0c8a9e-2a43-4c1e-9d55-3d0f4a1b7c21",
            "/tenants/:id/outbound-orders/:id",
        ),
        ("/api/orders/1001?x=1", "/api/orders/:id"),
    ],
)
def test_endpoints_carry_no_ids(path, expected):
    assert metrics.endpoint(path) == expected


def test_counters_of_several_processes_are_added_up(client, tmp_path, monkeypatch):
    """What gunicorn's processes (and a worker given the same folder) count, one scrape adds up."""
    count_one_print = "from server import metrics; metrics.LABELS.labels('print').inc()"
    for _ in range(2):
        subprocess.run(
            [sys.executable, "-c", count_one_print],
            check=True,
            env={**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)},
        )
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    assert sample(scraped(client), 'labelbridge_labels_total{kind="print"}') == 2


def test_the_time_from_packed_to_the_starshipit_order_is_measured(app, sandbox):
    from scale.stack import make_sale_orders  # tests/scale: shippable sale orders in the simulator

    from server.sync.runner import SyncRunner

    make_sale_orders(sandbox, "METRICS", 2, status="PACKED")
    transferred = value("labelbridge_packed_to_starshipit_order_seconds_count")
    summary = SyncRunner(get_database(app).sessions, get_upstreams(app), app.config).run_once(force=True)
    assert summary.created >= 1, summary.describe()
    assert value("labelbridge_packed_to_starshipit_order_seconds_count") == transferred + summary.created
