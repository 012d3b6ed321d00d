"""The writeback outbox: jobs written with their label, claimed by workers, retried until done.

A job is never dropped: it is ``queued`` until delivered (``done``), or ``failed`` when CartonCloud
refuses it outright or it keeps failing for a day; ``failed`` jobs stay visible with their last
error and go back to ``queued`` by command (``labelbridge outbox retry``).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from . import claims
from .models import Label, OutboxJob, SaleOrder

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
TRACKING, VOID = "tracking", "void"  # a job's kind
FIRST_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(minutes=30)
# 30 s doubling to a 30 min cap: 40 attempts span about 18 hours of an outage.
MAX_ATTEMPTS = 40
_NEW_JOB = insert(OutboxJob.__table__)


def enqueue(session: Session, record_pk: int, label_id: str, mode: str) -> int | None:
    """Write the writeback job for a label just stored, in the caller's transaction (which
    commits it with the label); its id, or None when writeback is off (``mode`` none)."""
    if mode == "none":
        return None
    row = {"sale_order_pk": record_pk, "label_id": label_id, "mode": mode, "state": QUEUED, "steps_done": []}
    return session.connection().execute(_NEW_JOB, row).inserted_primary_key[0]


def enqueue_tracking(
    session: Session, record: SaleOrder, tracking_numbers: list[str], carrier: str | None, mode: str
) -> OutboxJob | None:
    """Add the writeback of tracking found in Starshipit (a label printed in its app, which
    labelbridge does not hold): only the consignment can carry it, so ``document`` queues nothing."""
    if mode not in ("consignment", "both"):
        return None
    job = OutboxJob(
        sale_order_pk=record.id,
        label_id=None,
        tracking_numbers=list(tracking_numbers),
        carrier=carrier,
        mode="consignment",
        state=QUEUED,
        steps_done=[],
    )
    session.add(job)
    return job


def enqueue_void(session: Session, record: SaleOrder, label: Label, mode: str) -> OutboxJob | None:
    """Add the job that takes back what the voided ``label`` wrote to CartonCloud: the
    consignment's tracking cleared, a note beside the label's document (the caller commits)."""
    if mode == "none":
        return None
    job = OutboxJob(
        sale_order_pk=record.id,
        label_id=label.id,
        tracking_numbers=[],
        kind=VOID,
        mode=mode,
        state=QUEUED,
        steps_done=[],
    )
    session.add(job)
    return job


def writeback_of(job_state: str | None, mode: str) -> str:
    """What the API reports for a label's writeback (queued, done, failed or disabled), from the
    state of its last job (None: it has none)."""
    if job_state is None:
        return "disabled" if mode == "none" else QUEUED
    return QUEUED if job_state == RUNNING else job_state


def claim_due(session: Session, worker: str, now: datetime, claim: timedelta, limit: int = 20) -> list[OutboxJob]:
    """Claim up to ``limit`` due jobs for ``worker`` for ``claim``; a crashed worker's claims expire,
    and the worker's own left by a failed pass are taken back at once (it delivers one job at a
    time, each finished before it claims again)."""
    return claims.claim_due(session, OutboxJob, worker, now, claim, limit, retake_own=True)


def retry_delay(attempts: int, rng: Callable[[], float] = random.random, first: timedelta = FIRST_DELAY) -> timedelta:
    """Exponential backoff with jitter (half fixed, half random) so retries spread out."""
    ceiling = min(MAX_DELAY, first * (2 ** max(0, attempts - 1)))
    return ceiling / 2 + ceiling / 2 * rng()


def mark_done(session: Session, job: OutboxJob, now: datetime) -> None:
    job.state, job.done_at, job.claimed_by, job.claimed_until = DONE, now, None, None
    job.last_error = None


def mark_failed_attempt(
    session: Session, job: OutboxJob, error: str, now: datetime, permanent: bool, first_delay: timedelta = FIRST_DELAY
) -> None:
    job.attempts += 1
    job.last_error = error
    job.claimed_by, job.claimed_until = None, None
    if permanent or job.attempts >= MAX_ATTEMPTS:
        job.state = FAILED
    else:
        job.state = QUEUED
        job.next_attempt_at = now + retry_delay(job.attempts, first=first_delay)


def retry_failed(session: Session, now: datetime, job_id: int | None = None) -> int:
    """Put failed jobs (or one job) back in the queue now; returns how many."""
    query = update(OutboxJob).where(OutboxJob.state == FAILED)
    if job_id is not None:
        query = query.where(OutboxJob.id == job_id)
    result = session.execute(
        query.values(state=QUEUED, next_attempt_at=now, attempts=0).execution_options(synchronize_session=False)
    )
    session.commit()
    return result.rowcount


def jobs(session: Session, state: str | None = None) -> list[OutboxJob]:
    query = select(OutboxJob).order_by(OutboxJob.id)
    if state:
        query = query.where(OutboxJob.state == state)
    return list(session.scalars(query))
