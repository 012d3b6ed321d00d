"""The scale-out configuration as real processes: `labelbridge serve` (gunicorn, several worker
processes) and `labelbridge worker` processes, against the simulators, and what the scale suites
share to drive and inspect them.

Sizes come from LABELBRIDGE_SCALE_PRINTS (CI: 200; the full-size run: 1000, see
tests/benchmarks/README.md).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

from server import tokens
from server.db import Database
from server.demo import sandbox_config

SCALE_PRINTS = int(os.environ.get("LABELBRIDGE_SCALE_PRINTS", "200"))
COMMAND = [sys.executable, "-c", "from server.cli import main; main()"]


def report(name: str, **figures: Any) -> None:
    """One line of figures for the run's log (shown with ``pytest -s``)."""
    print(f"\nSCALE {name} {json.dumps(figures, sort_keys=True)}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(predicate: Callable[[], Any], timeout: float, what: str, explain: Callable[[], Any] | None = None) -> Any:
    """Poll a condition on other processes' progress (never a fixed sleep), failing after ``timeout``
    with ``explain()`` (what there is instead) in the message."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            instead = f": {explain()}" if explain else ""
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}{instead}")
        time.sleep(0.1)


def children(pid: int) -> list[int]:
    """The processes ``pid`` started (gunicorn's master: its worker processes)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except FileNotFoundError:  # a thread that ended since the listing
            continue
    return found


class Backend:
    """Environment and token for labelbridge processes on ``database_url`` against ``sandbox``."""

    def __init__(self, database_url: str, sandbox, instance: Path, log: Path | None = None, **settings: Any) -> None:
        database = Database(database_url)
        database.upgrade()
        with database.sessions() as session:
            self.token = tokens.create_token(session, "bench-1")
        database.dispose()
        self.headers = {"Authorization": f"Bearer {self.token}"}
        self.env = {
            **os.environ,
            "LABELBRIDGE_DATABASE_URL": database_url,
            "LABELBRIDGE_INSTANCE_PATH": str(instance),
            "LABELBRIDGE_RATE_LIMIT": "100000 per minute",
        }
        self.env.update({f"LABELBRIDGE_{name}": str(value) for name, value in sandbox_config(sandbox).items()})
        self.env.update({f"LABELBRIDGE_{name}": str(value) for name, value in settings.items()})
        self.processes: list[subprocess.Popen] = []
        self.log = log  # where the processes' stderr (their log) goes; None: nowhere
        self.url = ""
        self.serve: subprocess.Popen | None = None

    def start_serve(self, workers: int = 3, threads: int = 4) -> str:
        """`labelbridge serve --workers N --threads T`; returns its URL once it answers."""
        port = free_port()
        self.serve = self._start("serve", "--port", str(port), "--workers", str(workers), "--threads", str(threads))
        self.url = f"http://127.0.0.1:{port}"

        def answers() -> bool:
            assert self.serve.poll() is None, "labelbridge serve exited"
            try:
                return requests.get(f"{self.url}/api/v1/health", timeout=1).ok
            except (requests.ConnectionError, requests.Timeout):  # not listening yet, or a busy machine
                return False

        wait_for(answers, 30, "gunicorn to listen")
        wait_for(lambda: len(children(self.serve.pid)) == workers, 30, "gunicorn's worker processes")
        return self.url

    def start_worker(self) -> subprocess.Popen:
        """A `labelbridge worker` process (writeback outbox and automatic transfer)."""
        return self._start("worker")

    def _start(self, *args: str) -> subprocess.Popen:
        if self.log is None:
            process = subprocess.Popen([*COMMAND, *args], env=self.env, stderr=subprocess.DEVNULL)
        else:
            with self.log.open("ab") as log:
                process = subprocess.Popen([*COMMAND, *args], env=self.env, stderr=log)
        self.processes.append(process)
        return process

    def print_label(self, reference: str, timeout: float = 120) -> requests.Response:
        return requests.post(
            f"{self.url}/api/v1/labels",
            json={"sale_order": {"customer_reference": reference}},
            headers=self.headers,
            timeout=timeout,
        )

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def sandbox_get(sandbox, path: str):
    """GET from the simulators' control API (/_sandbox/…)."""
    response = requests.get(f"{sandbox.url}/_sandbox{path}", timeout=10)
    response.raise_for_status()
    return response.json()


def consignment_tracking(sandbox) -> dict[str, str | None]:
    """Tracking on each CartonCloud consignment, by the id of the sale order it was generated from."""
    consignments = sandbox_get(sandbox, "/cartoncloud/consignments")
    consignments = consignments["consignments"] if isinstance(consignments, dict) else consignments
    return {c["generatedFromTask"]["id"]: c["references"].get("tracking") for c in consignments}


def shippable_sale_order(reference: str, n: int, status: str = "PACKED") -> dict:
    """A shippable Australian sale order (one HEADLAMP) with this customer reference."""
    return {
        "status": status,
        "references": {"customer": reference},
        "details": {
            "deliver": {
                "address": {
                    "contactName": f"Customer {n}",
                    "address1": f"{n} George Street",
                    "suburb": "Brisbane City",
                    "city": "Brisbane",
                    "state": {"code": "QLD"},
                    "postcode": "4000",
                    "country": {"iso2Code": "AU"},
                    "phone": "07 3000 0000",
                }
            }
        },
        "items": [{"details": {"product": {"references": {"code": "HEADLAMP"}}}, "measures": {"quantity": 1}}],
    }


def make_sale_orders(sandbox, prefix: str, count: int, status: str = "PACKED") -> list[str]:
    """``count`` shippable sale orders in the CartonCloud simulator; their customer references."""
    return [
        sandbox.state.create_sale_order(shippable_sale_order(f"{prefix}-{n}", n, status))["references"]["customer"]
        for n in range(count)
    ]


def is_retryable_error(status: int, body: dict, retry_after: str | None) -> bool:
    """A clear retryable error: 503 or 409 in the API's error shape, with a sentence and Retry-After."""
    return (
        status in (409, 503)
        and body.get("status") == status
        and isinstance(body.get("message"), str)
        and len(body["message"].split()) >= 5
        and retry_after is not None
        and int(retry_after) >= 1
    )


def click_until_printed(
    backend: Backend, reference: str, deadline: float, answers: list, pause_at_most: float | None = None
) -> dict:
    """What a packer does: click, and on a retryable error click again after Retry-After (or after
    ``pause_at_most`` seconds, if sooner: a packer who does not wait as long as asked); every answer
    is kept in ``answers`` as (reference, status, body, retry_after). Returns the label answer."""
    while True:
        try:
            response = backend.print_label(reference)
        except requests.ConnectionError as error:  # only the kill -9 suite makes these
            answers.append((reference, "connection_error", str(error), None))
            time.sleep(0.5)
            continue
        retry_after = response.headers.get("Retry-After")
        answers.append((reference, response.status_code, response.json(), retry_after))
        if response.status_code in (200, 201):
            return response.json()
        if not is_retryable_error(response.status_code, response.json(), retry_after) or time.monotonic() > deadline:
            return response.json()
        pause = float(retry_after) if pause_at_most is None else min(float(retry_after), pause_at_most)
        time.sleep(min(pause, max(0.0, deadline - time.monotonic())))  # the packer's pause
