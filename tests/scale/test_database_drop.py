"""PostgreSQL drops every labelbridge connection (pg_terminate_backend) while packers click and
the workers deliver: a request caught by it gets a clear retryable 503, never a 500; the next
ones succeed on fresh connections, and the workers carry on."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session

from server import outbox
from server.clients import get_upstreams
from server.db import get_database
from server.models import Label, utcnow
from server.worker import Worker

from .stack import (
    SCALE_PRINTS,
    click_until_printed,
    consignment_tracking,
    is_retryable_error,
    make_sale_orders,
    report,
    wait_for,
)

TERMINATE = text(
    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
)


def test_database_connections_dropped_mid_run(postgres_url, backend_on, sandbox, control):
    sandbox.state.set_starshipit_rate_limit(1000)
    backend = backend_on(
        postgres_url,
        STARSHIPIT_RATE_PER_SECOND=100,
        WORKER_POLL_SECONDS=0.2,
        CARTONCLOUD_POLL_SECONDS=1,
        STARSHIPIT_POLL_SECONDS=1,
    )
    backend.start_serve(3)
    count = max(2, SCALE_PRINTS // 8)
    references = make_sale_orders(sandbox, "DROP", count)
    control.fault(service="starshipit", path="/api/*", latency_ms=200)  # clicks stay in flight a while
    workers = [backend.start_worker(), backend.start_worker()]
    # The test's own reads, on a pool that checks every connection before use (the drops end its
    # connections too): only the backend's and the workers' handling of the drops is under test.
    observer = create_engine(postgres_url, pool_pre_ping=True)
    admin = create_engine(postgres_url)
    answers: list = []
    try:

        def labels() -> int:
            with Session(observer) as session:
                return session.scalar(select(func.count()).select_from(Label))

        with ThreadPoolExecutor(max_workers=12) as pool:
            deadline = time.monotonic() + 60 + SCALE_PRINTS * 0.5
            clicks = [
                pool.submit(click_until_printed, backend, references[n % count], deadline, answers)
                for n in range(SCALE_PRINTS // 2)
            ]
            terminated = 0
            for wanted in (1, count // 3, 2 * count // 3):  # three times, as the run goes on
                wait_for(lambda wanted=wanted: labels() >= wanted, 120, f"{wanted} label(s)")
                with admin.connect() as connection:
                    terminated += connection.execute(TERMINATE).scalar()
            finals = [click.result() for click in clicks]
        control.clear_faults()
        assert terminated >= 3

        assert all(final.get("label") for final in finals), [f for f in finals if not f.get("label")][:3]
        assert [a for a in answers if a[1] not in (200, 201) and not is_retryable_error(*a[1:])] == []
        for reference in references:
            labelled = {
                (a[2]["label"]["id"], tuple(a[2]["tracking_numbers"]))
                for a in answers
                if a[0] == reference and a[1] in (200, 201)
            }
            assert len(labelled) == 1, reference
        numbers = [o["order_number"] for o in control.starshipit_orders() if o["order_number"].startswith("DROP-")]
        assert sorted(numbers) == sorted(references)

        def jobs() -> list[tuple]:
            with Session(observer) as session:
                return [
                    (job.state, job.attempts, job.claimed_by, job.next_attempt_at, job.last_error)
                    for job in outbox.jobs(session)
                ]

        def jobs_done() -> bool:  # one per label, and one more where the tracking poll found a
            states = [state for state, *_ in jobs()]  # label whose recording a drop had cut short
            return len(states) >= count and set(states) == {outbox.DONE}

        wait_for(
            jobs_done,
            90,
            "the workers to deliver every writeback after the drops",
            lambda: (f"{len(jobs())} jobs", [job for job in jobs() if job[0] != outbox.DONE]),
        )
        assert all(worker.poll() is None for worker in workers)  # the workers carried on
        report(
            "database_drop",
            clicks=len(clicks),
            orders=count,
            connections_terminated=terminated,
            answered_503=sum(a[1] == 503 for a in answers),
            writebacks=len(jobs()),
        )
        tracking = consignment_tracking(sandbox)
        for final in finals:
            assert tracking[final["sale_order"]["id"]] == ", ".join(final["tracking_numbers"])
    finally:
        observer.dispose()
        admin.dispose()


def test_a_worker_takes_back_at_once_the_jobs_its_failed_pass_left_claimed(app, print_label):
    print_label(customer_reference="SO-10045")
    database = get_database(app)
    worker = Worker(database.sessions, get_upstreams(app).cartoncloud, name="worker-1", claim_seconds=300)
    with database.sessions() as session:  # a pass claimed the job, then lost its database connection
        (claimed,) = outbox.claim_due(session, "worker-1", utcnow(), timedelta(seconds=300))
    assert worker.run_once() == 1  # not 300 s later, when the claim runs out
    with database.sessions() as session:
        assert [job.state for job in outbox.jobs(session)] == [outbox.DONE]
