"""Benchmark: reprints and lookups at the highest rate the machine gives, against the scale-out
configuration — `labelbridge serve` (gunicorn, N worker processes) and two `labelbridge worker`
processes — with the framework's own floor measured in the same run.

    python tests/benchmarks/bench_load.py [--workers 2] [--orders 200] [--seconds 20]
        [--clients 2x8] [--database-url postgresql+psycopg://…] [--output FILE]

A closed-loop load generator on loopback: C processes × T threads, each thread with its own
keep-alive session sending one request after another (no pacing) for the given seconds. Scenarios,
one after another on the same server:
- health: GET /api/v1/health — no token, no database: the floor of gunicorn + Flask + this
  generator (the baseline);
- whoami: GET /api/v1/whoami — the token check alone (one database read);
- lookup: GET /api/v1/orders/lookup?customer_reference=… of a printed order (what the button asks
  when a page opens), answered from labelbridge's own record;
- reprint: POST /api/v1/labels of a printed order — the stored label, no upstream call.
Each: requests/s, median/p99 latency, errors (anything but the expected status, or no answer),
and the upstream calls made meanwhile (none expected: polling is off and the workers have
delivered the first prints' writebacks before the load starts).
Then the peak RSS (VmHWM) of every labelbridge process. The generator shares the machine's cores
with the server, so the rates are what this machine gives to both together.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests
from bench_print import Sandbox, emit, percentile, sale_order

from server import outbox, tokens
from server.db import Database
from server.demo import sandbox_config

UNLIMITED = 1_000_000
COMMAND = [sys.executable, "-c", "from server.cli import main; main()"]


def _client_process(url: str, requests_list: list[dict], threads: int, seconds: float, queue) -> None:
    """One generator process: ``threads`` closed loops for ``seconds``; puts (latencies, errors)."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def loop(offset: int) -> None:
        session = requests.Session()
        mine, failed, n = [], 0, offset
        while time.perf_counter() < stop_at:
            spec = requests_list[n % len(requests_list)]
            n += threads
            started = time.perf_counter()
            try:
                response = session.request(
                    spec["method"], url + spec["path"], json=spec.get("json"), headers=spec.get("headers"), timeout=30
                )
                ok = response.status_code == spec["expect"]
            except requests.RequestException:
                ok = False
            mine.append(time.perf_counter() - started)
            failed += not ok
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    workers = [threading.Thread(target=loop, args=(index,)) for index in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    queue.put((latencies, errors[0]))


def load(url: str, requests_list: list[dict], processes: int, threads: int, seconds: float) -> dict:
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    clients = [
        context.Process(
            target=_client_process, args=(url, requests_list[i::processes] or requests_list, threads, seconds, queue)
        )
        for i in range(processes)
    ]
    started = time.perf_counter()
    for client in clients:
        client.start()
    results = [queue.get() for _ in clients]
    elapsed = time.perf_counter() - started
    for client in clients:
        client.join()
    latencies = [value for values, _ in results for value in values]
    return {
        "requests": len(latencies),
        "per_second": round(len(latencies) / elapsed, 1),
        "median_ms": round(statistics.median(latencies) * 1000, 2),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 2),
        "errors": sum(errors for _, errors in results),
    }


def upstream_calls(sandbox: Sandbox) -> int:
    """Calls the simulators have had, both services."""
    counters = sandbox.control("GET", "/counters")
    return sum(counters["starshipit"].values()) + sum(counters["cartoncloud"].values())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def children(pid: int) -> list[int]:
    return [
        int(child) for task in Path(f"/proc/{pid}/task").iterdir() for child in (task / "children").read_text().split()
    ]


def wait_until(predicate, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():  # start-up of processes, not synchronisation of results
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(0.1)


def machine() -> dict:
    memory_kib = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal:")
    )
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(memory_kib / 1024 / 1024, 1),
        "python": platform.python_version(),
        "system": platform.platform(),
        "load_average_before": [round(value, 2) for value in os.getloadavg()],
    }


def run(args: argparse.Namespace) -> dict:
    figures = {"machine": machine()}
    sandbox = Sandbox()
    workdir = tempfile.TemporaryDirectory(prefix="labelbridge-load-")
    processes: list[subprocess.Popen] = []
    try:
        sandbox.control("PUT", "/starshipit/rate-limit", json={"per_second": UNLIMITED, "burst": UNLIMITED})
        references = [
            sandbox.control("POST", "/sale-orders", json=sale_order(n))["references"]["customer"]
            for n in range(args.orders)
        ]
        database_url = args.database_url or f"sqlite:///{Path(workdir.name) / 'load.sqlite3'}"
        database = Database(database_url)
        database.upgrade()
        with database.sessions() as session:
            headers = {"Authorization": f"Bearer {tokens.create_token(session, 'bench-load')}"}
        figures["database"] = database.engine.dialect.name

        env = {**os.environ, "LABELBRIDGE_INSTANCE_PATH": workdir.name}
        # Polling off: the workers deliver the first prints' writebacks, then wait, so every
        # upstream call counted during a scenario is one its requests made.
        settings = {
            **sandbox_config(sandbox),
            "DATABASE_URL": database_url,
            "STARSHIPIT_RATE_PER_SECOND": UNLIMITED,
            "RATE_LIMIT": "100000000 per minute",
            "VALIDATE_ADDRESSES": False,
            "CARTONCLOUD_POLL_SECONDS": 0,
            "STARSHIPIT_POLL_SECONDS": 0,
        }
        env.update({f"LABELBRIDGE_{name}": str(value) for name, value in settings.items()})
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        serve = subprocess.Popen(
            [*COMMAND, "serve", "--port", str(port), "--workers", str(args.workers)], env=env, stderr=subprocess.DEVNULL
        )
        processes.append(serve)
        processes += [subprocess.Popen([*COMMAND, "worker"], env=env, stderr=subprocess.DEVNULL) for _ in range(2)]

        def answers() -> bool:
            try:
                return requests.get(f"{url}/api/v1/health", timeout=1).ok
            except requests.ConnectionError:
                return False

        wait_until(answers, 30, "labelbridge serve")
        for reference in references:  # the first prints: what the reprints and lookups then read
            response = requests.post(
                f"{url}/api/v1/labels",
                json={"sale_order": {"customer_reference": reference}},
                headers=headers,
                timeout=60,
            )
            assert response.status_code == 201, response.text

        def writebacks_delivered() -> bool:
            with database.sessions() as session:
                jobs = outbox.jobs(session)
            return len(jobs) == len(references) and all(job.state == outbox.DONE for job in jobs)

        wait_until(writebacks_delivered, 120, "the workers to deliver the first prints' writebacks")
        database.dispose()

        processes_count, threads = (int(part) for part in args.clients.split("x"))
        scenarios = {
            "health": [{"method": "GET", "path": "/api/v1/health", "expect": 200}],
            "whoami": [{"method": "GET", "path": "/api/v1/whoami", "headers": headers, "expect": 200}],
            "lookup": [
                {
                    "method": "GET",
                    "path": f"/api/v1/orders/lookup?customer_reference={reference}",
                    "headers": headers,
                    "expect": 200,
                }
                for reference in references
            ],
            "reprint": [
                {
                    "method": "POST",
                    "path": "/api/v1/labels",
                    "headers": headers,
                    "expect": 200,
                    "json": {"sale_order": {"customer_reference": reference}},
                }
                for reference in references
            ],
        }
        figures["load"] = {
            "workers": args.workers,
            "clients": f"{processes_count} processes x {threads} threads",
            "seconds_each": args.seconds,
        }
        for name, specs in scenarios.items():
            load(url, specs, processes_count, threads, min(3.0, args.seconds))  # warm-up, not counted
            before = upstream_calls(sandbox)
            figures[name] = load(url, specs, processes_count, threads, args.seconds)
            figures[name]["upstream_calls"] = upstream_calls(sandbox) - before
            print(name, figures[name], file=sys.stderr)
        figures["peak_rss_mb"] = {
            "gunicorn_master": peak_rss_mb(serve.pid),
            "gunicorn_workers": [peak_rss_mb(pid) for pid in children(serve.pid)],
            "labelbridge_workers": [peak_rss_mb(process.pid) for process in processes[1:]],
        }
        return figures
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        sandbox.stop()
        workdir.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")
    parser.add_argument("--orders", type=int, default=200, help="printed orders the load reads (default 200)")
    parser.add_argument("--seconds", type=float, default=20.0, help="per scenario (default 20)")
    parser.add_argument("--clients", default="2x8", help="generator processes x threads (default 2x8)")
    parser.add_argument("--database-url", help="default: SQLite in a temporary folder")
    parser.add_argument("--output", type=Path, help="also write the figures here as JSON")
    args = parser.parse_args()
    emit(run(args), args.output)


if __name__ == "__main__":
    main()
