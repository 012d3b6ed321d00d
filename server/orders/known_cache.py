"""What labelbridge knows of sale orders (``known``), kept in each process on PostgreSQL and
forgotten as soon as PostgreSQL says an order changed.

A lookup and a reprint each read one row (server/orders/known.py). On PostgreSQL that row is a
round trip to the database server, and the round trip was most of what kept both far behind the
framework itself (tests/benchmarks/README.md). Kept here, an order read before costs none.

How what is kept stays true:
- **The database announces every change.** Triggers (migration 0012) notify the channel
  ``labelbridge_orders`` with the sale order's id whenever its row, its labels, its writeback jobs
  or its return change, and ``*`` on a TRUNCATE. PostgreSQL sends a notice when the change
  commits, never for one rolled back. No path that writes can forget to announce.
- **Each process listens on a connection of its own**, and before anything is served from here
  takes in every notice that has arrived and forgets the orders they name.
- **A process sees its own changes at once.** After any commit of its own (a print, a void),
  its next read first makes a round trip on the listening connection: PostgreSQL delivers every
  notice committed before that round trip ahead of its answer.
- **Another process's change is seen once its notice arrives**, which PostgreSQL sends at commit;
  on a busy machine that is a matter of milliseconds, about the time a read racing that commit
  could have read the old row anyway. The listening connection is checked by a round trip at
  least every CHECK_SECONDS.
- **A row read while a change came in is not kept**: each notice taken in, and each commit of the
  process, moves the generation, and a row is kept only if the generation did not move while it
  was read.
- **When the listening connection fails**, everything kept is forgotten and nothing is kept until
  a new one listens (tried again at most every CHECK_SECONDS); reads go to the database meanwhile.
- **Bounded**: ``ORDER_CACHE_MB`` of rows and label bytes per process (8 by default), least
  recently read out first; 0 keeps nothing and opens no listening connection. Turn it off behind a
  pooler that cannot LISTEN (PgBouncer in transaction mode).
- **A forked child listens on a connection of its own**: the one it inherited shares its socket
  with the parent's, and is neither read nor closed in the child (either would take the parent's
  notices or end its session).

SQLite has no notifications, and reads it in tens of microseconds: nothing is kept there.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from flask import Flask
from sqlalchemy import Engine, event, exc
from sqlalchemy.orm import Session

from ..db import get_database
from ..metrics import ORDER_CACHE_READS

CHANNEL = "labelbridge_orders"
EVERY_ORDER = "*"
CHECK_SECONDS = 1.0
ROW_BYTES = 3072  # what a kept row costs besides its label's bytes (tracemalloc: 400 rows kept)
_FAILED = frozenset({"FATAL", "PANIC"})
_HIT, _MISS, _UNKEPT = (ORDER_CACHE_READS.labels(outcome) for outcome in ("hit", "miss", "unkept"))
_SESSION_KEY = "labelbridge.known_cache"  # in the info of every session of a database that keeps
_every_cache: weakref.WeakSet[KnownCache] = weakref.WeakSet()
_inherited: list[Any] = []  # listening connections a forked child holds, never to read or close


class _Listener:
    """The process's LISTEN connection: a connection of the engine's, taken out of its pool."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._driver_error = engine.dialect.loaded_dbapi.Error
        self._connection: Any = None  # the pool's proxy, detached from the pool
        self._driver: Any = None  # its driver's connection, which listens
        self._failed = False
        self._retry_at = float("-inf")

    def take(self, barrier: bool) -> set[str] | None:
        """The payloads of the notices that arrived since the last call; with ``barrier``, of every
        notice committed before this call too. None: not listening (it failed, or it could not be
        made listening again yet): what arrived meanwhile is lost."""
        if self._connection is None and not self._listen():
            return None
        driver = self._driver
        try:
            if barrier:
                driver.execute("SELECT 1")  # the notices committed before it arrive ahead of its answer
            payloads = {notice.payload for notice in driver.notifies(timeout=0)}
        except self._driver_error:
            self._failed = True
        if self._failed:  # an error raised, or a FATAL notice from a server ending the connection
            self.close()
            return None
        return payloads

    def _listen(self) -> bool:
        now = time.monotonic()
        if now < self._retry_at:
            return False
        self._retry_at = now + CHECK_SECONDS
        try:
            connection = self._engine.raw_connection()
        except exc.DBAPIError:  # the database is down: reads go to it, and say so themselves
            return False
        driver = connection.driver_connection
        connection.detach()  # the pool neither hands it out nor counts it
        try:
            driver.autocommit = True
            driver.add_notice_handler(self._noticed)
            driver.execute(f"LISTEN {CHANNEL}")
        except self._driver_error:
            connection.close()
            return False
        self._connection, self._driver, self._failed = connection, driver, False
        return True

    def _noticed(self, diagnostic: Any) -> None:
        if diagnostic.severity_nonlocalized in _FAILED:
            self._failed = True

    def abandon(self) -> Any:
        """Let go of the connection without a word to the server (a forked child's inheritance)."""
        connection, self._connection, self._driver = self._connection, None, None
        return connection

    def close(self) -> None:
        connection = self.abandon()
        if connection is not None:
            with contextlib.suppress(self._driver_error):  # already gone
                connection.close()


class KnownCache:
    """Rows of ``known``'s reads by key, each under the sale order it describes."""

    def __init__(self, engine: Engine, max_bytes: int) -> None:
        self._listener = _Listener(engine)
        self._max_bytes = max_bytes
        self._lock = threading.Lock()
        self._rows: OrderedDict[Hashable, tuple[Any, str, int]] = OrderedDict()  # key → row, order, bytes
        self._keys_by_order: dict[str, set[Hashable]] = {}
        self._bytes = 0
        self._generation = 0
        self._barrier_due = True
        self._checked_at = float("-inf")
        _every_cache.add(self)

    def read(self, key: Hashable, load: Callable[[], Any]) -> Any:
        """The row under ``key``: kept, or ``load()``'s (None is never kept)."""
        with self._lock:
            # Made sure of (every notice committed before now taken in) only when it may be served.
            listening = self._take_in(make_sure=key in self._rows)
            if listening and key in self._rows:
                self._rows.move_to_end(key)
                _HIT.inc()
                return self._rows[key][0]
            generation = self._generation
        row = load()
        if row is None:
            return None
        with self._lock:
            # A commit of this process that this row may predate moved the generation already, or
            # leaves its notice to be made sure of before the row is ever served.
            keep = listening and self._take_in(make_sure=False) and self._generation == generation
            if keep:
                self._keep(key, row)
        (_MISS if keep else _UNKEPT).inc()
        return row

    def committed(self) -> None:
        """A transaction of this process committed: rows being read may predate it, and the next
        read first takes in every notice committed before it (its own among them)."""
        with self._lock:
            self._generation += 1
            self._barrier_due = True

    def close(self) -> None:
        with self._lock:
            self._listener.close()
            self._forget_all()

    def forked(self) -> None:
        """In a forked child: what was kept and the inherited connection are the parent's."""
        self._lock = threading.Lock()  # another thread of the parent may have held it
        _inherited.append(self._listener.abandon())
        self._forget_all()

    def _take_in(self, make_sure: bool) -> bool:
        """Forget the orders the arrived notices name; False when not listening (all forgotten).
        ``make_sure``: after a commit of this process, or CHECK_SECONDS since the last time, first
        a round trip on the listening connection (every notice committed before it arrives)."""
        now = time.monotonic()
        barrier = make_sure and (self._barrier_due or now - self._checked_at >= CHECK_SECONDS)
        changed = self._listener.take(barrier)
        if changed is None:
            self._forget_all()
            return False
        if barrier:
            self._barrier_due, self._checked_at = False, now
        if changed:
            self._generation += 1
            if EVERY_ORDER in changed:
                self._forget_all()
            for order in changed:
                for key in list(self._keys_by_order.get(order, ())):
                    self._drop(key)
        return True

    def _keep(self, key: Hashable, row: Any) -> None:
        if key in self._rows:
            return
        order = str(row.id)
        size = ROW_BYTES + len(getattr(row, "label_content", None) or b"")
        if size > self._max_bytes:
            return
        self._rows[key] = (row, order, size)
        self._keys_by_order.setdefault(order, set()).add(key)
        self._bytes += size
        while self._bytes > self._max_bytes:
            self._drop(next(iter(self._rows)))  # the least recently read

    def _drop(self, key: Hashable) -> None:
        _row, order, size = self._rows.pop(key)
        self._bytes -= size
        keys = self._keys_by_order[order]
        keys.discard(key)
        if not keys:
            del self._keys_by_order[order]

    def _forget_all(self) -> None:
        """Nothing kept; what is kept next is served only after a round trip on the listening
        connection (a new one's first, after a failure or a fork)."""
        self._rows.clear()
        self._keys_by_order.clear()
        self._bytes = 0
        self._generation += 1
        self._barrier_due = True


def for_session(session: Session) -> KnownCache | None:
    """The cache of the session's database, or None: SQLite, or switched off."""
    return session.info.get(_SESSION_KEY)


def init_app(app: Flask) -> None:
    database = get_database(app)
    max_bytes = int(app.config["ORDER_CACHE_MB"] * 1024 * 1024)
    if database.engine.dialect.name == "postgresql" and max_bytes > 0:
        kept = KnownCache(database.engine, max_bytes)
        database.sessions.configure(info={_SESSION_KEY: kept})
        event.listen(database.engine, "engine_disposed", lambda _engine: kept.close())


@event.listens_for(Session, "after_commit")
def _process_committed(session: Session) -> None:
    kept = session.info.get(_SESSION_KEY)
    if kept is not None:
        kept.committed()


def _in_a_forked_child() -> None:
    for kept in list(_every_cache):
        kept.forked()


os.register_at_fork(after_in_child=_in_a_forked_child)
