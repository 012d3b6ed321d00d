"""Benchmark: a batch print of N new sale orders (default 100) in one POST /labels/batch, against
printing them one by one (N × POST /labels), in one run: the backend's own time beyond the
upstream calls, and the upstream calls each way makes.

    python tests/benchmarks/bench_batch.py [--orders 100] [--rate 20] [--database-url URL] [--output FILE]

The simulators run in a separate process (`labelbridge sandbox`); the backend is the Flask app
driven through its WSGI test client in this process, so every upstream call it makes is timed
here, where it is sent (``requests.Session.request``: the wait for the rate limiter's token, if
any, is counted apart). Its own time is what is left: total − upstream − rate-limit waits. Two
measurements, each on N sale orders of their own, new to labelbridge and to Starshipit:

- **unlimited**: no rate limit anywhere (simulator or client), so the figures are the code's
  own time and the calls it makes; each way then reprints its N orders (the same request again);
- **at R requests/s**: Starshipit's gateway in the simulator and labelbridge's client both at R
  (the simulator's default, 20/s): the wall time a packer waits, which for a batch must fit
  comfortably in gunicorn's 120 s timeout (server/serve.py).

Address validation is on (the default): the one-click path checks each new order's address with
Starshipit; the batch creates its new orders through the automatic transfer's bulk import, which
does not (the check is advice for the history only; the preview shows it).
Each run is checked: every printed order is in Starshipit exactly once, and the batch's merged PDF
has one page per order (sandbox labels have one package, so one page, each).
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import resource
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from bench_print import UNLIMITED, Sandbox, emit, sale_order
from pypdf import PdfReader

from server import create_app, tokens
from server.db import get_database
from server.demo import sandbox_config
from server.http.ratelimit import TokenBucket


class UpstreamClock:
    """Time spent in upstream requests and in waits for the rate limiter, summed over the threads
    of this process, while ``counting``."""

    def __init__(self) -> None:
        self.counting = False
        self.upstream = self.waiting = 0.0
        self._lock = threading.Lock()
        self._request, self._acquire = requests.Session.request, TokenBucket.acquire
        clock = self

        def request(session, *args, **kwargs):
            return clock._timed("upstream", clock._request, session, *args, **kwargs)

        def acquire(bucket, *args, **kwargs):
            return clock._timed("waiting", clock._acquire, bucket, *args, **kwargs)

        requests.Session.request, TokenBucket.acquire = request, acquire

    def _timed(self, what: str, call, *args, **kwargs):
        if not self.counting:
            return call(*args, **kwargs)
        start = time.perf_counter()
        try:
            return call(*args, **kwargs)
        finally:
            with self._lock:
                setattr(self, what, getattr(self, what) + time.perf_counter() - start)

    def measure(self, work) -> dict[str, float]:
        self.upstream = self.waiting = 0.0
        self.counting = True
        start = time.perf_counter()
        try:
            work()
        finally:
            self.counting = False
        total = time.perf_counter() - start
        return {
            "total_s": round(total, 3),
            "upstream_s": round(self.upstream, 3),
            "rate_limit_wait_s": round(self.waiting, 3),
            "own_s": round(total - self.upstream - self.waiting, 3),
        }


def create_sale_orders(sandbox: Sandbox, numbers: range) -> list[str]:
    with ThreadPoolExecutor(max_workers=8) as pool:
        created = pool.map(lambda number: sandbox.control("POST", "/sale-orders", json=sale_order(number)), numbers)
        return [order["references"]["numericId"] for order in created]


def calls_between(before: dict, after: dict) -> dict:
    by_endpoint = {
        f"{service} {endpoint}": count - before[service].get(endpoint, 0)
        for service in ("starshipit", "cartoncloud")
        for endpoint, count in after[service].items()
        if count - before[service].get(endpoint, 0)
    }
    return {
        "starshipit": sum(count for name, count in by_endpoint.items() if name.startswith("starshipit")),
        "cartoncloud": sum(count for name, count in by_endpoint.items() if name.startswith("cartoncloud")),
        "rate_limited_429": sum(after["rate_limited"]["starshipit"].values())
        - sum(before["rate_limited"]["starshipit"].values()),
        "by_endpoint": dict(sorted(by_endpoint.items())),
    }


class Backend:
    """The app on its own database, at Starshipit rate ``rate``, and a token."""

    def __init__(self, sandbox: Sandbox, rate: float, database_url: str) -> None:
        config = {
            **sandbox_config(sandbox),
            "STARSHIPIT_RATE_PER_SECOND": rate,
            "WRITEBACK_MODE": "consignment",
            "RATE_LIMIT": "1000000 per minute",  # the per-token limit would throttle the one-by-one loop itself
            "DATABASE_URL": database_url,
        }
        self.app = create_app(config)
        get_database(self.app).upgrade()
        with get_database(self.app).sessions() as session:
            self.headers = {"Authorization": f"Bearer {tokens.create_token(session, f'bench-{rate:g}')}"}
        self.client = self.app.test_client()

    def batch(self, numeric_ids: list[str], expected: str) -> dict:
        response = self.client.post(
            "/api/v1/labels/batch", headers=self.headers, json={"sale_orders": [{"numeric_id": n} for n in numeric_ids]}
        )
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        statuses = Counter(result["status"] for result in body["results"])
        assert statuses == {expected: len(numeric_ids)}, statuses
        return body

    def one_by_one(self, numeric_ids: list[str], expected_status: int) -> None:
        for numeric_id in numeric_ids:
            response = self.client.post(
                "/api/v1/labels", headers=self.headers, json={"sale_order": {"numeric_id": numeric_id}}
            )
            assert response.status_code == expected_status, response.get_json()

    def pages(self, body: dict) -> int:
        return len(PdfReader(io.BytesIO(self.client.get(body["file"]["url"], headers=self.headers).data)).pages)


def measured(sandbox: Sandbox, clock: UpstreamClock, work) -> dict:
    before = sandbox.control("GET", "/counters")
    figures = clock.measure(work)
    figures["calls"] = calls_between(before, sandbox.control("GET", "/counters"))
    return figures


def per_order(figures: dict, orders: int) -> dict:
    return {
        **figures,
        "own_ms_per_order": round(figures["own_s"] * 1000 / orders, 2),
        "total_ms_per_order": round(figures["total_s"] * 1000 / orders, 2),
    }


def run(orders: int, rate: float, database_url: str | None) -> dict:
    sandbox = Sandbox()
    workdir = tempfile.TemporaryDirectory(prefix="labelbridge-bench-")
    clock = UpstreamClock()
    try:
        sets = [create_sale_orders(sandbox, range(i * orders, (i + 1) * orders)) for i in range(5)]
        warm_up, batch_ids, single_ids, batch_limited, single_limited = sets[0][:2], *sets[1:]
        # the two apps may share a database (their orders are their own); by default one SQLite file each
        databases = [
            database_url or f"sqlite:///{Path(workdir.name) / f'bench-{name}.sqlite3'}"
            for name in ("unlimited", "limited")
        ]

        sandbox.control("PUT", "/starshipit/rate-limit", json={"per_second": UNLIMITED, "burst": UNLIMITED})
        fast = Backend(sandbox, UNLIMITED, databases[0])
        fast.batch(warm_up[:1], "printed")  # warm-up: connection pools, the OAuth token, imports
        fast.one_by_one(warm_up[1:], 201)

        results: dict = {}
        body: dict = {}
        results["batch"] = per_order(
            measured(sandbox, clock, lambda: body.update(fast.batch(batch_ids, "printed"))), orders
        )
        assert fast.pages(body) == orders
        results["one_by_one"] = per_order(measured(sandbox, clock, lambda: fast.one_by_one(single_ids, 201)), orders)
        results["batch_reprint"] = per_order(
            measured(sandbox, clock, lambda: fast.batch(batch_ids, "reprinted")), orders
        )
        results["one_by_one_reprint"] = per_order(
            measured(sandbox, clock, lambda: fast.one_by_one(single_ids, 200)), orders
        )

        sandbox.control("PUT", "/starshipit/rate-limit", json={"per_second": rate})
        limited = Backend(sandbox, rate, databases[1])
        at_rate = {
            "batch": measured(sandbox, clock, lambda: limited.batch(batch_limited, "printed")),
            "one_by_one": measured(sandbox, clock, lambda: limited.one_by_one(single_limited, 201)),
        }

        numbers = Counter(order["order_number"] for order in sandbox.control("GET", "/starshipit/orders"))
        assert set(numbers.values()) == {1}, "an order was created twice in Starshipit"
        assert len(numbers) == 4 * orders + len(warm_up)
        return {
            "machine": {
                "cores": os.cpu_count(),
                "python": platform.python_version(),
                "system": platform.platform(),
                "load_average": os.getloadavg(),
            },
            "database": get_database(fast.app).engine.dialect.name,
            "orders": orders,
            "unlimited": results,
            "batch_own_time_vs_one_by_one": round(results["batch"]["own_s"] / results["one_by_one"]["own_s"], 2),
            f"at_{rate:g}_per_second": at_rate,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
    finally:
        sandbox.stop()
        workdir.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=100, help="orders in the batch (1 to 100)")
    parser.add_argument("--rate", type=float, default=20, help="Starshipit requests/s for the rate-limited run")
    parser.add_argument("--database-url", help="default: SQLite in a temporary folder")
    parser.add_argument("--output", type=Path, help="also write the figures here as JSON")
    args = parser.parse_args()
    if not 1 <= args.orders <= 100:
        sys.exit("--orders must be 1 to 100: a batch takes at most 100 orders")
    figures = run(args.orders, args.rate, args.database_url)
    emit(figures, args.output)


if __name__ == "__main__":
    main()
