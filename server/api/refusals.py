"""Refused tokens in the audit log, one ``token_refused`` event per client address and minute
with a count, so a caller guessing tokens cannot grow the log without bound.

Each process keeps the id of the event it writes for the current minute and updates its count;
several processes (gunicorn workers) each write their own, so an address's refusals in a minute
are the sum of at most one event per process.
"""

from __future__ import annotations

import threading
from datetime import datetime

from flask import Flask
from sqlalchemy import update
from sqlalchemy.orm import Session

from ..models import OrderEvent, utcnow


class RefusalLog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._minute: datetime | None = None
        self._events: dict[str, tuple[int, int]] = {}  # address -> (event id, count) this minute

    def record(self, session: Session, address: str, reason: str, path: str) -> None:
        """Count one refusal from ``address``; commits."""
        minute = utcnow().replace(second=0, microsecond=0)
        with self._lock:
            if minute != self._minute:
                self._minute, self._events = minute, {}
            event_id, count = self._events.get(address, (None, 0))
            count += 1
            detail = {
                "remote_addr": address,
                "minute": minute.isoformat(),
                "count": count,
                "reason": reason,
                "path": path,
            }
            updated = (
                event_id is not None
                and session.execute(update(OrderEvent).where(OrderEvent.id == event_id).values(detail=detail)).rowcount
            )
            if not updated:  # the first this minute (or its event was deleted meanwhile)
                event = OrderEvent(kind="token_refused", actor=None, detail=detail, at=minute)
                session.add(event)
                session.flush()
                event_id = event.id
            session.commit()
            self._events[address] = (event_id, count)


def init_app(app: Flask) -> None:
    app.extensions["labelbridge.refusals"] = RefusalLog()


def get_refusals(app: Flask) -> RefusalLog:
    return app.extensions["labelbridge.refusals"]
