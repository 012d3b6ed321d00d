"""One Starshipit rate budget across 3 API processes and 2 workers on PostgreSQL: an automatic
transfer and clicks at once, against a sandbox allowing 20 requests a second per subscription
key. Every process is given the whole 20/s; together they send 0 requests the sandbox refuses
with 429, and keep it busy at 20/s (within 5%).

The demand must exceed the rate for the throughput to measure the budget rather than the load: 48
clickers against 3 processes × 8 threads keep 24 clicks inside the server, each waiting for its turn
at Starshipit, so even a busy machine has calls queued; the window opens only once the sandbox has
seen two seconds' worth of calls (the processes warmed up)."""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from server.db import Database
from server.models import SaleOrder

from .stack import SCALE_PRINTS, click_until_printed, make_sale_orders, report, wait_for

RATE = 20
CLICKERS, SERVE_PROCESSES, SERVE_THREADS = 48, 3, 8
# The window measured: after the load has built up, and while both kinds of work are still queued.
WARM_UP_CALLS, WINDOW_SECONDS = 2 * RATE, 10.0


def starshipit_calls(sandbox) -> tuple[int, int]:
    counts = sandbox.state.counters.snapshot()
    return sum(counts["starshipit"].values()), sum(counts["rate_limited"]["starshipit"].values())


def transferred(database_url: str, references: list[str]) -> int:
    database = Database(database_url)
    try:
        with database.sessions() as session:
            return (
                session.query(SaleOrder)
                .filter(SaleOrder.customer_reference.in_(references), SaleOrder.starshipit_order_id.is_not(None))
                .count()
            )
    finally:
        database.dispose()


def test_processes_share_the_rate_without_429s_and_use_all_of_it(postgres_url, sandbox, backend_on):
    sandbox.state.set_starshipit_rate_limit(RATE, None)  # 20 a second per key, as production
    count = max(300, SCALE_PRINTS)
    clicked = make_sale_orders(sandbox, "SHARED-CLICK", count, status="DISPATCHED")
    # Transferred automatically when they reach PACKED (found by the CartonCloud poller).
    pushed = make_sale_orders(sandbox, "SHARED-PUSH", count, status="PACKED")
    backend = backend_on(
        postgres_url,
        STARSHIPIT_RATE_PER_SECOND=RATE,
        TRIGGER_STATUSES="PACKED",
        CARTONCLOUD_POLL_SECONDS=1,
        STARSHIPIT_POLL_SECONDS=0,
        WORKER_POLL_SECONDS=0.2,
    )
    backend.start_serve(SERVE_PROCESSES, SERVE_THREADS)
    calls_before, refused_before = starshipit_calls(sandbox)
    for _ in range(2):
        backend.start_worker()

    answers: list = []
    deadline = time.monotonic() + 600
    started = time.monotonic()
    window: dict[str, float] = {}

    clicks_done: list[str] = []

    def click(reference: str) -> dict:
        result = click_until_printed(backend, reference, deadline, answers)
        clicks_done.append(reference)
        return result

    def measure() -> None:
        while starshipit_calls(sandbox)[0] - calls_before < WARM_UP_CALLS and time.monotonic() < deadline:
            time.sleep(0.05)  # a measuring window, not synchronisation: nothing waits on it
        first = starshipit_calls(sandbox)[0]
        at = time.monotonic()
        window["transferred_at_start"] = transferred(postgres_url, pushed)
        # Until the window's end, or until the clicks run short of queued work (their last round in
        # flight): on a fast machine they finish early, and then the demand no longer fills the rate.
        while time.monotonic() - at < WINDOW_SECONDS and len(clicks_done) < count - CLICKERS:
            time.sleep(0.05)  # a measuring window, not synchronisation: nothing waits on it
        window.update(
            calls=starshipit_calls(sandbox)[0] - first,
            seconds=time.monotonic() - at,
            clicks_done_at_end=len(clicks_done),
        )

    meter = threading.Thread(target=measure)
    meter.start()
    with ThreadPoolExecutor(CLICKERS) as pool:
        results = list(pool.map(click, clicked))
    meter.join()
    wait_for(
        lambda: transferred(postgres_url, pushed) == count,
        300,
        "every PACKED order transferred",
        lambda: f"{transferred(postgres_url, pushed)} of {count}",
    )
    elapsed = time.monotonic() - started
    calls, refused = (
        now - before for now, before in zip(starshipit_calls(sandbox), (calls_before, refused_before), strict=False)
    )
    throughput = window["calls"] / window["seconds"]
    report(
        "shared_rate",
        processes=f"{SERVE_PROCESSES} serve x {SERVE_THREADS} threads + 2 workers",
        clicks=count,
        transfers=count,
        starshipit_calls=calls,
        rate_limited=refused,
        window_calls=window["calls"],
        window_seconds=round(window["seconds"], 2),
        throughput_per_second=round(throughput, 2),
        seconds=round(elapsed, 1),
        answers=dict(Counter(str(status) for _, status, _, _ in answers)),
    )

    assert all("label" in result for result in results), [r for r in results if "label" not in r][:3]
    assert refused == 0, f"{refused} Starshipit calls were answered 429"
    # Work was queued through the whole window (transfers at its start, clicks at its end), so the
    # demand exceeded the rate and the throughput measures the budget, not the load.
    assert window["transferred_at_start"] < count and window["clicks_done_at_end"] < count
    assert window["seconds"] >= 3, f"a window of {window['seconds']:.1f} s measures nothing"
    assert abs(throughput - RATE) <= 0.05 * RATE, f"{throughput:.2f} requests/s"
