"""`labelbridge serve` under gunicorn with several worker processes: many clicks on many orders
at once, on each database engine, make exactly one Starshipit order and one label per order."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from server import tokens
from server.db import Database
from server.demo import sandbox_config

ORDERS, REQUESTS = 50, 200


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def gunicorn(sandbox, database_url, tmp_path):
    database = Database(database_url)
    database.upgrade()
    with database.sessions() as session:
        token = tokens.create_token(session, "bench-1")
    database.dispose()
    port = free_port()
    env = {**os.environ, "LABELBRIDGE_DATABASE_URL": database_url, "LABELBRIDGE_INSTANCE_PATH": str(tmp_path),
           "LABELBRIDGE_STARSHIPIT_RATE_PER_SECOND": "1000", "LABELBRIDGE_RATE_LIMIT": "100000 per minute"}  # fmt: skip
    env.update({f"LABELBRIDGE_{name}": str(value) for name, value in sandbox_config(sandbox).items()})
    server = subprocess.Popen(
        [sys.executable, "-c", "from server.cli import main; main()", "serve", "--port", str(port), "--workers", "3"],
        env=env, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:  # wait until gunicorn listens (start-up, not a result)
        try:
            requests.get(f"{url}/api/v1/health", timeout=1).raise_for_status()
            break
        except requests.ConnectionError:
            assert time.monotonic() < deadline and server.poll() is None, "gunicorn did not start"
            time.sleep(0.1)
    yield url, {"Authorization": f"Bearer {token}"}
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=30)


def test_200_concurrent_prints_over_50_orders_make_one_shipment_each(gunicorn, sandbox, control):
    url, headers = gunicorn
    sandbox.state.set_starshipit_rate_limit(1000)
    references = [
        sandbox.state.create_sale_order({
            "status": "PACKED", "references": {"customer": f"LOAD-{n}"},
            "details": {"deliver": {"address": {
                "contactName": f"Load {n}", "address1": f"{n} George Street", "suburb": "Brisbane City",
                "city": "Brisbane", "state": {"code": "QLD"}, "postcode": "4000", "country": {"iso2Code": "AU"},
                "phone": "07 3000 0000"}}},
            "items": [{"details": {"product": {"references": {"code": "HEADLAMP"}}}, "measures": {"quantity": 1}}],
        })["references"]["customer"]
        for n in range(ORDERS)
    ]  # fmt: skip

    def click(n: int):
        response = requests.post(f"{url}/api/v1/labels", json={"sale_order": {"customer_reference": references[n % ORDERS]}},
                                 headers=headers, timeout=120)  # fmt: skip
        return references[n % ORDERS], response.status_code, response.json()

    with ThreadPoolExecutor(max_workers=40) as pool:
        answers = list(pool.map(click, range(REQUESTS)))

    by_order = defaultdict(list)
    for reference, status, body in answers:
        by_order[reference].append((status, body))
    assert len(by_order) == ORDERS
    for reference, results in by_order.items():
        assert sorted(status for status, _ in results) == [200] * (len(results) - 1) + [201], reference
        assert len({(body["label"]["id"], tuple(body["tracking_numbers"]), body["label"]["content_base64"])
                    for _, body in results}) == 1, reference  # fmt: skip
    created = [o["order_number"] for o in control.starshipit_orders() if o["order_number"].startswith("LOAD-")]
    assert sorted(created) == sorted(references)
    assert control.counters("starshipit").get("POST /api/orders/shipment", 0) == ORDERS
