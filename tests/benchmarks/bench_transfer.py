"""Benchmark: the automatic transfer of N sale orders that reached the trigger status (default
10,000) against the simulators at a Starshipit limit of R requests/s (default 20), as a
multiple of the ideal ``N / 50 / R`` (every order in a full bulk import, every request at the
limit), next to the naive baseline of one create request per order, in one run.

    python tests/benchmarks/bench_transfer.py [--orders 10000] [--rate 20] [--naive-orders 1000]
                                              [--database-url URL] [--output FILE]

labelbridge, measured three times, each time from an empty database and an empty Starshipit, then
checked (every order in Starshipit exactly once; the simulator's 429 counter):
- polled: one ``labelbridge sync --once`` pass (SyncRunner.run_once: the CartonCloud poll by
  status and modified time, every page, imports of 50 under the client's token bucket, plus the
  Starshipit tracking poll and the pending sweep);
- from webhooks: the N sale orders already delivered by the CartonCloud webhook (not timed),
  one worker pass over the inbox, polling off. No CartonCloud reads: this is labelbridge's own
  overhead over the ideal, without the simulator's search (which, filtering N orders in Python
  for each of the N/100 pages, takes a core of its own on a small machine);
- a ``labelbridge worker --once`` process: the polled pass again, in a process of its own, for
  the peak RSS of a worker alone (its ``VmHWM``); its time includes the process's start-up.

Naive: the same orders read from CartonCloud the same way, then one POST /api/orders each, at
the same rate. It needs N / R seconds (500 s for the defaults), so it is measured on
``--naive-orders`` orders and scaled linearly to N — at a fixed request rate its time is
proportional to the number of orders (pass ``--naive-orders N`` to measure it whole).

The simulators run in a separate process (`labelbridge sandbox`), limited to R requests/s per
subscription key as Starshipit's gateway is. Setting the orders up is not timed.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

from bench_print import Sandbox, direct_clients, emit, sale_order
from sqlalchemy import create_engine, text

from server import create_app
from server.cartoncloud import conditions
from server.clients import get_upstreams
from server.db import get_database
from server.demo import sandbox_config
from server.mapping import build_starshipit_order
from server.models import utcnow
from server.starshipit.client import MAX_IMPORT
from server.startup import settle
from server.sync.runner import SyncRunner

WEBHOOK_SECRET = "bench-webhook-secret-0123456789"


def create_sale_orders(sandbox: Sandbox, numbers: range) -> list[dict]:
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(lambda number: sandbox.control("POST", "/sale-orders", json=sale_order(number)), numbers))


def reset_database(url: str) -> None:
    """An empty PostgreSQL database for each measurement (SQLite gets a new file instead)."""
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def starshipit_calls(sandbox: Sandbox) -> dict:
    counters = sandbox.control("GET", "/counters")
    return {"requests": counters["starshipit"], "rate_limited": counters["rate_limited"]["starshipit"]}


def check_each_once(sandbox: Sandbox, numbers: range) -> None:
    orders = sandbox.control("GET", "/starshipit/orders")
    created = sorted(order["order_number"] for order in (orders["orders"] if isinstance(orders, dict) else orders))
    assert created == sorted(f"BENCH-{number}" for number in numbers), "not every order exactly once"


def labelbridge(sandbox: Sandbox, rate: float, database_url: str, webhooks: list[dict] | None = None) -> dict:
    """One sync pass: the CartonCloud poll finds the orders; or, given ``webhooks`` (delivered
    first, not timed), the inbox holds them and nothing is polled."""
    app = create_app(
        {
            **sandbox_config(sandbox),
            "DATABASE_URL": database_url,
            "STARSHIPIT_RATE_PER_SECOND": rate,
            "TRIGGER_LOOKBACK_HOURS": 0.25,  # the orders were packed (minutes) before this first poll
            "CARTONCLOUD_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "RATE_LIMIT": "1000000 per minute",  # the webhooks all come from one address here
            "WEBHOOK_RATE_LIMIT": "1000000 per minute",  # and have a budget of their own
            **({"CARTONCLOUD_POLL_SECONDS": 0, "STARSHIPIT_POLL_SECONDS": 0} if webhooks else {}),
        }
    )
    get_database(app).upgrade()
    client = app.test_client()
    for sale_order_json in webhooks or []:
        response = client.post(
            "/api/v1/webhooks/cartoncloud", json=sale_order_json, headers={"X-Labelbridge-Secret": WEBHOOK_SECRET}
        )
        assert response.status_code == 202, response.get_json()
    runner = SyncRunner(get_database(app).sessions, get_upstreams(app), app.config, name="bench")
    # As `labelbridge worker` does once started; here it also keeps the sale orders this process
    # made for the simulators and the webhooks (a worker holds none of them) out of the pass's
    # garbage collections.
    settle()
    started, cpu = time.perf_counter(), time.process_time()
    summary = runner.run_once(force=not webhooks)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    get_database(app).dispose()
    assert summary.failed == 0, summary.describe()
    return {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "summary": summary.describe(),
        "starshipit": starshipit_calls(sandbox),
    }


# The child's own peak RSS, printed as it exits: /proc's VmHWM belongs to the process's memory
# since its exec, where wait4's ru_maxrss would also count the benchmark's memory it was forked from.
REPORT_PEAK_RSS = (
    "import atexit\n"
    "atexit.register(lambda: print(next(line for line in open('/proc/self/status') if line.startswith('VmHWM'))))\n"
)


def worker_process(sandbox: Sandbox, rate: float, database_url: str) -> dict:
    """The polled pass by ``labelbridge worker --once`` in its own process: its time (start-up
    included) and its peak RSS, which is the worker's alone."""
    settings = {
        **sandbox_config(sandbox),
        "DATABASE_URL": database_url,
        "STARSHIPIT_RATE_PER_SECOND": rate,
        "TRIGGER_LOOKBACK_HOURS": 0.25,
    }
    migrated = create_app(settings)
    get_database(migrated).upgrade()
    get_database(migrated).dispose()
    env = {**os.environ, **{f"LABELBRIDGE_{name}": str(value) for name, value in settings.items()}}
    command = [sys.executable, "-c", REPORT_PEAK_RSS + "from server.cli import main; main()", "worker", "--once"]
    started = time.perf_counter()
    finished = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    assert finished.returncode == 0, finished.stderr
    peak_kb = int(finished.stdout.split()[-2])  # "VmHWM:  123456 kB", the last line
    return {
        "seconds_with_start_up": round(seconds, 2),
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "starshipit": starshipit_calls(sandbox),
    }


def naive(sandbox: Sandbox, orders: int, first_number: int, rate: float) -> dict:
    cartoncloud, starshipit = direct_clients(sandbox, rate)
    condition = conditions.all_of(
        conditions.any_of(
            conditions.text_equals(conditions.STATUS, "PACKED"), conditions.text_equals(conditions.STATUS, "DISPATCHED")
        ),
        conditions.datetime_after(conditions.MODIFIED_TIME, utcnow() - timedelta(hours=1)),
    )
    started = time.perf_counter()
    for found in cartoncloud.iter_sale_orders(condition):
        starshipit.create_order(build_starshipit_order(found)[0])
    seconds = time.perf_counter() - started
    check_each_once(sandbox, range(first_number, first_number + orders))
    return {"measured_orders": orders, "seconds": round(seconds, 2), "starshipit": starshipit_calls(sandbox)}


def run(orders: int, rate: float, naive_orders: int, database_url: str | None) -> dict:
    sandbox = Sandbox()
    workdir = tempfile.TemporaryDirectory(prefix="labelbridge-bench-")

    def clean_slate() -> None:
        sandbox.control("POST", "/reset")
        sandbox.control("PUT", "/starshipit/rate-limit", json={"per_second": rate})

    def database(name: str) -> str:
        if database_url is None:
            return f"sqlite:///{Path(workdir.name) / name}.sqlite3"
        reset_database(database_url)
        return database_url

    try:
        clean_slate()
        sale_orders = create_sale_orders(sandbox, range(orders))
        sandbox.control("POST", "/counters/reset")
        polled = labelbridge(sandbox, rate, database("polled"))
        check_each_once(sandbox, range(orders))

        clean_slate()  # Starshipit empty again; the webhooks carry the sale orders themselves
        delivered = labelbridge(sandbox, rate, database("delivered"), webhooks=sale_orders)
        check_each_once(sandbox, range(orders))

        clean_slate()  # both simulators empty again; the worker process polls as the first pass did
        create_sale_orders(sandbox, range(orders))
        sandbox.control("POST", "/counters/reset")
        worker = worker_process(sandbox, rate, database("worker"))
        check_each_once(sandbox, range(orders))

        clean_slate()  # only the baseline's own orders
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
        "labelbridge_polled": {**polled, "times_ideal": round(polled["seconds"] / ideal, 3)},
        "labelbridge_from_webhooks": {**delivered, "times_ideal": round(delivered["seconds"] / ideal, 3)},
        "labelbridge_worker_process": worker,
        "naive": {
            **baseline,
            "seconds_for_all": round(naive_seconds, 1),
            "extrapolated": naive_orders != orders,
            "times_ideal": round(naive_seconds / ideal, 1),
        },
        "speedup_over_naive": round(naive_seconds / polled["seconds"], 1),
        # this process ran both passes and held the N sale orders for the webhooks besides;
        # labelbridge_worker_process.peak_rss_mb is a worker's own
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
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
    emit(figures, args.output)


if __name__ == "__main__":
    sys.exit(main())
