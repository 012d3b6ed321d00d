"""`GET /api/v1/sync/status` and `labelbridge sync --once`."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from server.cli import main
from server.db import get_database
from server.demo import sandbox_config

from .conftest import post_tracking


def test_the_status_shows_last_run_cursors_queue_depth_and_failures(
    client, auth, new_sale_orders, runner, starshipit_secret
):
    new_sale_orders(3)
    new_sale_orders(1, street=None)
    runner.run_once(force=True)
    post_tracking(client, {"order_number": "X-1", "tracking_number": "T-1"})

    status = client.get("/api/v1/sync/status", headers=auth)
    assert status.status_code == 200
    body = status.get_json()
    assert body["last_run"]["finished_at"] and body["last_run"]["error"] is None
    polled = {c["name"]: c for c in body["cursors"]}["cartoncloud.sale_orders"]
    assert polled["summary"]["created"] == 3 and polled["position"] and polled["running"] is False
    assert body["queue"]["inbox"] == {"starshipit": {"queued": 1}}
    assert body["queue"]["outbox"] == {}
    assert body["failures"]["not_shippable"] == 1 and body["failures"]["awaiting_transfer"] == 0
    (failure,) = body["failures"]["recent"]
    assert failure["code"] == "sale_order_not_shippable" and failure["sale_order"]["customer_reference"] == "AUTO-4"


def test_the_status_before_any_run(client, auth):
    body = client.get("/api/v1/sync/status", headers=auth).get_json()
    assert body["last_run"] is None and body["cursors"] == []


@pytest.fixture
def environment(app, sandbox, monkeypatch):
    for name, value in {**sandbox_config(sandbox), "DATABASE_URL": get_database(app).url}.items():
        monkeypatch.setenv(f"LABELBRIDGE_{name}", str(value))


def test_sync_once_runs_one_pass_with_a_progress_bar_and_a_summary(environment, sandbox, new_sale_orders, print_label):
    new_sale_orders(120)
    new_sale_orders(1, street=None)
    print_label(customer_reference="SO-10045")
    result = CliRunner().invoke(main, ["sync", "--once"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "sale orders" in result.stderr  # the progress bar's label
    # found: 121 sale orders at PACKED, and the printed order's tracking in Starshipit's list
    assert result.stdout.strip() == ("found 122, created 120, skipped 1 (1 not shippable), written back 1, failed 0")
    assert len(sandbox.state.starshipit_orders()) == 121


def test_sync_once_exits_non_zero_when_something_failed(environment, sandbox, new_sale_orders):
    new_sale_orders(2)
    sandbox.state.add_fault(service="starshipit", path="/api/orders/import", status=401)
    result = CliRunner().invoke(main, ["sync", "--once"], catch_exceptions=False)
    assert result.exit_code == 1
    assert "failed 2" in result.stdout and "Starshipit" in result.stderr


def test_worker_once_runs_the_sync_and_the_outbox(environment, sandbox, new_sale_orders):
    new_sale_orders(2)
    result = CliRunner().invoke(main, ["worker", "--once"], catch_exceptions=False)
    assert result.exit_code == 0 and "created 2" in result.stderr
