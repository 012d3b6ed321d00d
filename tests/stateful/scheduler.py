"""A seeded random scheduler of everything that can touch one sale order's Starshipit order, run
against real processes: `labelbridge serve` (gunicorn, two worker processes), a `labelbridge
worker` and `labelbridge sync --once` passes, all on one database, against the simulators.

Each step is one action chosen with ``random.Random(seed)``: a new sale order, a move to PACKED,
the CartonCloud webhook, a click (sometimes two at once on one order, or a retry with the same
Idempotency-Key), a batch, a redo, a `sync --once` pass, a print or relabel "in the Starshipit
app", a tracking webhook, a create left unanswered that lands late (a sandbox ``timeout`` fault
held longer than labelbridge's read timeout but inside the in-flight window), and ``kill -9`` of
a gunicorn worker or of the `labelbridge worker`. Clicks, batches, redos and passes run in the
background, so they overlap one another and the worker's own passes.

Invariants:
- after every step: no order number is in Starshipit twice (a redo prints a new label on the
  same order, so this is "one Starshipit order per sale order, plus none per redo");
- as each click, batch or redo ends: a label, or a clear retryable error (409/503 in the API's
  error shape with Retry-After); a connection cut only when a serve worker was killed meanwhile;
- at every quiet point (nothing of ours in flight): every stored current label carries the
  tracking Starshipit holds for its order (orders changed in the Starshipit app are exempt until
  labelbridge has seen the change), and no order has more labels than 1 + redos + app relabels;
- at the end, once nothing may still land: every sale order is clicked until printed, and each
  is in Starshipit exactly once with the tracking of its one current label.

The seed fixes the sequence of actions (not the operating system's interleaving of the
processes): a failure prints the seed, the step log and the command that runs it again.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import func, select

from server.db import Database
from server.models import Label, SaleOrder, StarshipitCreate, utcnow
from tests.scale.stack import COMMAND, Backend, children, is_retryable_error, shippable_sale_order, wait_for

CONNECT_TIMEOUT = 1.0
READ_TIMEOUT = 1.5
WINDOW = 2 * (CONNECT_TIMEOUT + READ_TIMEOUT)  # sends.in_flight_window: 5 s
# A late create is held this long by the simulator, then made: after labelbridge gave up (READ_TIMEOUT)
# and inside the window in which nobody creates the order again, with room to spare: on a starved
# machine the simulator (in the test's process) has started its hold 1.7 s after the request was
# sent, and a create that lands after the window may rightly be made again (sends.py).
HOLD_MIN, HOLD_MAX = READ_TIMEOUT + 0.1, WINDOW - 2.6
LEASE = 6  # ORDER_LOCK_SECONDS and WORKER_CLAIM_SECONDS: how soon a killed process's locks free
WEBHOOK_SECRET = "stateful-webhook-secret"
SETTINGS = dict(
    HTTP_CONNECT_TIMEOUT=CONNECT_TIMEOUT,
    HTTP_READ_TIMEOUT=READ_TIMEOUT,
    ORDER_LOCK_SECONDS=LEASE,
    ORDER_LOCK_WAIT_SECONDS=3,
    WORKER_CLAIM_SECONDS=LEASE,
    WORKER_POLL_SECONDS=0.5,
    CARTONCLOUD_POLL_SECONDS=1,
    STARSHIPIT_POLL_SECONDS=1,
    TRIGGER_LOOKBACK_HOURS=0,
    STARSHIPIT_RATE_PER_SECOND=200,
    VALIDATE_ADDRESSES=False,
    CARTONCLOUD_WEBHOOK_SECRET=WEBHOOK_SECRET,
    STARSHIPIT_WEBHOOK_SECRET=WEBHOOK_SECRET,
    STARSHIPIT_SIGNATURE_SCHEME="secret",  # the signature header carries the shared secret itself
)
IN_FLIGHT = 6  # background actions at most; the scheduler waits for the oldest beyond that
QUIET_EVERY = 40  # steps between quiet points (full label check)
PREFIX = "ST"


# A connection a killed process dropped: before the answer, or half way through it.
CUT = (requests.ConnectionError, requests.exceptions.ChunkedEncodingError)


class Violation(AssertionError):
    pass


@dataclass
class Order:
    reference: str
    uuid: str
    packed: bool
    redos: int = 0  # redos that may have made a new label: answered 201 or 503, or cut by a kill
    app_relabels: int = 0  # relabels and prints in the Starshipit app
    last_label: str | None = None  # the label id of the last label answer


@dataclass
class Run:
    """What the run saw, for the report."""

    steps: int = 0
    actions: Counter = field(default_factory=Counter)
    answers: Counter = field(default_factory=Counter)  # (kind, status or code)
    started: float = field(default_factory=time.monotonic)


class LoggedBackend(Backend):
    """The scale suites' Backend, with each process's stderr kept in ``logs`` (tracebacks of a 500)."""

    def __init__(self, *args: Any, logs: Path, **settings: Any) -> None:
        super().__init__(*args, **settings)
        self.logs = logs
        self.logs.mkdir(parents=True, exist_ok=True)

    def _start(self, *args: str) -> subprocess.Popen:
        with open(self.logs / f"{args[0]}-{len(self.processes)}.log", "ab") as stderr:
            process = subprocess.Popen([*COMMAND, *args], env=self.env, stderr=stderr)
        self.processes.append(process)
        return process

    def tracebacks(self, limit: int = 3) -> list[str]:
        found = []
        for log in sorted(self.logs.glob("*.log")):
            text = log.read_text(errors="replace")
            found += [f"{log.name}: Traceback{part[:3000]}" for part in text.split("Traceback")[1:]]
        return found[-limit:]


class Scheduler:
    def __init__(self, *, seed: int, steps: int, database_url: str, sandbox, instance: Path, log_path: Path) -> None:
        self.seed, self.steps = seed, steps
        self.rng = random.Random(seed)
        self.sandbox = sandbox
        self.database_url = database_url
        self.log_path = log_path
        self.redos_in_flight = 0
        self._redo_lock = threading.Lock()
        self.backend = LoggedBackend(database_url, sandbox, instance, logs=log_path.parent / "process-logs", **SETTINGS)
        self.database = Database(database_url)
        self.orders: list[Order] = []
        self.by_reference: dict[str, Order] = {}
        self.pool_size = max(8, min(1500, steps // 8))
        self.run = Run()
        self.log: list[str] = []
        self._log_lock = threading.Lock()
        self.violations: list[str] = []
        self.pool = ThreadPoolExecutor(max_workers=IN_FLIGHT, thread_name_prefix="action")
        self.in_flight: list[Future] = []
        self.passes: list[Future] = []
        self.worker: subprocess.Popen | None = None
        self.serve_kills: list[float] = []  # monotonic times of kill -9 of a serve worker
        self.app_touched: set[str] = set()  # changed in the Starshipit app (or by a cut redo), not yet seen
        self.step = 0

    # -- running ----------------------------------------------------------------------------

    def start(self) -> None:
        self.sandbox.state.set_starshipit_rate_limit(10000)
        self.backend.start_serve(2)
        self.worker = self.backend.start_worker()
        for _ in range(4):
            self.new_order()

    def stop(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=False)
        self.backend.stop()
        self.sandbox.state.clear_faults()
        self.database.dispose()

    def note(self, text: str) -> None:
        with self._log_lock:
            line = f"[{self.step:>5} {time.monotonic() - self.run.started:8.2f}s] {text}"
            self.log.append(line)

    def violation(self, text: str) -> None:
        self.note(f"VIOLATION {text}")
        with self._log_lock:
            self.violations.append(text)

    def actions(self) -> list[tuple[float, Any]]:
        actions = [
            (5, self.new_order),
            (5, self.pack),
            (24, self.click),
            (4, self.double_click),
            (3, self.retried_click),
            (7, self.batch),
            (7, self.cartoncloud_webhook),
            (2.5, self.sync_pass),
            (4, self.print_in_app),
            (4, self.tracking_webhook),
            (5, self.redo),
            (6, self.late_create),
            (1, self.kill_serve_worker),
            (1, self.kill_worker),
            # Found breaking the order core, now fixed (tests/api/test_print.py, tests/sync/
            # test_one_order_across_paths.py): a print failing before a redo, and relabels in the
            # app racing a batch's reprint.
            (3, self.failing_print),
            (1.5, self.relabel_in_app),
        ]
        return actions

    def execute(self) -> Run:
        weights, actions = zip(*self.actions(), strict=False)
        try:
            self.start()
            for step in range(1, self.steps + 1):
                self.step = step
                action = self.rng.choices(actions, weights)[0]
                self.run.actions[action.__name__] += 1
                action()
                self._reap()
                self.check_no_duplicates()
                self.raise_violations()
                if self.step % QUIET_EVERY == 0:
                    self.quiet_point()
                if self.step % 500 == 0:
                    print(
                        f"STATEFUL progress: step {self.step} of {self.steps}, {len(self.orders)} sale orders, "
                        f"{time.monotonic() - self.run.started:.0f} s",
                        flush=True,
                    )
            self.run.steps = self.steps
            self.step += 1
            self.settle()
            self.raise_violations()
        except BaseException as error:
            self.dump(error)
            raise
        return self.run

    def raise_violations(self) -> None:
        if self.violations:
            raise Violation("; ".join(self.violations[:5]))

    def dump(self, error: BaseException) -> None:
        self.log_path.write_text("\n".join(self.log) + "\n")
        tail = "\n".join(self.log[-150:])
        engine = "postgresql" if self.database_url.startswith("postgresql") else "sqlite"
        replay = (
            f"LABELBRIDGE_STATEFUL_SEED={self.seed} LABELBRIDGE_STATEFUL_STEPS={self.steps} "
            f"python -m pytest tests/stateful/test_interleavings.py -x -q -s -k {engine}"
        )
        print(
            f"\nSTATEFUL FAILED seed={self.seed} steps={self.steps} at step {self.step} "
            f"({self.database_url.split(':')[0]}): {error!r}\nreplay: {replay}\nfull log: {self.log_path}\n"
            f"last steps:\n{tail}"
        )
        for traceback in self.backend.tracebacks():
            print(f"\nA labelbridge process logged {traceback}")

    def _submit(self, what: str, function, *args) -> None:
        while len([f for f in self.in_flight if not f.done()]) >= IN_FLIGHT:
            self.in_flight[0].result()
            self._reap()
        future = self.pool.submit(self._guarded, what, function, *args)
        self.in_flight.append(future)

    def _guarded(self, what: str, function, *args) -> None:
        try:
            function(*args)
        except Violation:
            raise
        except Exception as error:  # noqa: BLE001 - the test's own failure, reported as one
            self.violation(f"{what} raised {error!r}")

    def _reap(self) -> None:
        self.in_flight = [f for f in self.in_flight if not f.done()]

    def wait_in_flight(self) -> None:
        for future in list(self.in_flight):
            future.result()
        self._reap()

    # -- helpers ----------------------------------------------------------------------------

    def pick(self, orders: list[Order] | None = None) -> Order | None:
        orders = self.orders if orders is None else orders
        if not orders:
            return None
        if self.rng.random() < 0.7:
            return self.rng.choice(orders[-12:])  # recent orders: several paths meet on them
        return self.rng.choice(orders)

    def starshipit_orders(self) -> list[dict]:
        return [o for o in self.sandbox.state.starshipit_orders() if o["order_number"].startswith(PREFIX + "-")]

    def starshipit_order(self, reference: str) -> dict | None:
        orders = [o for o in self.starshipit_orders() if o["order_number"] == reference]
        return orders[0] if orders else None

    def post(self, path: str, body: dict, headers: dict | None = None, timeout: float = 60) -> requests.Response:
        # A connection of its own each time: a kept-alive one that gunicorn closes just as a request
        # goes out is reset, which would look like a kill.
        return requests.post(
            f"{self.backend.url}{path}", json=body, timeout=timeout, headers={**self.backend.headers, **(headers or {})}
        )

    def killed_since(self, started: float) -> bool:
        return any(moment >= started for moment in self.serve_kills)

    # -- actions ----------------------------------------------------------------------------

    def new_order(self) -> None:
        if len(self.orders) >= self.pool_size:
            return self.pack()
        n = len(self.orders) + 1
        packed = self.rng.random() < 0.5
        status = "PACKED" if packed else "AWAITING_PICK_AND_PACK"
        sale_order = self.sandbox.state.create_sale_order(shippable_sale_order(f"{PREFIX}-{self.seed}-{n}", n, status))
        order = Order(sale_order["references"]["customer"], sale_order["id"], packed)
        self.orders.append(order)
        self.by_reference[order.reference] = order
        self.note(f"new_order {order.reference} {'PACKED' if packed else 'AWAITING_PICK_AND_PACK'}")

    def pack(self) -> None:
        unpacked = [o for o in self.orders if not o.packed]
        order = self.pick(unpacked)
        if order is None:
            return self.new_order() if len(self.orders) < self.pool_size else self.click()
        self.sandbox.state.set_sale_order_status(order.uuid, "PACKED")
        order.packed = True
        self.note(f"pack {order.reference}")

    def cartoncloud_webhook(self) -> None:
        order = self.pick()
        sale_order = self.sandbox.state.cartoncloud.sale_order(order.uuid)
        response = self.post(
            "/api/v1/webhooks/cartoncloud", sale_order, {"X-Labelbridge-Secret": WEBHOOK_SECRET}, timeout=30
        )
        self.note(f"cartoncloud_webhook {order.reference} {sale_order['status']} -> {response.status_code}")
        if response.status_code != 202:
            self.violation(f"CartonCloud webhook for {order.reference} answered {response.status_code}")

    def click(self, order: Order | None = None, key: str | None = None, retry_same_key: bool = False) -> None:
        order = order or self.pick()
        key = key or str(uuid.uuid4())
        self.note(f"click {order.reference} key={key[:8]}{' (+retry)' if retry_same_key else ''}")
        self._submit(f"click {order.reference}", self._click, order, key, retry_same_key)

    def double_click(self) -> None:
        order = self.pick()
        self.note(f"double_click {order.reference}")
        self.click(order)
        self.click(order)

    def retried_click(self) -> None:
        self.click(retry_same_key=True)

    def _click(self, order: Order, key: str, retry_same_key: bool) -> None:
        first = self._one_click(order, key)
        if retry_same_key or first is None:  # a retry with the same key (the browser's, or after a cut)
            again = self._one_click(order, key)
            both_printed = first is not None and again is not None and first[0] in (200, 201) and again[0] in (200, 201)
            if both_printed and again[1]["label"]["id"] != first[1]["label"]["id"]:
                self.violation(f"{order.reference}: the same Idempotency-Key gave two labels")

    def _one_click(self, order: Order, key: str) -> tuple[int, dict] | None:
        started = time.monotonic()
        try:
            response = self.post(
                "/api/v1/labels", {"sale_order": {"customer_reference": order.reference}}, {"Idempotency-Key": key}
            )
        except CUT as error:
            cut = error  # kept for the message, which is made after the except block
            self.run.answers[("click", "cut")] += 1
            self.note(f"  click {order.reference} cut: {cut.__class__.__name__}")
            if not self.killed_since(started):
                # The kill may be noted a moment after the connection dropped.
                wait_for(
                    lambda: self.killed_since(started),
                    5,
                    "a kill to explain the cut click",
                    lambda: f"{order.reference}: connection cut ({cut}) with no serve worker killed",
                )
            return None
        return self._label_answer("click", order, response)

    def _label_answer(self, kind: str, order: Order, response: requests.Response) -> tuple[int, dict] | None:
        try:
            body = response.json()
        except ValueError:
            self.violation(f"{kind} {order.reference}: {response.status_code} not JSON: {response.text[:200]}")
            return None
        status = response.status_code
        retry_after = response.headers.get("Retry-After")
        self.run.answers[(kind, status if status in (200, 201) else f"{status} {body.get('code')}")] += 1
        if status in (200, 201):
            self.note(
                f"  {kind} {order.reference} -> {status} label={body['label']['id'][:8]} "
                f"tracking={body['tracking_numbers']}"
            )
            if not body.get("label", {}).get("content_base64") or not body.get("tracking_numbers"):
                self.violation(f"{kind} {order.reference}: {status} without a label or tracking")
            order.last_label = body["label"]["id"]
            return status, body
        self.note(f"  {kind} {order.reference} -> {status} {body.get('code')} retry-after={retry_after}")
        if not is_retryable_error(status, body, retry_after):
            self.violation(
                f"{kind} {order.reference}: {status} {body} (Retry-After {retry_after}) is neither "
                "a label nor a clear retryable error"
            )
        return status, body

    def batch(self) -> None:
        chosen = list({o.reference: o for o in (self.pick() for _ in range(self.rng.randint(2, 5)))}.values())
        self.note(f"batch {[o.reference for o in chosen]}")
        self._submit("batch", self._batch, chosen)

    def _batch(self, chosen: list[Order]) -> None:
        started = time.monotonic()
        body = {"sale_orders": [{"customer_reference": o.reference} for o in chosen]}
        try:
            response = self.post("/api/v1/labels/batch", body)
        except CUT as error:
            self.run.answers[("batch", "cut")] += 1
            self.note(f"  batch cut: {error.__class__.__name__}")
            wait_for(
                lambda: self.killed_since(started),
                5,
                "a kill to explain the cut batch",
                lambda: f"batch {body}: connection cut ({error}) with no serve worker killed",
            )
            return
        answer = response.json()
        if response.status_code != 200:
            self.run.answers[("batch", response.status_code)] += 1
            self.note(f"  batch -> {response.status_code} {answer.get('code')}")
            if not is_retryable_error(response.status_code, answer, response.headers.get("Retry-After")):
                self.violation(f"batch {body}: {response.status_code} {answer}")
            return
        for result in answer["results"]:
            order = chosen[result["index"]]
            if result["status"] in ("printed", "reprinted"):
                self.run.answers[("batch", result["status"])] += 1
                order.last_label = result["label"]["id"]
                self.note(
                    f"  batch {order.reference} -> {result['status']} label={result['label']['id'][:8]} "
                    f"tracking={result['tracking_numbers']}"
                )
                if not result["tracking_numbers"]:
                    self.violation(f"batch {order.reference}: {result['status']} without tracking")
                continue
            error = result["error"] or {}
            self.run.answers[("batch", f"failed {error.get('code')}")] += 1
            self.note(f"  batch {order.reference} -> failed {error.get('code')}: {error.get('message')}")
            if error.get("code") not in RETRYABLE_CODES or len(str(error.get("message", "")).split()) < 5:
                self.violation(f"batch {order.reference}: failed with {error}, not a clear retryable error")

    def redo(self) -> None:
        labelled = [o for o in self.orders if o.last_label]
        order = self.pick(labelled)
        if order is None:
            return self.click()
        self.note(f"redo {order.reference} label={order.last_label[:8]}")
        self._submit(f"redo {order.reference}", self._redo, order, order.last_label)

    def _redo(self, order: Order, label_id: str) -> None:
        with self._redo_lock:
            self.redos_in_flight += 1
        try:
            self._redo_once(order, label_id)
        finally:
            with self._redo_lock:
                self.redos_in_flight -= 1

    def _redo_once(self, order: Order, label_id: str) -> None:
        started = time.monotonic()
        try:
            response = self.post(f"/api/v1/labels/{label_id}/redo", {"confirm": True, "reason": "damaged in packing"})
        except CUT as error:
            cut = error  # kept for the message, which is made after the except block
            self.run.answers[("redo", "cut")] += 1
            order.redos += 1
            self.app_touched.add(order.reference)  # Starshipit may hold a label labelbridge never stored
            self.note(f"  redo {order.reference} cut: {error.__class__.__name__}")
            wait_for(
                lambda: self.killed_since(started),
                5,
                "a kill to explain the cut redo",
                lambda: f"redo {order.reference}: connection cut ({cut}) with no serve worker killed",
            )
            return
        body = response.json()
        if response.status_code == 409 and body.get("code") == "label_replaced":
            self.run.answers[("redo", "409 label_replaced")] += 1
            self.note(f"  redo {order.reference} -> 409 label_replaced")
            return  # the label was replaced by another redo (or a relabel) meanwhile: a clear answer
        answer = self._label_answer("redo", order, response)
        if answer is None or answer[0] != 201:
            # A print that went unanswered may have booked a label labelbridge did not store: the
            # tracking poll finds it, and the next click stores it. (A void that was not followed by
            # a print is never found.)
            self.app_touched.add(order.reference)
        if answer is not None and answer[0] != 409:  # a 409 did nothing; a 503 may have printed
            order.redos += 1
        elif answer is not None and answer[0] == 200:
            self.violation(f"redo {order.reference}: answered 200, a reprint, instead of a new label")

    def late_create(self) -> None:
        """The next create (one order, or an import) is answered after labelbridge gave up; it lands late."""
        path = self.rng.choice(["/api/orders", "/api/orders/import"])
        hold = round(self.rng.uniform(HOLD_MIN, HOLD_MAX), 2)
        self.sandbox.state.add_fault(
            service="starshipit", path=path, method="POST", timeout=True, timeout_seconds=hold, count=1
        )
        self.note(f"late_create POST {path} held {hold} s")
        self.click() if self.rng.random() < 0.5 else self.batch()

    def failing_print(self) -> None:
        """The next Starshipit print fails with a 503, and a redo follows (LABELBRIDGE_STATEFUL_OPEN_BUGS)."""
        self.sandbox.state.add_fault(
            service="starshipit", path="/api/orders/shipment", method="POST", status=503, count=1
        )
        self.note("failing_print: the next POST /api/orders/shipment answers 503")
        self.redo()

    def sync_pass(self) -> None:
        self.passes = [p for p in self.passes if not p.done()]
        if len(self.passes) >= 2:
            return self.click()
        self.note("sync_pass: labelbridge sync --once")
        future = self.pool.submit(self._guarded, "sync --once", self._sync_once)
        self.passes.append(future)

    def _sync_once(self, timeout: float = 120) -> None:
        result = subprocess.run(
            [*COMMAND, "sync", "--once"], env=self.backend.env, capture_output=True, text=True, timeout=timeout
        )
        summary = (result.stdout.strip().splitlines() or [""])[-1]
        self.note(f"  sync --once exited {result.returncode}: {summary}")
        if result.returncode not in (0, 1) or "Traceback" in result.stderr:
            self.violation(f"sync --once exited {result.returncode}: {result.stderr[-2000:]}")

    def print_in_app(self) -> None:
        # Orders nobody printed from CartonCloud yet (an order voided by a redo for a moment is not
        # one a warehouse would print in the app at that very moment).
        unprinted = [
            o
            for o in self.starshipit_orders()
            if o["status"] == "Unshipped" and not self.by_reference[o["order_number"]].last_label
        ]
        if not unprinted:
            return self.click()
        order = self.rng.choice(unprinted)
        try:
            shipment = self.sandbox.state.starshipit.print_in_app(order["order_id"])
        except Exception as refusal:  # noqa: BLE001 - printed meanwhile by a click
            self.note(f"print_in_app {order['order_number']} refused: {refusal}")
            return
        self.app_touched.add(order["order_number"])
        self.by_reference[order["order_number"]].app_relabels += 1
        self.note(f"print_in_app {order['order_number']} tracking={shipment['tracking_numbers']}")

    def relabel_in_app(self) -> None:
        printed = [o for o in self.starshipit_orders() if o["status"] == "Printed"]
        if not printed:
            return self.print_in_app()
        order = self.rng.choice(printed)
        # Counted first: a click can store the new label before this returns.
        self.by_reference[order["order_number"]].app_relabels += 1
        self.app_touched.add(order["order_number"])
        try:
            shipment = self.sandbox.state.starshipit.relabel(order["order_id"])
        except Exception as refusal:  # noqa: BLE001 - voided meanwhile by a redo
            self.note(f"relabel_in_app {order['order_number']} refused: {refusal}")
            return
        self.note(f"relabel_in_app {order['order_number']} tracking={shipment['tracking_numbers']}")

    def tracking_webhook(self) -> None:
        printed = [o for o in self.starshipit_orders() if o["status"] == "Printed"]
        if not printed:
            return self.cartoncloud_webhook()
        order = self.rng.choice(printed)
        tracking = [p["tracking_number"] for p in order["packages"] if p.get("tracking_number")]
        if not tracking:
            return
        body = {
            "order_number": order["order_number"],
            "tracking_number": self.rng.choice(tracking),
            "tracking_status": "Printed",
            "last_updated_date": utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"),
            "carrier_name": order.get("carrier_name"),
        }
        response = self.post(
            "/api/v1/webhooks/starshipit", body, {"X-Starshipit-Signature": WEBHOOK_SECRET}, timeout=30
        )
        self.note(f"tracking_webhook {order['order_number']} {body['tracking_number']} -> {response.status_code}")
        if response.status_code != 200:
            self.violation(f"tracking webhook for {order['order_number']} answered {response.status_code}")

    def kill_serve_worker(self) -> None:
        workers = children(self.backend.serve.pid)
        if len(workers) < 2:
            return self.click()
        victim = self.rng.choice(sorted(workers))
        self.serve_kills.append(time.monotonic())
        os.kill(victim, signal.SIGKILL)
        self.serve_kills.append(time.monotonic())
        self.note(f"kill -9 gunicorn worker {victim}")
        wait_for(lambda: len(children(self.backend.serve.pid)) >= 2, 60, "gunicorn to replace its killed worker")
        self.serve_kills.append(time.monotonic())

    def kill_worker(self) -> None:
        victim = self.worker.pid
        os.kill(victim, signal.SIGKILL)
        self.worker.wait(timeout=30)
        self.worker = self.backend.start_worker()
        self.note(f"kill -9 labelbridge worker {victim}; restarted as {self.worker.pid}")

    # -- invariants -------------------------------------------------------------------------

    def check_no_duplicates(self) -> None:
        state = self.sandbox.state
        with state.lock:  # read in place, not deep-copied: every step, so it must not starve the simulator
            counts = Counter(o["order_number"] for o in state.starshipit._orders.values())
        twice = {number: count for number, count in counts.items() if count > 1}
        if twice:
            held = [
                (o["order_id"], o["order_number"], o.get("order_date"))
                for o in self.starshipit_orders()
                if o["order_number"] in twice
            ]
            self.violation(
                f"order numbers in Starshipit more than once: {twice}; sends: {self.sends(twice)}; orders: {held}"
            )

    def sends(self, numbers) -> list[tuple]:
        """The creates labelbridge recorded for these order numbers."""
        with self.database.sessions() as session:
            return [
                tuple(row)
                for row in session.execute(
                    select(
                        StarshipitCreate.order_number,
                        StarshipitCreate.via,
                        StarshipitCreate.outcome,
                        StarshipitCreate.sent_at,
                        StarshipitCreate.ended_at,
                    )
                    .where(StarshipitCreate.order_number.in_(list(numbers)))
                    .order_by(StarshipitCreate.id)
                )
            ]

    def _records(self) -> list[tuple[SaleOrder, Label | None, int]]:
        """Our sale orders' records, each with its current label and its number of labels."""
        with self.database.sessions() as session:
            counts = select(Label.sale_order_pk, func.count()).group_by(Label.sale_order_pk)
            labels = dict(session.execute(counts).all())
            rows = session.execute(
                select(SaleOrder, Label)
                .outerjoin(Label, Label.id == SaleOrder.current_label_id)
                .where(SaleOrder.customer_reference.like(f"{PREFIX}-{self.seed}-%"))
            ).all()
            session.expunge_all()
        return [(record, label, labels.get(record.id, 0)) for record, label in rows]

    def label_mismatches(self, *, final: bool) -> list[str]:
        """Stored current labels whose tracking is not what Starshipit holds (exempt while an
        app change is not seen yet, unless ``final``), and orders with too many labels."""
        in_starshipit = {o["order_id"]: o for o in self.starshipit_orders()}
        problems = []
        for record, label, count in self._records():
            order = self.by_reference.get(record.customer_reference)
            if order is not None and count > 1 + order.redos + order.app_relabels:
                problems.append(
                    f"{record.customer_reference}: {count} labels for {order.redos} redos and "
                    f"{order.app_relabels} prints/relabels in the app"
                )
            if label is None:
                continue
            held = in_starshipit.get(record.starshipit_order_id)
            tracking = [p["tracking_number"] for p in held["packages"]] if held else None
            if tracking == list(label.tracking_numbers):
                self.app_touched.discard(record.customer_reference)
                continue
            if not final and record.customer_reference in self.app_touched:
                continue  # changed in the app: labelbridge learns of it from the poll or the webhook
            problems.append(
                f"{record.customer_reference}: stored label {label.id[:8]} has tracking "
                f"{label.tracking_numbers}, Starshipit order {record.starshipit_order_id} holds "
                f"{tracking} ({held['status'] if held else 'no such order'})"
            )
        return problems

    def quiet_point(self) -> None:
        """Nothing of ours in flight: every stored label's tracking is the one Starshipit holds."""
        self.wait_in_flight()
        self.note("quiet point: checking every stored label against Starshipit")
        for problem in self.label_mismatches(final=False):
            self.violation(problem)
        self.raise_violations()

    def no_create_may_land(self) -> bool:
        with self.database.sessions() as session:
            return not session.scalar(
                select(func.count())
                .select_from(StarshipitCreate)
                .where(
                    StarshipitCreate.outcome.in_(("sent", "no_answer")),
                    StarshipitCreate.sent_at > utcnow() - _seconds(WINDOW + 0.5),
                )
            )

    def no_lease_held(self) -> bool:
        with self.database.sessions() as session:
            return not session.scalar(
                select(func.count())
                .select_from(SaleOrder)
                .where(SaleOrder.lock_token.is_not(None), SaleOrder.locked_until > utcnow())
            )

    def settle(self) -> None:
        """Let everything land, then click every order until printed and check it all."""
        self.note("settle: waiting for the actions in flight, the late creates and the leases")
        self.wait_in_flight()
        for future in self.passes:
            future.result()
        self.sandbox.state.clear_faults()
        if self.worker.poll() is not None:
            self.worker = self.backend.start_worker()
        wait_for(self.no_create_may_land, 60, "no create that may still land")
        wait_for(self.no_lease_held, 60, "every order lock to be free")
        self._sync_once()
        self.raise_violations()
        # Every change made in the Starshipit app is seen (by the poll) before the last clicks.
        try:
            wait_for(
                lambda: not self.label_mismatches(final=True),
                60,
                "every stored label to match Starshipit",
                lambda: self.label_mismatches(final=True),
            )
        except AssertionError as error:
            self.violation(str(error))
            self.raise_violations()
        deadline = time.monotonic() + 120 + len(self.orders) * 0.2
        finals: dict[str, dict] = {}

        def until_printed(order: Order) -> None:
            while True:
                response = self.post("/api/v1/labels", {"sale_order": {"customer_reference": order.reference}})
                answer = self._label_answer("final click", order, response)
                if answer is not None and answer[0] in (200, 201):
                    finals[order.reference] = answer[1]
                    return
                if time.monotonic() > deadline:
                    self.violation(f"{order.reference}: no label by the deadline; last answer {answer}")
                    return
                time.sleep(min(float(response.headers.get("Retry-After") or 1), 2))  # the packer's pause

        with ThreadPoolExecutor(max_workers=4) as clickers:
            list(clickers.map(until_printed, self.orders))
        self.raise_violations()
        self._sync_once()  # the tracking poll sees every print, and nothing changes

        numbers = Counter(o["order_number"] for o in self.starshipit_orders())
        wrong = {o.reference: numbers.get(o.reference, 0) for o in self.orders if numbers.get(o.reference) != 1}
        if wrong:
            self.violation(f"not exactly one Starshipit order per sale order: {wrong}")
        for order in self.orders:
            held = self.starshipit_order(order.reference)
            tracking = [p["tracking_number"] for p in held["packages"]] if held else None
            if held and finals.get(order.reference) and finals[order.reference]["tracking_numbers"] != tracking:
                self.violation(
                    f"{order.reference}: the final click's label has tracking "
                    f"{finals[order.reference]['tracking_numbers']}, Starshipit holds {tracking}"
                )
        for problem in self.label_mismatches(final=True):
            self.violation(problem)
        self.note(f"settled: {len(self.orders)} sale orders, {len(numbers)} Starshipit orders")


# Batch results that are a clear retryable error (the API's 409/503 codes).
RETRYABLE_CODES = {"create_unconfirmed", "request_in_progress", "upstream_unavailable", "batch_time_up"}


def _seconds(seconds: float) -> timedelta:
    return timedelta(seconds=seconds)


def report_line(run: Run, scheduler: Scheduler) -> dict[str, Any]:
    return {
        "seed": scheduler.seed,
        "steps": run.steps,
        "sale_orders": len(scheduler.orders),
        "seconds": round(time.monotonic() - run.started, 1),
        "actions": dict(run.actions),
        "answers": {f"{kind} {status}": count for (kind, status), count in sorted(run.answers.items(), key=str)},
    }
