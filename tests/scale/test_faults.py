"""Under injected faults, on PostgreSQL with `labelbridge serve` (gunicorn, 3 worker processes):
every print ends in a label or a clear retryable error, exactly one Starshipit order and one
shipment per sale order, and the retries stay inside Starshipit's rate limit.

Size: LABELBRIDGE_SCALE_PRINTS prints (CI 200, full size 1000) over a quarter as many orders.
"""

from __future__ import annotations

import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

from server import create_app, tokens
from server.db import get_database
from server.demo import sandbox_config

from .stack import (
    SCALE_PRINTS,
    click_until_printed,
    is_retryable_error,
    make_sale_orders,
    report,
    sandbox_get,
    wait_for,
)

WORKERS = 3
# Each order is clicked by four packers at once, who queue on its lease inside the server: with
# 48 of them (and as many server threads) a dozen orders are in flight at a time, not four.
CLICKERS, THREADS = 48, 16
# The simulator's limit per subscription key, requests/s (burst: one second's worth): twice
# Starshipit's 20, so the run's 350 or so calls take half the time; what is tested is the margin.
SANDBOX_RATE = 40
# labelbridge's Starshipit rate, one budget shared by the processes (server/rate_budget.py, on
# PostgreSQL): 10% under the simulator's limit, so every 429 it gives must be an injected one.
STARSHIPIT_RATE = 36
READ_TIMEOUT = 1.0  # labelbridge gives up on Starshipit after this...
HOLD = 1.5  # ...while the simulator, holding a "timeout" call this long, then does the work anyway
# Packers click again a second after a failure at most, not after the 5 s an unavailable Starshipit
# asks for: more clicks arrive while an order is still being printed.
IMPATIENCE = 1.0


def starshipit_faults(control) -> None:
    """30% of Starshipit calls fail: 10% each answered 429 (Retry-After 1), answered 503, or held past
    the read timeout. The first fault that fires wins, so the rates are of the calls left."""
    control.fault(service="starshipit", path="/api/*", status=429, retry_after=1, rate=0.1)
    control.fault(service="starshipit", path="/api/*", status=503, rate=0.1 / 0.9)
    control.fault(service="starshipit", path="/api/*", timeout=True, timeout_seconds=HOLD, rate=0.1 / 0.8)


def test_starshipit_failing_30_percent_of_calls(postgres_url, backend_on, sandbox, control):
    sandbox.state.set_starshipit_rate_limit(SANDBOX_RATE)
    backend = backend_on(postgres_url, STARSHIPIT_RATE_PER_SECOND=STARSHIPIT_RATE, HTTP_READ_TIMEOUT=READ_TIMEOUT)
    backend.start_serve(WORKERS, THREADS)
    references = make_sale_orders(sandbox, "FAULT", max(1, SCALE_PRINTS // 4))
    starshipit_faults(control)

    answers: list = []
    started = time.monotonic()
    deadline = started + 60 + SCALE_PRINTS * 0.6
    with ThreadPoolExecutor(max_workers=CLICKERS) as pool:
        finals = list(
            pool.map(
                lambda n: click_until_printed(
                    backend, references[n * len(references) // SCALE_PRINTS], deadline, answers, IMPATIENCE
                ),
                range(SCALE_PRINTS),
            )
        )
    elapsed = time.monotonic() - started
    fired = {str(fault["status"] or "timeout"): fault["fired"] for fault in sandbox_get(sandbox, "/faults")}
    control.clear_faults()
    counters = sandbox_get(sandbox, "/counters")

    # Every answer a packer saw was a label or a clear retryable error, and every click ended in a label.
    retryable = [answer for answer in answers if answer[1] not in (200, 201)]
    assert [a for a in retryable if not is_retryable_error(*a[1:])] == []
    assert all(final.get("label") for final in finals), [f for f in finals if not f.get("label")][:3]
    assert min(fired.values()) > 0, fired  # every kind of fault really happened
    assert retryable, "the faults reached no packer: the test proves nothing"

    by_order = defaultdict(list)
    for reference, status, body, _ in answers:
        if status in (200, 201):
            by_order[reference].append((status, body))
    assert sorted(by_order) == sorted(references)
    for reference, results in by_order.items():
        assert [status for status, _ in results].count(201) == 1, reference
        assert len({(body["label"]["id"], tuple(body["tracking_numbers"])) for _, body in results}) == 1, reference

    # Exactly one Starshipit order per sale order, printed once, with the tracking the packers got.
    orders = [o for o in control.starshipit_orders() if o["order_number"].startswith("FAULT-")]
    assert sorted(o["order_number"] for o in orders) == sorted(references)
    for order in orders:
        (status, body) = by_order[order["order_number"]][0]
        assert order["status"] == "Printed"
        assert [p["tracking_number"] for p in order["packages"]] == body["tracking_numbers"]

    # Retries stayed inside the rate limit: every 429 the simulator gave was an injected one.
    refused = sum(counters["rate_limited"]["starshipit"].values())
    assert refused == fired["429"], (refused, fired)
    report(
        "starshipit_faults",
        prints=SCALE_PRINTS,
        orders=len(references),
        seconds=round(elapsed, 1),
        starshipit_calls=sum(counters["starshipit"].values()),
        faults_fired=fired,
        retryable_answers=len(retryable),
        answers=len(answers),
        starshipit_orders=len(orders),
        over_rate_limit=refused - fired["429"],
    )


def test_a_create_left_unanswered_is_not_sent_again_while_it_may_still_land(sandbox, control, database_url):
    app = create_app(
        {**sandbox_config(sandbox), "DATABASE_URL": database_url, "HTTP_READ_TIMEOUT": 0.5, "VALIDATE_ADDRESSES": False}
    )
    get_database(app).upgrade()
    with get_database(app).sessions() as session:
        headers = {"Authorization": f"Bearer {tokens.create_token(session, 'bench-1')}"}
    client = app.test_client()
    (reference,) = make_sale_orders(sandbox, "SLOW", 1)
    # Starshipit takes 1.5 s over the create, then makes the order: labelbridge gave up after 0.5 s.
    control.fault(service="starshipit", path="/api/orders", method="POST", timeout=True, timeout_seconds=1.5, count=1)

    def click():
        return client.post("/api/v1/labels", json={"sale_order": {"customer_reference": reference}}, headers=headers)

    try:
        first = click()
        assert first.status_code == 503 and "no answer" in first.get_json()["message"]
        second = click()  # at once: the order is not in Starshipit yet, and may still come
        assert second.status_code == 503, second.get_json()
        assert "will not be created twice" in second.get_json()["message"]
        window = 2 * (app.config["HTTP_CONNECT_TIMEOUT"] + app.config["HTTP_READ_TIMEOUT"])  # from when it went
        assert 1 <= int(second.headers["Retry-After"]) <= window
        wait_for(lambda: control.starshipit_orders(reference), 10, "the late create to land")
        third = click()
        assert third.status_code == 201
        assert len(control.starshipit_orders(reference)) == 1  # found by its number, not made twice
        assert control.counters("starshipit")["POST /api/orders"] == 1
    finally:
        get_database(app).dispose()
