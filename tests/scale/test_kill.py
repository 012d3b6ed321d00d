"""`kill -9` in the middle of the work, on PostgreSQL: of a `labelbridge worker` process while its
bulk import of triggered orders is on its way to Starshipit, and of gunicorn's worker processes
while packers click. After restarting the worker, every order is in Starshipit exactly once,
every click ends in the order's one label, and every tracking number is written back."""

from __future__ import annotations

import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from server import outbox
from server.db import Database
from server.models import OrderEvent, SaleOrder, StarshipitCreate, SyncCursor, utcnow

from .stack import (
    SCALE_PRINTS,
    children,
    click_until_printed,
    consignment_tracking,
    is_retryable_error,
    make_sale_orders,
    report,
    wait_for,
)

CLAIM_SECONDS = 3  # how soon a killed process's claims and leases expire
IMPORT_HOLD_MS = 1500  # the first bulk import is held this long: the kill lands while it travels


def kill_serve_workers_mid_create(backend, answers: list, database: Database, tries: int = 5) -> None:
    """kill -9 gunicorn's worker processes while a click's create is on its way to Starshipit
    (recorded as sent, not answered), until a click was cut (gunicorn starts new workers each
    time; a create answered in the moment before the kill cuts nothing)."""

    def creates_on_their_way() -> int:
        with database.sessions() as session:
            return session.scalar(
                select(func.count()).where(StarshipitCreate.via == "create", StarshipitCreate.outcome == "sent")
            )

    def cut() -> int:
        return sum(a[1] == "connection_error" for a in answers)

    for _ in range(tries):
        wait_for(creates_on_their_way, 60, "a click's create on its way")
        cut_before = cut()
        for worker in children(backend.serve.pid):
            os.kill(worker, signal.SIGKILL)
        try:
            wait_for(lambda cut_before=cut_before: cut() > cut_before, 10, "a click cut by the kill")
            return
        except AssertionError:
            continue
    raise AssertionError(f"none of {tries} kills cut a click in flight")


def test_kill_9_of_a_serve_worker_and_a_sync_worker_loses_and_duplicates_nothing(
    postgres_url, backend_on, sandbox, control
):
    sandbox.state.set_starshipit_rate_limit(1000)
    backend = backend_on(
        postgres_url,
        STARSHIPIT_RATE_PER_SECOND=100,
        WORKER_POLL_SECONDS=0.2,
        WORKER_CLAIM_SECONDS=CLAIM_SECONDS,
        ORDER_LOCK_SECONDS=CLAIM_SECONDS + 1,
        CARTONCLOUD_POLL_SECONDS=1,
        STARSHIPIT_POLL_SECONDS=0,
        TRIGGER_LOOKBACK_HOURS=1,
        HTTP_READ_TIMEOUT=4,  # a create unanswered is retried 14 s after it went
    )
    backend.start_serve(3)
    count = max(2, SCALE_PRINTS // 8)
    clicked = make_sale_orders(sandbox, "CLICK", count)  # printed by packers (and raced by the trigger)
    triggered = make_sale_orders(sandbox, "TRIG", count)  # transferred by the trigger alone
    control.fault(service="starshipit", path="/api/orders/import", method="POST", latency_ms=IMPORT_HOLD_MS, count=1)
    control.fault(service="starshipit", path="/api/*", latency_ms=300)  # every call takes a while
    database = Database(postgres_url)
    answers: list = []
    try:
        with ThreadPoolExecutor(max_workers=12) as pool:
            deadline = time.monotonic() + 60 + SCALE_PRINTS * 0.5
            clicks = [
                pool.submit(click_until_printed, backend, clicked[n % count], deadline, answers)
                for n in range(SCALE_PRINTS // 2)
            ]
            kill_serve_workers_mid_create(backend, answers, database)
            workers = [backend.start_worker(), backend.start_worker()]

            def importing_owner() -> int | None:
                """The pid of the worker whose import is on its way (triggered orders sent, none
                answered, the import received by Starshipit and held there)."""
                with database.sessions() as session:
                    waiting = session.scalar(
                        select(func.count())
                        .select_from(StarshipitCreate)
                        .join(SaleOrder)
                        .where(
                            SaleOrder.customer_reference.like("TRIG-%"),
                            StarshipitCreate.outcome == "sent",
                            SaleOrder.starshipit_order_id.is_(None),
                        )
                    )
                    owner = session.scalar(
                        select(SyncCursor.lease_owner).where(
                            SyncCursor.name == "cartoncloud.sale_orders", SyncCursor.lease_until > utcnow()
                        )
                    )
                # ...and Starshipit has it: an import recorded as sent may still be in the process
                # when the kill lands, and then there is nothing to find afterwards.
                arrived = control.counters("starshipit").get("POST /api/orders/import", 0) >= 1
                return int(owner.split(":")[1]) if waiting and owner and arrived else None  # owner: host:pid:thread

            victim = wait_for(importing_owner, 60, "a bulk import on its way")
            assert victim in [worker.pid for worker in workers]
            os.kill(victim, signal.SIGKILL)
            backend.start_worker()  # the restart
            finals = [click.result() for click in clicks]
        control.clear_faults()

        assert all(final.get("label") for final in finals), [f for f in finals if not f.get("label")][:3]
        unclear = [a for a in answers if a[1] not in (200, 201, "connection_error") and not is_retryable_error(*a[1:])]
        assert unclear == []
        for reference in clicked:
            labelled = {
                (a[2]["label"]["id"], tuple(a[2]["tracking_numbers"]))
                for a in answers
                if a[0] == reference and a[1] in (200, 201)
            }
            assert len(labelled) == 1, reference

        def numbers() -> list[str]:
            orders = control.starshipit_orders()
            return [o["order_number"] for o in orders if o["order_number"].startswith(("CLICK-", "TRIG-"))]

        def transferred() -> bool:
            with database.sessions() as session:
                return (
                    session.scalar(
                        select(func.count()).where(
                            SaleOrder.customer_reference.like("TRIG-%"), SaleOrder.starshipit_order_id.is_not(None)
                        )
                    )
                    == count
                )

        wait_for(transferred, 60, "every triggered order recorded as transferred")
        with database.sessions() as session:  # the import whose answer died with its worker was found, not sent again
            found = session.scalar(
                select(func.count()).where(OrderEvent.kind == "found_in_starshipit", OrderEvent.actor.like("trigger:%"))
            )
        assert found >= 1
        assert sorted(numbers()) == sorted(clicked + triggered)  # each exactly once

        def jobs_done() -> bool:
            with database.sessions() as session:
                jobs = outbox.jobs(session)
            return len(jobs) == count and all(job.state == outbox.DONE for job in jobs)

        wait_for(jobs_done, 60, "every writeback delivered")
        report(
            "kill_9",
            clicks=len(clicks),
            clicked_orders=count,
            triggered_orders=count,
            clicks_cut_by_the_kill=sum(a[1] == "connection_error" for a in answers),
            found_after_the_lost_import=found,
        )
    finally:
        database.dispose()
    tracking = consignment_tracking(sandbox)
    for final in finals:
        assert tracking[final["sale_order"]["id"]] == ", ".join(final["tracking_numbers"])
