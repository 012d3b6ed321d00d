"""Benchmark: the backend's own time for a first print and a reprint, against the same upstream
calls made directly with the clients, in one run, with the simulators answering instantly.

    python tests/benchmarks/bench_print.py [--orders 500] [--database-url URL]

The simulators run in a separate process (`labelbridge sandbox`) so the peak RSS reported is the
backend's (this process: the Flask app driven through its WSGI test client, and the direct
clients). Orders alternate between the two paths so drift on the machine hits both alike.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from sqlalchemy import create_engine

from server import create_app, tokens
from server.cartoncloud.client import CartonCloudClient
from server.db import get_database
from server.demo import sandbox_config
from server.mapping import build_starshipit_order
from server.sandbox import credentials
from server.starshipit.client import StarshipitClient

UNLIMITED = 1_000_000  # requests/s: no pacing, so the figures are the code's own time


class Sandbox:
    """`labelbridge sandbox` in its own process; `sandbox_config` reads the same attributes."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        self.starshipit_url, self.cartoncloud_url = f"{self.url}/starshipit", f"{self.url}/cartoncloud"
        command = [sys.executable, "-c", "from server.cli import main; main()", "sandbox", "--port", str(port)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while True:  # wait for the process to listen (start-up, not synchronisation of results)
            try:
                requests.get(f"{self.url}/_sandbox/info", timeout=1).raise_for_status()
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def control(self, method: str, path: str, **kwargs):
        response = requests.request(method, f"{self.url}/_sandbox{path}", timeout=30, **kwargs)
        response.raise_for_status()
        return response.json()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def direct_clients(sandbox: Sandbox, rate_per_second: float) -> tuple[CartonCloudClient, StarshipitClient]:
    """The two clients on the sandbox's demo credentials, used without labelbridge (the baselines)."""
    cartoncloud = CartonCloudClient(
        sandbox.cartoncloud_url,
        credentials.CARTONCLOUD_CLIENT_ID,
        credentials.CARTONCLOUD_CLIENT_SECRET,
        credentials.CARTONCLOUD_TENANT_ID,
    )
    starshipit = StarshipitClient(
        sandbox.starshipit_url,
        credentials.STARSHIPIT_API_KEY,
        credentials.STARSHIPIT_SUBSCRIPTION_KEY,
        rate_per_second=rate_per_second,
    )
    return cartoncloud, starshipit


def sale_order(number: int) -> dict:
    return {
        "status": "PACKED",
        "references": {"customer": f"BENCH-{number}"},
        "details": {
            "deliver": {
                "address": {
                    "contactName": f"Bench Customer {number}",
                    "address1": f"{number} George Street",
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
        "items": [{"details": {"product": {"references": {"code": "HEADLAMP"}}}, "measures": {"quantity": 1}}],
    }


def analyze(database_url: str) -> None:
    """PostgreSQL: the planner's statistics of the tables the set-up filled, as autovacuum keeps
    them on a server that runs it (this machine's PostgreSQL has it off). Without them every
    table looks empty to the planner, which may then read a lookup's order by an index on the
    tenant alone and filter all of the tenant's orders. SQLite plans without statistics."""
    engine = create_engine(database_url)
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("ANALYZE")
    engine.dispose()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "median_ms": round(statistics.median(values) * 1000, 3),
        "p99_ms": round(percentile(values, 0.99) * 1000, 3),
        "per_second": round(len(values) / sum(values), 1),
    }


def timed(call) -> tuple[float, object]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def run(orders: int, database_url: str | None) -> dict:
    sandbox = Sandbox()
    workdir = tempfile.TemporaryDirectory(prefix="labelbridge-bench-")
    try:
        sandbox.control("PUT", "/starshipit/rate-limit", json={"per_second": UNLIMITED, "burst": UNLIMITED})
        numeric_ids = [
            sandbox.control("POST", "/sale-orders", json=sale_order(number))["references"]["numericId"]
            for number in range(2 * orders)
        ]
        backend_ids, direct_ids = numeric_ids[0::2], numeric_ids[1::2]

        config = {
            **sandbox_config(sandbox),
            "STARSHIPIT_RATE_PER_SECOND": UNLIMITED,
            "WRITEBACK_MODE": "consignment",
            "RATE_LIMIT": "1000000 per minute",  # the per-token limit would throttle the loop itself
            # the print path's optional address check is one more Starshipit GET; off, so both
            # paths make exactly the same upstream calls
            "VALIDATE_ADDRESSES": False,
            "DATABASE_URL": database_url or f"sqlite:///{Path(workdir.name) / 'bench.sqlite3'}",
        }
        app = create_app(config)
        get_database(app).upgrade()
        with get_database(app).sessions() as session:
            headers = {"Authorization": f"Bearer {tokens.create_token(session, 'bench')}"}
        client = app.test_client()
        cartoncloud, starshipit = direct_clients(sandbox, UNLIMITED)

        def backend_print(numeric_id: str, expected: int):
            response = client.post("/api/v1/labels", json={"sale_order": {"numeric_id": numeric_id}}, headers=headers)
            assert response.status_code == expected, response.get_json()

        def direct_print(numeric_id: str):
            (found,) = cartoncloud.find_sale_orders_by_numeric_id(numeric_id)
            order, _warnings = build_starshipit_order(found)
            assert starshipit.find_order_by_number(order["order_number"]) is None
            created = starshipit.create_order(order)
            return starshipit.print_label(order_id=created["order_id"])

        backend_print(backend_ids[0], 201)  # warm-up: connection pools, the OAuth token, imports
        direct_ids_left, backend_ids_left = direct_ids[1:], backend_ids[1:]
        direct_print(direct_ids[0])

        counters_before = sandbox.control("GET", "/counters")
        first_backend, first_direct, shipments = [], [], []
        for backend_id, direct_id in zip(backend_ids_left, direct_ids_left, strict=False):
            first_backend.append(timed(lambda backend_id=backend_id: backend_print(backend_id, 201))[0])
            elapsed, shipment = timed(lambda direct_id=direct_id: direct_print(direct_id))
            first_direct.append(elapsed)
            shipments.append(shipment)
        counters_after = sandbox.control("GET", "/counters")

        reprint_backend, reprint_direct = [], []
        for backend_id, shipment in zip(backend_ids_left, shipments, strict=False):
            reprint_backend.append(timed(lambda backend_id=backend_id: backend_print(backend_id, 200))[0])
            reprint_direct.append(
                timed(lambda shipment=shipment: starshipit.print_label(order_id=shipment.order_id, reprint=True))[0]
            )

        calls = {
            service: sum(counters_after[service].values()) - sum(counters_before[service].values())
            for service in ("starshipit", "cartoncloud")
        }
        backend_first, direct_first = summary(first_backend), summary(first_direct)
        return {
            "machine": {"cores": os.cpu_count(), "python": platform.python_version(), "system": platform.platform()},
            "database": get_database(app).engine.dialect.name,
            "orders": len(first_backend),
            "first_print": {"backend": backend_first, "direct_calls": direct_first},
            "first_print_overhead_median_ms": round(backend_first["median_ms"] - direct_first["median_ms"], 3),
            "reprint": {"backend": summary(reprint_backend), "direct_reprint_call": summary(reprint_direct)},
            # both paths make the same calls, so half the total is each path's share
            "upstream_calls_per_first_print": round(
                (calls["starshipit"] + calls["cartoncloud"]) / (2 * len(first_backend)), 2
            ),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
    finally:
        sandbox.stop()
        workdir.cleanup()


def emit(figures: dict, output: Path | None) -> None:
    """The figures as JSON on stdout, and in ``output`` when given."""
    text = json.dumps(figures, indent=2)
    print(text)
    if output:
        output.write_text(text + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=500)
    parser.add_argument("--database-url", help="default: SQLite in a temporary folder")
    parser.add_argument("--output", type=Path, help="also write the figures here as JSON")
    args = parser.parse_args()
    figures = run(args.orders + 1, args.database_url)
    emit(figures, args.output)


if __name__ == "__main__":
    main()
