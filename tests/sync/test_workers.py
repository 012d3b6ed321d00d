"""Workers: killed mid-transfer and restarted, or several at once (on PostgreSQL when
LABELBRIDGE_TEST_POSTGRES_URL is set) — nothing lost, nothing done twice."""

from __future__ import annotations

import os
import threading
from collections import Counter

from server.clients import get_upstreams
from server.db import get_database
from server.demo import sandbox_config
from server.worker import Worker
from tests.worker_processes import start_worker, stop_workers

from .conftest import WEBHOOK_SECRET, wait_for


def test_worker_killed_mid_transfer_and_restarted_loses_and_duplicates_nothing(app, sandbox, new_sale_orders, db):
    sale_orders = new_sale_orders(150)
    env = {**os.environ, "LABELBRIDGE_DATABASE_URL": get_database(app).url}
    env.update({f"LABELBRIDGE_{k}": str(v) for k, v in sandbox_config(sandbox).items()})
    env.update(
        {
            "LABELBRIDGE_WORKER_POLL_SECONDS": "0.1",
            "LABELBRIDGE_WORKER_CLAIM_SECONDS": "1",
            "LABELBRIDGE_ORDER_LOCK_SECONDS": "1",
            "LABELBRIDGE_CARTONCLOUD_POLL_SECONDS": "0.5",
            # A create sent and never answered is retried (after a lookup) once it can no longer land:
            # 2 × (connect + read timeout) = 10 s after it went.
            "LABELBRIDGE_HTTP_CONNECT_TIMEOUT": "1",
            "LABELBRIDGE_HTTP_READ_TIMEOUT": "4",
        }
    )
    # The first import is held for a while, then carried out: the worker is dead by then.
    sandbox.state.add_fault(service="starshipit", path="/api/orders/import", latency_ms=3000, count=1)

    first = start_worker(env)
    try:
        # Killed once the import has reached Starshipit (its send was recorded before it went).
        wait_for(
            lambda: sandbox.state.counters.snapshot()["starshipit"].get("POST /api/orders/import"),
            what="the worker's import to reach Starshipit",
        )
    finally:
        first.kill()
        first.wait(timeout=10)
    # Recorded before they went: the first import, and perhaps the next two (sent while the first
    # travels: two are on their way at a time), which the kill may have cut off before they left.
    assert len(db.sends()) in (50, 100, 150) and {send.outcome for send in db.sends()} == {"sent"}
    # Whichever import Starshipit held lands once its hold ends; the others, if they left at all,
    # land whenever the simulator reads them: how many are orphaned is known only at the end.
    sandbox.state.release_holds()
    wait_for(lambda: len(sandbox.state.starshipit_orders()) >= 50, what="the orphaned import to land")
    assert all(record.starshipit_order_id is None for record in db.records())  # never heard back

    second = start_worker(env)
    try:
        wait_for(lambda: sum(1 for r in db.records() if r.starshipit_order_id) == 150, what="the restarted worker")
    finally:
        stop_workers(second)
    numbers = [order["order_number"] for order in sandbox.state.starshipit_orders()]
    assert sorted(numbers) == sorted(so["references"]["customer"] for so in sale_orders)  # each once
    # The orphaned imports (one or more), looked up and adopted; the rest created by the restart.
    orphaned = len(db.events("found_in_starshipit"))
    assert orphaned in (50, 100, 150)
    assert len(db.events("starshipit_order_created")) == 150 - orphaned


def run_together(*tasks):
    start = threading.Barrier(len(tasks))
    errors = []

    def run(task):
        start.wait()
        try:
            task()
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(task,)) for task in tasks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_two_workers_at_once_do_no_job_twice(app, client, webhook_secret, sandbox, new_sale_orders, make_runner, db):
    app.config["CARTONCLOUD_POLL_SECONDS"] = 60  # the poll and the webhooks
    sale_orders = new_sale_orders(300)
    for sale_order in sale_orders:
        client.post("/api/v1/webhooks/cartoncloud", json=sale_order, headers={"X-Labelbridge-Secret": WEBHOOK_SECRET})
    first, second = make_runner("runner-1"), make_runner("runner-2")

    run_together(lambda: first.run_once(force=True), lambda: second.run_once(force=True))
    run_together(first.run_once, second.run_once)  # whatever the first round left in the inbox

    assert len(sandbox.state.starshipit_orders()) == 300
    made = Counter(event.sale_order_pk for event in db.events("starshipit_order_created"))
    assert len(made) == 300 and set(made.values()) == {1}
    assert {event.state for event in db.inbox()} == {"done"}

    for record in db.records():
        sandbox.state.starshipit.print_in_app(record.starshipit_order_id)
    run_together(lambda: first.run_once(force=True), lambda: second.run_once(force=True))
    found = Counter(event.sale_order_pk for event in db.events("printed_in_starshipit"))
    assert len(found) == 300 and set(found.values()) == {1}
    assert len(db.jobs()) == 300

    writebacks = [
        Worker(get_database(app).sessions, get_upstreams(app).cartoncloud, name=f"writeback-{n}") for n in (1, 2)
    ]
    run_together(*(worker.run_once for worker in writebacks))
    delivered = Counter(event.detail["job_id"] for event in db.events("written_back"))
    assert len(delivered) == 300 and set(delivered.values()) == {1}
    assert sum(worker.delivered for worker in writebacks) == 300
