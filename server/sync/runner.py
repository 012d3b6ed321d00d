"""One sync pass, and the loop ``labelbridge worker`` runs: the pollers that are due, then the
inbox (webhook and poll updates). Any number of runners may run at once, in one process or many:
cursors are leased, inbox events claimed, orders locked."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from .. import settings
from ..clients import Upstreams
from ..failures import Failure
from ..http.errors import UpstreamError
from ..models import InboxEvent
from ..worker import Loop
from . import cursors, inbox
from .polls import NoProgress, Pass, Poller, Progress, pollers
from .summary import Summary
from .tracking import Busy, TrackingApplier, TrackingUpdate
from .trigger import Transfer, TransferAborted

log = logging.getLogger(__name__)

BUSY_DELAY = timedelta(seconds=5)
CLAIM_BATCH = 500  # webhook deliveries claimed at a time
ADD_CHUNK = 100  # ... and handed to the transfer at a time, so the first import goes early
TRANSFER_LIMIT = 5000  # webhook deliveries per transfer: done well within a claim's life
TRACKING_BATCH = 50
KEEP_DONE = timedelta(days=14)  # inbox events kept for deduplication after they are done
FAILURES = (UpstreamError, Failure, TransferAborted)


class SyncRunner(Loop):
    """The automatic transfer: pollers, then the inbox."""

    def __init__(
        self, sessions: sessionmaker[Session], upstreams: Upstreams, config: Mapping[str, Any], **loop: Any
    ) -> None:
        super().__init__(sessions, **loop)
        self.upstreams = upstreams
        self.config = config

    def run_once(self, *, force: bool = False, progress: Progress | None = None) -> Summary:
        """The pollers that are due (all of them with ``force``), then every inbox event due."""
        summary = Summary()
        with self.sessions() as session:
            config = settings.runtime_config(session, self.config)
            session.commit()
            for poller in self._pollers(summary):
                try:
                    self._poll(session, config, poller, force, progress or NoProgress(), summary)
                except Exception:  # a broken poller must not hold up the others and the webhook queue
                    session.rollback()
                    log.exception("%s poll crashed", poller.name)
                    summary.fail(f"the {poller.name} poll failed unexpectedly; see the worker's log")
            self._drain_inbox(session, config, summary)
        return summary

    def run_pass(self) -> bool:
        return self.run_once().did_something()

    # -- pollers --------------------------------------------------------------------------

    def _pollers(self, summary: Summary) -> list[Poller]:
        try:
            return pollers(self.upstreams)
        except Failure as error:  # not connected to Starshipit yet
            summary.fail(error.message)
            return []

    def _poll(
        self,
        session: Session,
        config: Mapping[str, Any],
        poller: Poller,
        force: bool,
        progress: Progress,
        summary: Summary,
    ) -> None:
        interval = poller.interval(config)
        if not interval and not force:
            return  # polling switched off: webhooks only
        now = self.clock()
        cursor = cursors.lease(session, poller.name, self.name, now, self.claim, force=force)
        if cursor is None:
            return  # not due, or another worker is polling
        run = Pass(
            session,
            self.upstreams,
            config,
            cursor.position,
            now,
            Summary(),
            progress=progress,
            renew=lambda: cursors.renew(session, poller.name, self.name, self.clock(), self.claim),
        )
        position, error = None, None
        try:
            position = poller.run(run)
        except FAILURES as failure:
            session.rollback()
            error = _describe(failure)
            run.summary.fail(error, count=0)
            log.warning("%s poll failed: %s", poller.name, error)
        finally:
            next_run = now + timedelta(seconds=interval or self.poll_seconds)
            cursors.finish(
                session,
                poller.name,
                self.name,
                self.clock(),
                position=position,
                next_run_at=next_run,
                summary=run.summary.to_dict(),
                error=error,
            )
        summary.add(run.summary)

    # -- inbox ----------------------------------------------------------------------------

    def _drain_inbox(self, session: Session, config: Mapping[str, Any], summary: Summary) -> None:
        while True:
            transferred = self._transfer(session, config, summary)
            updates = inbox.claim_due(session, inbox.STARSHIPIT, self.name, self.clock(), self.claim, TRACKING_BATCH)
            for event in updates:
                self._track(session, config, event, summary)
            if not transferred and not updates:
                inbox.purge_done(session, self.clock() - KEEP_DONE)
                return

    def _transfer(self, session: Session, config: Mapping[str, Any], summary: Summary) -> int:
        """Sale orders delivered by webhook, up to TRANSFER_LIMIT as one transfer (fifty to an
        import whatever order they came in, the next claim read while an import travels);
        returns how many events were done."""
        events: list[InboxEvent] = []
        error = None
        try:
            transfer = Transfer(session, self.upstreams, config, summary, actor="trigger:webhook", report=True)
            while len(events) < TRANSFER_LIMIT and (
                claimed := inbox.claim_due(session, inbox.CARTONCLOUD, self.name, self.clock(), self.claim, CLAIM_BATCH)
            ):
                events += claimed
                for start in range(0, len(claimed), ADD_CHUNK):
                    transfer.add([event.payload for event in claimed[start : start + ADD_CHUNK]])
            transfer.finish()
        except FAILURES as failure:
            session.rollback()
            error = _describe(failure)
            summary.fail(error, count=0)
        now = self.clock()
        if error:
            for event in events:
                inbox.mark_failed_attempt(event, error, now)
            session.commit()
        else:
            outcomes = {
                event.id: transfer.outcomes.get(event.payload["id"], "not at a trigger status") for event in events
            }
            inbox.mark_done_many(session, outcomes, now)
        return len(events)

    def _track(self, session: Session, config: Mapping[str, Any], event: InboxEvent, summary: Summary) -> None:
        update = TrackingUpdate.from_payload(event.payload)
        actor = "tracking:" + ("poll" if update.complete else "webhook")
        applier = TrackingApplier(session, self.upstreams, config, actor=actor)
        try:
            outcome = applier.apply(update)
        except Busy:
            session.rollback()
            inbox.mark_later(event, self.clock(), BUSY_DELAY)
            session.commit()
            return
        except FAILURES as failure:
            session.rollback()
            error = _describe(failure)
            inbox.mark_failed_attempt(event, error, self.clock())
            session.commit()
            summary.fail(error)
            return
        inbox.mark_done(event, outcome, self.clock())
        session.commit()
        summary.found += 1
        if outcome not in ("printed_in_starshipit", "relabelled", "status_updated"):
            summary.skip(outcome.split(":")[0])


def _describe(failure: Exception) -> str:
    if isinstance(failure, UpstreamError):
        service = {"starshipit": "Starshipit", "cartoncloud": "CartonCloud"}.get(failure.service, failure.service)
        status = f" (HTTP {failure.http_status})" if failure.http_status else ""
        return f"{service}{status}: {failure.message}"
    if isinstance(failure, Failure):
        return failure.message
    return str(failure)
