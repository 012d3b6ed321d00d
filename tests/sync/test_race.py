"""Webhook, poll and click racing on the same orders, on a threaded server and several runners:
one Starshipit order per sale order, whichever comes first."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import requests

from .conftest import WEBHOOK_SECRET


def test_webhook_poll_and_click_racing_on_the_same_orders_make_one_starshipit_order_each(
    app, live_backend, make_token, webhook_secret, sandbox, new_sale_orders, make_runner
):
    app.config["CARTONCLOUD_POLL_SECONDS"] = 60  # the poll as well as the webhook
    sale_orders = new_sale_orders(5)
    bearer = {"Authorization": f"Bearer {make_token()}"}
    # A slow import: without the per-order lock a click would look an order up, find nothing,
    # and create it while the import is still on its way.
    sandbox.state.add_fault(service="starshipit", path="/api/orders/import", latency_ms=300)
    start = threading.Barrier(4)

    def webhooks():
        start.wait()
        for sale_order in sale_orders:
            response = requests.post(
                f"{live_backend.url}/api/v1/webhooks/cartoncloud",
                json=sale_order,
                headers={"X-Labelbridge-Secret": WEBHOOK_SECRET},
                timeout=30,
            )
            assert response.status_code == 202
        make_runner("webhook-runner").run_once()

    def poll():
        start.wait()
        make_runner("poll-runner").run_once(force=True)

    def clicks():
        start.wait()
        return [
            requests.post(
                f"{live_backend.url}/api/v1/labels", json={"sale_order": {"id": so["id"]}}, headers=bearer, timeout=60
            ).status_code
            for so in sale_orders
        ]

    def inbox():
        start.wait()
        make_runner("inbox-runner").run_once()

    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(task) for task in (webhooks, poll, clicks, inbox)]
        results = [future.result() for future in futures]
    make_runner("last-runner").run_once(force=True)  # whatever was left to the inbox

    assert results[2] == [201] * 5  # every click printed (and none made a second order)
    numbers = [order["order_number"] for order in sandbox.state.starshipit_orders()]
    assert sorted(numbers) == sorted(so["references"]["customer"] for so in sale_orders)
    counters = sandbox.state.counters.snapshot()["starshipit"]
    assert counters.get("POST /api/orders/shipment") == 5
