"""CartonCloud down for a window while two `labelbridge worker` processes hold the writebacks of
many printed orders: every attempt in the window fails and is retried, and after it every
tracking number is on its consignment, each written back once."""

from __future__ import annotations

import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from server import outbox
from server.db import Database
from server.models import OrderEvent, OutboxJob

from .stack import SCALE_PRINTS, click_until_printed, consignment_tracking, make_sale_orders, report, wait_for

# CartonCloud answers 503 to everything for at least this long, and until every writeback has
# failed at least once (the workers start inside the outage, slowly on a busy machine).
WINDOW = 8.0
# A failed writeback is retried 1 to 2 s later, then 2 to 4 s (the product's 30 s and up, in less
# of the run's time): a job fails once or several times in the window, and is delivered after it.
RETRY_FIRST = 2.0


def test_cartoncloud_down_for_a_window_loses_no_writeback(postgres_url, backend_on, sandbox, control):
    sandbox.state.set_starshipit_rate_limit(1000)
    backend = backend_on(
        postgres_url,
        STARSHIPIT_RATE_PER_SECOND=100,
        WORKER_POLL_SECONDS=0.2,
        WORKER_RETRY_FIRST_SECONDS=RETRY_FIRST,
        CARTONCLOUD_POLL_SECONDS=0,
        STARSHIPIT_POLL_SECONDS=0,
    )
    backend.start_serve(3)
    references = make_sale_orders(sandbox, "OUTAGE", max(1, SCALE_PRINTS // 4))
    answers: list = []
    with ThreadPoolExecutor(max_workers=12) as pool:
        printed = list(pool.map(lambda r: click_until_printed(backend, r, time.monotonic() + 120, answers), references))
    assert all(body.get("label") for body in printed)

    # Down from now: 503 with Retry-After longer than a request may wait, so each attempt fails at once.
    control.fault(service="cartoncloud", path="*", status=503, retry_after=30)
    down_since = time.monotonic()
    for _ in range(2):
        backend.start_worker()
    database = Database(postgres_url)
    try:

        def jobs() -> list[OutboxJob]:
            with database.sessions() as session:
                return outbox.jobs(session)

        def outage_over() -> bool:
            return time.monotonic() - down_since >= WINDOW and all(job.attempts >= 1 for job in jobs())

        wait_for(outage_over, WINDOW + 60, "every writeback to fail in the outage")
        # Failed, none given up (nor done: CartonCloud is down); a job may be mid-retry.
        assert {job.state for job in jobs()} <= {outbox.QUEUED, outbox.RUNNING}
        control.clear_faults()  # CartonCloud is back
        outage = time.monotonic() - down_since
        wait_for(lambda: all(job.state == outbox.DONE for job in jobs()), 90, "every writeback after it")

        with database.sessions() as session:
            written = Counter(
                session.scalars(select(OrderEvent.sale_order_pk).where(OrderEvent.kind == "written_back"))
            )
            failed = session.scalar(select(OrderEvent.id).where(OrderEvent.kind == "writeback_failed").limit(1))
        assert len(written) == len(references) and set(written.values()) == {1}
        assert failed is not None
        report(
            "cartoncloud_outage",
            orders=len(references),
            outage_seconds=round(outage, 1),
            failed_attempts=sum(job.attempts for job in jobs()),
            delivered=len(written),
        )
    finally:
        database.dispose()

    tracking = consignment_tracking(sandbox)
    for body in printed:
        assert tracking[body["sale_order"]["id"]] == ", ".join(body["tracking_numbers"])
