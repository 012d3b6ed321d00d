"""``labelbridge worker``: delivers the outbox, at least once, with backoff, across restarts; and
runs the automatic transfer alongside it (server/sync/runner.py), each loop in its own thread."""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from . import outbox
from .cartoncloud.client import CartonCloudClient
from .events import record_event
from .models import Label, SaleOrder, utcnow
from .writeback import deliver, describe, is_permanent

log = logging.getLogger(__name__)


class Loop:
    """What the worker's loops share: a name for their claims, a clock, claims that expire, and
    passes repeated until stopped, at once while they make progress."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        name: str | None = None,
        clock: Callable[[], datetime] = utcnow,
        poll_seconds: float = 2.0,
        claim_seconds: float = 300.0,
    ) -> None:
        self.sessions = sessions
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"
        self.clock = clock
        self.poll_seconds = poll_seconds
        self.claim = timedelta(seconds=claim_seconds)

    def run_pass(self) -> bool:
        """One pass; whether it made progress."""
        raise NotImplementedError

    def run_forever(self, stop: threading.Event) -> None:
        log.info("%s %s started", type(self).__name__, self.name)
        while not stop.is_set():
            try:
                progressed = self.run_pass()
            except Exception:  # a database hiccup must not end the worker; the loop retries
                log.exception("%s pass failed", type(self).__name__)
                progressed = False
            if not progressed:
                stop.wait(self.poll_seconds)


class Worker(Loop):
    """Delivers the writeback outbox."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        cartoncloud: Callable[[], CartonCloudClient],
        retry_first_seconds: float = outbox.FIRST_DELAY.total_seconds(),
        **loop: Any,
    ) -> None:
        super().__init__(sessions, **loop)
        self.cartoncloud = cartoncloud
        self.retry_first = timedelta(seconds=retry_first_seconds)
        self.delivered = self.failed = 0  # since this worker was made, for `labelbridge sync --once`

    def run_once(self) -> int:
        """Claim and deliver the jobs due now; returns how many were attempted."""
        attempted = 0
        with self.sessions() as session:
            while jobs := outbox.claim_due(session, self.name, self.clock(), self.claim):
                for job in jobs:
                    self._attempt(session, job)
                    attempted += 1
        return attempted

    def run_pass(self) -> bool:
        return bool(self.run_once())

    def _attempt(self, session: Session, job: outbox.OutboxJob) -> None:
        record = session.get(SaleOrder, job.sale_order_pk)
        label = session.get(Label, job.label_id) if job.label_id else None
        session.commit()
        try:
            deliver(session, self.cartoncloud(), job, record, label)
        except Exception as error:  # every failure is recorded on the job, none is lost
            session.rollback()
            message = describe(error)
            outbox.mark_failed_attempt(session, job, message, self.clock(), is_permanent(error), self.retry_first)
            record_event(
                session,
                record,
                "writeback_failed",
                self.name,
                job_id=job.id,
                error=message,
                attempts=job.attempts,
                state=job.state,
            )
            session.commit()
            log.warning("writeback job %s failed (attempt %s): %s", job.id, job.attempts, message)
            self.failed += 1
            return
        outbox.mark_done(session, job, self.clock())
        tracking_numbers = job.tracking_numbers if job.tracking_numbers is not None else label.tracking_numbers
        if job.kind != outbox.VOID and record.tracking_numbers == tracking_numbers:  # the current shipment went back
            record.state = "written_back"
        record_event(
            session,
            record,
            "void_written_back" if job.kind == outbox.VOID else "written_back",
            self.name,
            job_id=job.id,
            mode=job.mode,
            tracking_numbers=tracking_numbers,
        )
        session.commit()
        self.delivered += 1


def run_together(stop: threading.Event, loops: list[Callable[[threading.Event], None]]) -> None:
    """Each ``loop(stop)`` in its own thread (a long transfer never holds up the writebacks);
    returns when all have stopped."""
    threads = [threading.Thread(target=loop, args=(stop,), name=f"worker-{index}") for index, loop in enumerate(loops)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
