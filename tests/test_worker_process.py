"""`labelbridge worker` as a real process: killed with SIGKILL mid-delivery, restarted, nothing lost."""

from __future__ import annotations

import os
import signal
import time

import requests

from server import outbox
from server.db import get_database
from server.demo import sandbox_config
from tests.worker_processes import start_worker, stop_workers


def wait_for(predicate, timeout: float = 20.0, what: str = "condition"):
    """Poll a condition on another process's progress (not a fixed sleep), failing after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def job_state(app) -> str:
    with get_database(app).sessions() as session:
        return outbox.jobs(session)[0].state


def test_worker_killed_mid_delivery_delivers_after_restart(app, print_label, control, sandbox):
    printed = print_label(customer_reference="SO-10045").get_json()
    env = {**os.environ, "LABELBRIDGE_DATABASE_URL": get_database(app).url}
    env.update({f"LABELBRIDGE_{k}": str(v) for k, v in sandbox_config(sandbox).items()})
    env.update({"LABELBRIDGE_WORKER_POLL_SECONDS": "0.1", "LABELBRIDGE_WORKER_CLAIM_SECONDS": "1"})
    control.fault(service="cartoncloud", path="*/consignments/*", method="PUT", latency_ms=5000, rate=1.0)

    first = start_worker(env)
    try:
        wait_for(lambda: job_state(app) == "running", what="the worker to claim the job")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        first.kill()
    assert job_state(app) == "running"  # claimed by a process that no longer exists

    control.clear_faults()
    second = start_worker(env)
    try:
        wait_for(lambda: job_state(app) == "done", what="the restarted worker to deliver")
    finally:
        stop_workers(second)
    consignments = requests.get(f"{sandbox.url}/_sandbox/cartoncloud/consignments", timeout=5).json()
    consignments = consignments["consignments"] if isinstance(consignments, dict) else consignments
    (consignment,) = [c for c in consignments if c["generatedFromTask"]["id"] == printed["sale_order"]["id"]]
    assert consignment["references"]["tracking"] == ", ".join(printed["tracking_numbers"])
