"""Audit rows that wait in the process and are written many to a transaction: the events that
change nothing else (a reprint), so that answering them takes no write, and on SQLite no write
lock (server/db.py).

- A queued row is written by a thread of the process within ``seconds`` (AUDIT_BATCH_SECONDS,
  0.2 s by default), with every other row queued by then, in one transaction.
- An event this process records with a change (``events.record_event``) takes the rows queued
  before it into its own transaction, ahead of it, so the log keeps the process's order (after
  waiting for a batch being written, unless that batch waits for this very transaction on
  SQLite); if that transaction rolls back, they wait again.
- A process that exits cleanly (gunicorn's graceful stop, the end of a command) writes what waits
  first. One that is killed (``kill -9``, a power cut) loses the rows queued in its last
  ``seconds``: at worst, that many reprints missing from the history, never a label or a change.
- A write that fails (the database down) keeps the rows and is tried again after ``seconds``.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
import weakref
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from .models import OrderEvent

log = logging.getLogger(__name__)
_queues: weakref.WeakKeyDictionary[Engine, EventQueue] = weakref.WeakKeyDictionary()
_written_from_a_queue: weakref.WeakSet[OrderEvent] = weakref.WeakSet()
_TAKEN = "labelbridge.queued_events_taken"


class EventQueue:
    """The rows waiting to be written to one database."""

    def __init__(self, engine: Engine, seconds: float) -> None:
        self._engine = engine
        self.seconds = seconds
        self._lock = threading.Lock()
        self._writing = threading.Lock()  # held while rows are written: a clean exit waits for it
        self._rows: list[dict[str, Any]] = []
        self._writer: threading.Thread | None = None

    def put(self, row: dict[str, Any]) -> None:
        with self._lock:
            self._rows.append(row)
            if self._writer is None:  # started when rows wait, ends when none do
                self._writer = threading.Thread(target=self._write_batches, name="audit-batch", daemon=True)
                self._writer.start()

    def take_after_the_batch_in_flight(self) -> list[OrderEvent]:
        """``take``, once a batch the writer has taken is written (so rows queued earlier get
        earlier ids); waiting ``seconds`` at most: on SQLite that batch may be waiting for the
        caller's own transaction, which then goes first."""
        written = self._writing.acquire(timeout=self.seconds)
        try:
            return self.take()
        finally:
            if written:
                self._writing.release()

    def take(self) -> list[OrderEvent]:
        """Every waiting row, as events to add to a session, oldest first."""
        with self._lock:
            rows, self._rows = self._rows, []
        events = [OrderEvent(**row) for row in rows]
        _written_from_a_queue.update(events)
        return events

    def give_back(self, events: list[OrderEvent]) -> None:
        """Rows taken but not written: they wait again, ahead of those queued since."""
        rows = [
            {"sale_order_pk": e.sale_order_pk, "kind": e.kind, "actor": e.actor, "detail": e.detail, "at": e.at}
            for e in events
        ]
        with self._lock:
            self._rows[:0] = rows

    def flush(self) -> None:
        """Write every waiting row now, in one transaction."""
        with self._writing:
            events = self.take()
            if not events:
                return
            try:
                with Session(self._engine) as session:
                    session.add_all(events)
                    session.commit()
            except Exception:
                self.give_back(events)
                raise

    def _write_batches(self) -> None:
        while True:
            time.sleep(self.seconds)  # the batch's time to gather rows
            with self._lock:
                if not self._rows:
                    self._writer = None
                    return
            try:
                self.flush()
            except Exception:
                log.exception("Could not write %d audit rows; trying again in %s s", len(self._rows), self.seconds)


def start(engine: Engine, seconds: float) -> None:
    """Queue the events that change nothing for this database (``seconds`` > 0), or write them
    with their request as any other (0). One queue a database: another app of the process on the
    same engine shares the queue, and the rows already in it, rather than replacing it (its rows
    would then be left out of ``flush``)."""
    queue = _queues.get(engine)
    if seconds <= 0:
        _queues.pop(engine, None)
        if queue is not None:
            queue.flush()
    elif queue is None:
        _queues[engine] = EventQueue(engine, seconds)
    else:
        queue.seconds = seconds


def queue_for(session: Session) -> EventQueue | None:
    return _queues.get(session.get_bind())


def take_into(session: Session) -> None:
    """Add the rows this process queued for the session's database to it, to be written ahead of
    what it adds next; given back to the queue if its transaction rolls back."""
    queue = queue_for(session)
    if queue is None:
        return
    events = queue.take_after_the_batch_in_flight()
    if events:
        session.add_all(events)
        session.info.setdefault(_TAKEN, []).extend(events)


def was_queued(item: OrderEvent) -> bool:
    """Whether the event waited in a queue (it was counted when it was queued)."""
    return item in _written_from_a_queue


def flush(engine: Engine) -> None:
    """Write what waits for this database now (before its engine is disposed)."""
    queue = _queues.get(engine)
    if queue is not None:
        queue.flush()


def flush_all() -> None:
    for queue in list(_queues.values()):
        try:
            queue.flush()
        except Exception:
            log.exception("Could not write the audit rows waiting at exit")


@event.listens_for(Session, "after_commit")
def _taken_rows_written(session: Session) -> None:
    session.info.pop(_TAKEN, None)


@event.listens_for(Session, "after_soft_rollback")
def _taken_rows_wait_again(session: Session, _transaction) -> None:
    """A rollback takes the rows it had not written out of the session: they wait again."""
    taken = session.info.get(_TAKEN)
    if not taken:
        return
    dropped = [item for item in taken if item not in session]
    session.info[_TAKEN] = [item for item in taken if item in session]
    queue = queue_for(session) if dropped else None
    if queue is not None:
        queue.give_back(dropped)


atexit.register(flush_all)
