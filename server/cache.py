"""What every request reads and rarely changes, kept in each process: the saved settings, the
accounts (decrypted once), token checks, and the rates Starshipit quoted lately.

- **Settings and accounts** are read again when any process changes them. A change writes a new
  stamp (a ``settings`` row under ``STAMP_KEY``) in its own transaction (``changed``); each
  process compares the stamp at most every ``check_seconds`` (``CACHE_CHECK_SECONDS``, 1 s by
  default) and forgets what it holds when it moved. The process that made the change forgets at
  once, when its transaction commits.
- **Token checks** are kept for ``TOKEN_CACHE_SECONDS`` (5 s by default) at most: a revoked or
  expired token stops working in every process within that time, and at once in the process
  that revoked it.
- **Rates** are kept for ``RATES_KEEP_SECONDS`` (server/orders/rates.py).
"""

from __future__ import annotations

import threading
import time
import uuid
import weakref
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from flask import Flask
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from .db import get_database, read_only
from .models import Setting

T = TypeVar("T")
STAMP_KEY = "labelbridge.cache_stamp"
_CHANGED = "labelbridge.cache_changed"
_caches: weakref.WeakSet[ProcessCache] = weakref.WeakSet()


def changed(session: Session) -> None:
    """Mark what the session is writing as a change every process must see (settings, accounts,
    tokens): a new stamp, written in the same transaction."""
    row = session.get(Setting, STAMP_KEY)
    stamp = uuid.uuid4().hex
    if row is None:
        session.add(Setting(key=STAMP_KEY, value=stamp, updated_by=None))
    else:
        row.value = stamp
    session.info[_CHANGED] = True


@event.listens_for(Session, "after_commit")
def _forget_after_a_change(session: Session) -> None:
    if session.info.pop(_CHANGED, False):
        for cache in list(_caches):
            cache.forget()


@event.listens_for(Session, "after_rollback")
def _no_change_after_a_rollback(session: Session) -> None:
    session.info.pop(_CHANGED, None)


class ProcessCache:
    """Values loaded from the database by name, kept until the stamp moves (``stamped``) or for
    a time (``timed``)."""

    def __init__(self, sessions: Callable[[], Session], *, check_seconds: float, token_seconds: float) -> None:
        self._sessions = sessions
        self._check_seconds = check_seconds
        self._token_seconds = token_seconds
        self._lock = threading.Lock()
        self._stamp: Any = None
        self._checked_at = float("-inf")
        self._stamped: dict[Hashable, Any] = {}
        self._timed: dict[Hashable, tuple[float, Any]] = {}
        _caches.add(self)

    def stamped(self, key: Hashable, load: Callable[[Session], T]) -> T:
        """``load(session)``'s value, loaded again once any process has changed what it reads."""
        self._check_stamp()
        with self._lock:
            if key in self._stamped:
                return self._stamped[key]
            stamp = self._stamp
        value = self._load(load)
        with self._lock:
            if self._stamp == stamp:  # not moved meanwhile: what was loaded is current
                self._stamped[key] = value
        return value

    def timed(self, key: Hashable, load: Callable[[], T | None], seconds: float | None = None) -> T | None:
        """``load()``'s value, kept for ``seconds`` at most (the token time by default). None is
        never kept, so made-up keys cannot fill the cache, and what has outlived its time is
        dropped whenever a value is kept. ``load`` uses the caller's own session: a request
        never waits on a second connection of its own."""
        now = time.monotonic()
        with self._lock:
            kept = self._timed.get(key)
            if kept is not None and now < kept[0]:
                return kept[1]
        value = load()
        if value is not None:
            with self._lock:
                for stale in [name for name, (until, _value) in self._timed.items() if until <= now]:
                    del self._timed[stale]
                self._timed[key] = (now + (self._token_seconds if seconds is None else seconds), value)
        return value

    def forget(self) -> None:
        with self._lock:
            self._stamped.clear()
            self._timed.clear()
            self._checked_at = float("-inf")

    def _check_stamp(self) -> None:
        now = time.monotonic()
        with self._lock:
            if now - self._checked_at < self._check_seconds:
                return
        stamp = self._load(lambda session: session.scalar(select(Setting.value).where(Setting.key == STAMP_KEY)))
        with self._lock:
            if stamp != self._stamp:
                self._stamp = stamp
                self._stamped.clear()
                self._timed.clear()
            self._checked_at = now

    def _load(self, load: Callable[[Session], T]) -> T:
        """``load`` in a read of its own: on SQLite it never waits for a writer (WAL)."""
        with self._sessions() as session:
            value = load(read_only(session))
            session.commit()
            return value


def init_app(app: Flask) -> None:
    app.extensions["labelbridge.cache"] = ProcessCache(
        get_database(app).sessions,
        check_seconds=app.config["CACHE_CHECK_SECONDS"],
        token_seconds=app.config["TOKEN_CACHE_SECONDS"],
    )


def get_cache(app: Flask) -> ProcessCache:
    return app.extensions["labelbridge.cache"]
