"""Profile: the CPU a request costs the backend itself, in-process, for the hot paths.

    python tests/benchmarks/profile_requests.py [--requests 3000] [--database-url URL]
        [--only health,whoami,lookup,reprint] [--cprofile FOLDER]

The app runs in this process behind Flask's test client (no server, no network but the
simulators' process, which the lookup and the reprint never call: their orders are printed
first). Each request kind is sent in rounds of 100; the figure is the CPU time of this thread per
request, the fastest round and the first quartile (the least disturbed by other work on the
machine), next to a bare Flask app's "hello" measured the same way, so the backend's own share
is the difference. With --cprofile, each kind is run once more under cProfile and its stats are
written to FOLDER/<kind>.prof (read them with ``python -m pstats``).
"""

from __future__ import annotations

import argparse
import cProfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench_print import UNLIMITED, Sandbox, analyze, sale_order
from flask import Flask

from server import create_app, tokens
from server.db import get_database
from server.demo import sandbox_config

ROUND = 100
PRINTED = 20


def hello_client():
    app = Flask("hello")
    app.add_url_rule("/hello", "hello", lambda: {"hello": "world"})
    return app.test_client()


def per_request(send: Callable[[int], object], requests: int) -> dict[str, float]:
    for number in range(ROUND):  # warm-up: caches filled, statements compiled
        send(number)
    rounds = []
    for _ in range(max(1, requests // ROUND)):
        started = time.thread_time()
        for number in range(ROUND):
            send(number)
        rounds.append((time.thread_time() - started) / ROUND * 1000)
    rounds.sort()
    return {"fastest_ms": round(rounds[0], 3), "first_quartile_ms": round(rounds[len(rounds) // 4], 3)}


def requests_of(client, headers: dict, references: list[str]) -> dict[str, Callable[[int], object]]:
    def expect(response, status: int):
        assert response.status_code == status, response.get_json()
        return response

    def reprint(number: int):
        body = {"sale_order": {"customer_reference": references[number % PRINTED]}}
        return expect(client.post("/api/v1/labels", json=body, headers=headers), 200)

    def lookup(number: int):
        query = f"customer_reference={references[number % PRINTED]}"
        return expect(client.get(f"/api/v1/orders/lookup?{query}", headers=headers), 200)

    return {
        "health": lambda _number: expect(client.get("/api/v1/health"), 200),
        "whoami": lambda _number: expect(client.get("/api/v1/whoami", headers=headers), 200),
        "lookup": lookup,
        "reprint": reprint,
    }


def run(args: argparse.Namespace) -> dict:
    sandbox = Sandbox()
    workdir = tempfile.TemporaryDirectory(prefix="labelbridge-profile-")
    try:
        sandbox.control("PUT", "/starshipit/rate-limit", json={"per_second": UNLIMITED, "burst": UNLIMITED})
        references = [
            sandbox.control("POST", "/sale-orders", json=sale_order(n))["references"]["customer"]
            for n in range(PRINTED)
        ]
        app = create_app(
            {
                **sandbox_config(sandbox),
                "STARSHIPIT_RATE_PER_SECOND": UNLIMITED,
                "RATE_LIMIT": "100000000 per minute",
                "VALIDATE_ADDRESSES": False,
                "DATABASE_URL": args.database_url or f"sqlite:///{Path(workdir.name) / 'profile.sqlite3'}",
            }
        )
        get_database(app).upgrade()
        with get_database(app).sessions() as session:
            headers = {"Authorization": f"Bearer {tokens.create_token(session, f'profile-{time.time_ns()}')}"}
        client = app.test_client()
        for reference in references:
            body = {"sale_order": {"customer_reference": reference}}
            printed = client.post("/api/v1/labels", json=body, headers=headers).status_code
            assert printed in (200, 201), printed  # 200: printed by an earlier run on this database
        analyze(get_database(app).url)
        hello = hello_client()
        figures = {"hello": per_request(lambda _number: hello.get("/hello"), args.requests)}
        for kind, send in requests_of(client, headers, references).items():
            if kind not in args.only:
                continue
            figures[kind] = per_request(send, args.requests)
            if args.cprofile:
                profile = cProfile.Profile()
                profile.runcall(lambda send=send: [send(number) for number in range(args.requests)])
                profile.dump_stats(args.cprofile / f"{kind}.prof")
        get_database(app).dispose()
        return figures
    finally:
        sandbox.stop()
        workdir.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--database-url", help="default: SQLite in a temporary folder")
    parser.add_argument("--only", type=lambda text: text.split(","), default=["health", "whoami", "lookup", "reprint"])
    parser.add_argument("--cprofile", type=Path, help="write each kind's cProfile stats here")
    args = parser.parse_args()
    if args.cprofile:
        args.cprofile.mkdir(parents=True, exist_ok=True)
    for kind, figures in run(args).items():
        print(
            f"{kind:8} {figures['fastest_ms']:.3f} ms fastest round, {figures['first_quartile_ms']:.3f} ms first quartile"
        )


if __name__ == "__main__":
    main()
