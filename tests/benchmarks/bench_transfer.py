"""Benchmark: the automatic transfer of N sale orders that reached the trigger status (default
10,000) against the simulators at a Starshipit limit of R requests/s (default 20), as a
multiple of the ideal ``N / 50 / R`` (every order in a full bulk import, every request at the
limit), next to the naive baseline of one create request per order, in one run.

    python tests/benchmarks/bench_transfer.py [--orders 10000] [--rate 20] [--naive-orders 1000]
                                              [--database-url URL] [--output FILE]

labelbridge: one ``labelbridge sync --once`` pass (SyncRunner.run_once: the CartonCloud poll by
status and modified time, every page, imports of 50 under the client's token bucket, plus the
Starshipit tracking poll and the pending sweep), timed from start to end, then checked: every
order in Starshipit exactly once, and the simulator's 429 counter.

Naive: the same orders read from CartonCloud the same way, then one POST /api/orders each, at
the same rate. It needs N / R seconds (500 s for the defaults), so it is measured on
``--naive-orders`` orders and scaled linearly to N — at a fixed request rate its time is
proportional to the number of orders (pass ``--naive-orders N`` to measure it whole).

The simulators run in a separate process (`labelbridge sandbox`), limited to R requests/s per
subscription key as Starshipit's gateway is. Setting the orders up is not timed.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

from bench_print import Sandbox, sale_order

from server import create_app
from server.cartoncloud import conditions
from server.cartoncloud.client import CartonCloudClient
from server.db import get_database
from server.demo import sandbox_config
from server.mapping import build_starshipit_order
from server.models import utcnow
from server.sandbox import credentials
from server.starshipit.client import MAX_IMPORT, StarshipitClient
from server.sync.runner import SyncRunner
from server.upstreams import get_upstreams


def create_sale_orders(sandbox: Sandbox, numbers: range) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda number: sandbox.control("POST", "/sale-orders", json=sale_order(number)), numbers))


def starshipit_calls(sandbox: Sandbox) -> dict:
    counters = sandbox.control("GET", "/counters")
    return {"requests": counters["starshipit"], "rate_limited": counters["rate_limited"]["starshipit"]}


def check_each_once(sandbox: Sandbox, numbers: range) -> None:
    orders = sandbox.control("GET", "/starshipit/orders")
    created = sorted(order["order_number"] for order in (orders["orders"] if isinstance(orders, dict) else orders))
    assert created == sorted(f"BENCH-{number}" for number in numbers), "not every order exactly once"


def labelbridge(sandbox: Sandbox, orders: int, rate: float, database_url: str) -> dict:
    app = create_app({
        **sandbox_config(sandbox), "DATABASE_URL": database_url, "STARSHIPIT_RATE_PER_SECOND": rate,
        "TRIGGER_LOOKBACK_HOURS": 0.25,  # the orders were packed (minutes) before this first poll
    })  # fmt: skip
    get_database(app).upgrade()
    runner = SyncRunner(get_database(app).sessions, get_upstreams(app), app.config, name="bench")
    started = time.perf_counter()
    summary = runner.run_once(force=True)
    seconds = time.perf_counter() - started
    get_database(app).dispose()
    assert summary.created == orders and summary.failed == 0, summary.describe()
    check_each_once(sandbox, range(orders))
    return {"seconds": round(seconds, 2), "summary": summary.describe(), "starshipit": starshipit_calls(sandbox)}


def naive(sandbox: Sandbox, orders: int, first_number: int, rate: float) -> dict:
    cartoncloud = CartonCloudClient(
        sandbox.cartoncloud_url, credentials.CARTONCLOUD_CLIENT_ID, credentials.CARTONCLOUD_CLIENT_SECRET,
        credentials.CARTONCLOUD_TENANT_ID,
    )  # fmt: skip
    starshipit = StarshipitClient(
        sandbox.starshipit_url, credentials.STARSHIPIT_API_KEY, credentials.STARSHIPIT_SUBSCRIPTION_KEY,
        rate_per_second=rate,
    )  # fmt: skip
    condition = conditions.all_of(
        conditions.any_of(conditions.text_equals(conditions.STATUS, "PACKED"),
                          conditions.text_equals(conditions.STATUS, "DISPATCHED")),
        conditions.datetime_after(conditions.MODIFIED_TIME, utcnow() - timedelta(hours=1)),
    )  # fmt: skip
    started = time.perf_counter()
    for found in cartoncloud.iter_sale_orders(condition):
        starshipit.create_order(build_starshipit_order(found)[0])
    seconds = time.perf_counter() - started
    check_each_once(sandbox, range(first_number, first_number + orders))
    return {"measured_orders": orders, "seconds": round(seconds, 2), "starshipit": starshipit_calls(sandbox)}


def run(orders: int, rate: float, naive_orders: int, database_url: str | None) -> dict:
    sandbox = Sandbox()
    workdir = tempfile.TemporaryDirectory(prefix="labelbridge-bench-")
    try:
        sandbox.control("PUT", "/starshipit/rate-limit", json={"per_second": rate})
        create_sale_orders(sandbox, range(orders))
        sandbox.control("POST", "/counters/reset")
        ours = labelbridge(sandbox, orders, rate, database_url or f"sqlite:///{Path(workdir.name) / 'bench.sqlite3'}")

        sandbox.control("POST", "/reset")  # a clean slate: only the baseline's own orders
        sandbox.control("PUT", "/starshipit/rate-limit", json={"per_second": rate})
        create_sale_orders(sandbox, range(orders, orders + naive_orders))
        sandbox.control("POST", "/counters/reset")
        baseline = naive(sandbox, naive_orders, orders, rate)
    finally:
        sandbox.stop()
        workdir.cleanup()

    ideal = orders / MAX_IMPORT / rate
    naive_seconds = baseline["seconds"] * orders / naive_orders
    return {
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(), "system": platform.platform()},
        "database": (database_url or "sqlite").split(":")[0].split("+")[0],
        "orders": orders,
        "rate_per_second": rate,
        "ideal_seconds": round(ideal, 2),
        "labelbridge": {**ours, "times_ideal": round(ours["seconds"] / ideal, 3)},
        "naive": {
            **baseline,
            "seconds_for_all": round(naive_seconds, 1),
            "extrapolated": naive_orders != orders,
            "times_ideal": round(naive_seconds / ideal, 1),
        },
        "speedup_over_naive": round(naive_seconds / ours["seconds"], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=20.0, help="Starshipit requests/s (simulator and client)")
    parser.add_argument("--naive-orders", type=int, default=1_000, help="orders the baseline is measured on")
    parser.add_argument("--database-url", help="default: SQLite in a temporary folder")
    parser.add_argument("--output", type=Path, help="also write the figures here as JSON")
    args = parser.parse_args()
    figures = run(args.orders, args.rate, min(args.naive_orders, args.orders), args.database_url)
    text = json.dumps(figures, indent=2)
    print(text)
    if args.output:
        args.output.write_text(text + "\n")


if __name__ == "__main__":
    sys.exit(main())
