"""Benchmark: the hot paths over HTTP against the framework itself, loaded by wrk.

    python tests/benchmarks/bench_http.py [--seconds 5] [--rounds 3] [--connections 16] [--threads 2]
        [--workers 2] [--orders 200] [--postgres-url postgresql+psycopg://…] [--output FILE]
        [--smoke]

In one run, for SQLite (a temporary file) and, with --postgres-url (an empty database), PostgreSQL:
- a bare Flask app answering JSON "hello", under gunicorn with the same settings as
  `labelbridge serve` (N worker processes × 4 threads, each keeping at most its share of wrk's
  connections: ``worker_connections``): the floor;
- `labelbridge serve --workers N` against the simulators (a `labelbridge sandbox` process), with
  --orders sale orders printed first, then loaded by wrk, one scenario after another:
  health (`GET /api/v1/health`), whoami (the token check), lookup (`GET /orders/lookup` of a
  printed order, rotating over all of them) and reprint (`POST /labels` of a printed order).
Both servers stay up and the loads alternate, --rounds times over: hello, health, hello, whoami,
hello, lookup, hello, reprint, hello. Each load of a scenario has a share: its requests/s over the
mean of the hello loads either side of it (a machine whose load drifts moves both alike). Each
scenario: the median of its rounds' shares (one round that other work on the host slowed does not
decide it), requests/s, median and p99 latency (medians over the rounds), non-2xx answers and
socket errors (summed); then the peak RSS (VmHWM) of each gunicorn worker. wrk is a C load
generator in a process of its own (Debian's package; installed with apt when missing), so it
takes little of the server's CPU. --smoke runs each scenario for a second on SQLite only and
checks nothing about speed (CI runs it so the script keeps working).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests
from bench_load import children, free_port, machine, peak_rss_mb, wait_until
from bench_print import Sandbox, analyze, emit, sale_order

from server import tokens
from server.db import Database
from server.demo import sandbox_config

COMMAND = [sys.executable, "-c", "from server.cli import main; main()"]
UNLIMITED = 1_000_000
HELLO_APP = """
from flask import Flask

app = Flask(__name__)


@app.get("/hello")
def hello():
    return {"hello": "world"}
"""
# Rotates over the requests in ``requests`` (a Lua table of {method, path, body}) per connection.
WRK_SCRIPT = """
local requests = {REQUESTS}
local counter = 0
request = function()
  counter = counter + 1
  local spec = requests[(counter % #requests) + 1]
  return wrk.format(spec[1], spec[2], HEADERS, spec[3])
end
"""


def ensure_wrk() -> str:
    if shutil.which("wrk") is None:
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"],
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            stdout=subprocess.DEVNULL,
        )
    return shutil.which("wrk")


def lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid Lua string for these ASCII values


def wrk_script(folder: Path, name: str, specs: list[tuple[str, str, str | None]], headers: dict[str, str]) -> Path:
    table = (
        "{"
        + ", ".join(
            "{" + ", ".join([lua_string(method), lua_string(path), lua_string(body) if body else "nil"]) + "}"
            for method, path, body in specs
        )
        + "}"
    )
    lua_headers = "{" + ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in headers.items()) + "}"
    path = folder / f"{name}.lua"
    path.write_text(WRK_SCRIPT.replace("{REQUESTS}", table).replace("HEADERS", lua_headers))
    return path


def parse_wrk(output: str) -> dict:
    def duration_ms(text: str) -> float:
        value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
        return round(float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit], 3)

    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", output, re.MULTILINE))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "median_ms": duration_ms(percentiles["50"]),
        "p99_ms": duration_ms(percentiles["99"]),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": sum(int(n) for n in socket_errors.groups()) if socket_errors else 0,
    }


def load(wrk: str, url: str, script: Path, args: argparse.Namespace) -> dict:
    output = subprocess.run(
        [wrk, f"-t{args.threads}", f"-c{args.connections}", f"-d{args.seconds}s", "--latency", "-s", str(script), url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return parse_wrk(output)


def answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=1).ok
    except (requests.ConnectionError, requests.Timeout):  # not listening yet, or busy starting up
        return False


def start(command: list[str], env: dict, cwd: str | None = None) -> subprocess.Popen:
    return subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=30)


def worker_connections(args: argparse.Namespace) -> int:
    """Each worker's share of wrk's connections, for both servers. wrk opens its connections at
    once and keeps them alive for the whole load; left to the kernel, the worker that woke first
    sometimes accepted all of them, and that server ran on one core for the load (a hello load at
    1,900 requests/s between loads at 6,000, its other worker idle). Bounded, each worker takes
    its share, as each would of many clients."""
    return math.ceil(args.connections / args.workers)


def gunicorn_workers_rss(master: subprocess.Popen) -> list[float]:
    return [peak_rss_mb(pid) for pid in children(master.pid)]


@contextmanager
def hello_app(folder: Path, args: argparse.Namespace) -> Iterator[tuple[str, subprocess.Popen]]:
    """The bare Flask app under gunicorn with `labelbridge serve`'s settings: its URL and master."""
    (folder / "hello.py").write_text(textwrap.dedent(HELLO_APP))
    port = free_port()
    gunicorn = [sys.executable, "-m", "gunicorn", "--workers", str(args.workers), "--threads", "4"]
    gunicorn += ["--worker-connections", str(worker_connections(args))]
    server = start([*gunicorn, "--bind", f"127.0.0.1:{port}", "hello:app"], {**os.environ}, cwd=str(folder))
    try:
        wait_until(lambda: answers(f"http://127.0.0.1:{port}/hello"), 30, "the hello app")
        yield f"http://127.0.0.1:{port}", server
    finally:
        stop(server)


@contextmanager
def labelbridge(
    sandbox: Sandbox, database_url: str, folder: Path, args: argparse.Namespace
) -> Iterator[tuple[str, subprocess.Popen, dict[str, list], dict[str, str]]]:
    """`labelbridge serve` with --orders printed orders: its URL, master, scenarios and headers."""
    sandbox.control("POST", "/reset")
    sandbox.control("PUT", "/starshipit/rate-limit", json={"per_second": UNLIMITED, "burst": UNLIMITED})
    references = [
        sandbox.control("POST", "/sale-orders", json=sale_order(n))["references"]["customer"]
        for n in range(args.orders)
    ]
    database = Database(database_url)
    database.upgrade()
    with database.sessions() as session:
        token = tokens.create_token(session, f"bench-http-{time.monotonic_ns()}")
    database.dispose()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    settings = {
        **sandbox_config(sandbox),
        "DATABASE_URL": database_url,
        "STARSHIPIT_RATE_PER_SECOND": UNLIMITED,
        "RATE_LIMIT": "100000000 per minute",
        "VALIDATE_ADDRESSES": False,
        "CARTONCLOUD_POLL_SECONDS": 0,
        "STARSHIPIT_POLL_SECONDS": 0,
    }
    env = {**os.environ, "LABELBRIDGE_INSTANCE_PATH": str(folder)}
    env.update({f"LABELBRIDGE_{name}": str(value) for name, value in settings.items()})
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    serve = ["serve", "--port", str(port), "--workers", str(args.workers)]
    server = start([*COMMAND, *serve, "--worker-connections", str(worker_connections(args))], env)
    try:
        wait_until(lambda: answers(f"{url}/api/v1/health"), 30, "labelbridge serve")
        for reference in references:  # the first prints: what the lookups and reprints then read
            body = {"sale_order": {"customer_reference": reference}}
            response = requests.post(f"{url}/api/v1/labels", json=body, headers=headers, timeout=60)
            assert response.status_code in (200, 201), response.text  # 200: an earlier run on this database
        analyze(database_url)
        scenarios = {
            "health": [("GET", "/api/v1/health", None)],
            "whoami": [("GET", "/api/v1/whoami", None)],
            "lookup": [
                ("GET", f"/api/v1/orders/lookup?customer_reference={reference}", None) for reference in references
            ],
            "reprint": [
                ("POST", "/api/v1/labels", json.dumps({"sale_order": {"customer_reference": reference}}))
                for reference in references
            ],
        }
        yield url, server, scenarios, headers
    finally:
        stop(server)


def over_rounds(loads: list[dict]) -> dict:
    """A scenario's figures from its loads, one per round."""
    return {
        "per_second": round(statistics.median(run["per_second"] for run in loads), 1),
        "median_ms": statistics.median(run["median_ms"] for run in loads),
        "p99_ms": statistics.median(run["p99_ms"] for run in loads),
        "requests": sum(run["requests"] for run in loads),
        "non_2xx": sum(run["non_2xx"] for run in loads),
        "socket_errors": sum(run["socket_errors"] for run in loads),
        "share_of_hello": round(statistics.median(run["share_of_hello"] for run in loads), 3),
        "share_each_round": [run["share_of_hello"] for run in loads],
        "hello_either_side_per_second": [run["hello_either_side_per_second"] for run in loads],
    }


def measure_engine(wrk: str, sandbox: Sandbox, database_url: str, folder: Path, args: argparse.Namespace) -> dict:
    """Each scenario between two loads of the hello app, both servers up all along, in rounds: a
    load's share is of the mean of the hello loads either side, so a machine that drifts (other
    work starting or stopping) moves both alike; the scenario's share is its rounds' median."""
    hello_script = wrk_script(folder, "hello", [("GET", "/hello", None)], {})
    with (
        hello_app(folder, args) as (hello_url, hello_server),
        labelbridge(sandbox, database_url, folder, args) as (
            url,
            server,
            scenarios,
            headers,
        ),
    ):
        scripts = {
            name: wrk_script(folder, name, specs, {} if name == "health" else headers)
            for name, specs in scenarios.items()
        }
        hellos = [load(wrk, hello_url, hello_script, args)]
        loads: dict[str, list[dict]] = {name: [] for name in scenarios}
        for _round in range(args.rounds):
            for name, script in scripts.items():
                run = load(wrk, url, script, args)
                hellos.append(load(wrk, hello_url, hello_script, args))
                either_side = statistics.mean(hello["per_second"] for hello in hellos[-2:])
                run["hello_either_side_per_second"] = round(either_side, 1)
                run["share_of_hello"] = round(run["per_second"] / either_side, 3)
                loads[name].append(run)
        figures = {name: over_rounds(runs) for name, runs in loads.items()}
        figures["peak_rss_mb_per_worker"] = gunicorn_workers_rss(server)
        baseline = {
            "per_second": round(statistics.median(run["per_second"] for run in hellos), 1),
            "per_second_each_load": [run["per_second"] for run in hellos],
            "median_ms": statistics.median(run["median_ms"] for run in hellos),
            "p99_ms": statistics.median(run["p99_ms"] for run in hellos),
            "peak_rss_mb_per_worker": gunicorn_workers_rss(hello_server),
        }
        return {"hello": baseline, **figures}


def run(args: argparse.Namespace) -> dict:
    wrk = ensure_wrk()
    figures = {
        "machine": machine(),
        "settings": {
            "workers": args.workers,
            "threads_per_worker": 4,
            "wrk": f"-t{args.threads} -c{args.connections} -d{args.seconds}s",
            "rounds": args.rounds,
        },
    }
    sandbox = Sandbox()
    try:
        engines = {"sqlite": None, **({"postgresql": args.postgres_url} if args.postgres_url else {})}
        for engine, url in engines.items():
            with tempfile.TemporaryDirectory(prefix="labelbridge-http-") as folder:
                database_url = url or f"sqlite:///{Path(folder) / 'http.sqlite3'}"
                figures[engine] = measure_engine(wrk, sandbox, database_url, Path(folder), args)
        return figures
    finally:
        sandbox.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=5, help="each load's length")
    parser.add_argument("--rounds", type=int, default=3, help="loads of each scenario, each between two hello loads")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--postgres-url", help="an empty PostgreSQL database: measured as well as SQLite")
    parser.add_argument("--output", type=Path, help="also write the figures here as JSON")
    parser.add_argument("--smoke", action="store_true", help="a second per scenario, one round, SQLite only, 5 orders")
    args = parser.parse_args()
    if args.smoke:
        args.seconds, args.rounds, args.orders, args.postgres_url = 1, 1, 5, None
    emit(run(args), args.output)


if __name__ == "__main__":
    main()
