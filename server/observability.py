"""Metrics taken from what the app commits: labels printed, batch sizes, the delays users feel,
and the queues and pollers read from the database when Prometheus scrapes (GET /metrics, served
by server/api/metrics.py). Counting on commit, not where the work is done, keeps the order core
free of metrics and never counts work that was rolled back."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import event, func, inspect, select
from sqlalchemy.orm import Session

from . import event_queue, events, logs, metrics
from .models import OrderEvent, OutboxJob, PrintBatch, SaleOrder, SyncCursor, utcnow
from .request_headers import has_json_body, request_header
from .sync import inbox

_PENDING = "labelbridge.metrics"
LABEL_EVENTS = {"print": "print", "reprint": "reprint", "redo": "redo", "void": "void", "voided": "void"}
ORDER_CREATED = "starshipit_order_created"
OPEN_JOB_STATES = ("queued", "running", "failed")
_SALE_ORDER_KEYS = ("customer_reference", "numeric_id", "id")  # what a request names its sale order by


def _after_flush(session: Session, _context: Any) -> None:
    pending = session.info.setdefault(_PENDING, [])
    for item in session.new:
        if isinstance(item, OrderEvent) and not event_queue.was_queued(item):  # counted when queued
            _count_event(session, pending, item.kind, item.sale_order_pk)
        elif isinstance(item, PrintBatch) and item.total:
            pending.append((metrics.BATCH_SIZE.observe, (item.total,)))
    for item in session.dirty:
        if isinstance(item, OutboxJob) and "done" in inspect(item).attrs.state.history.added and item.created_at:
            pending.append((metrics.PRINT_TO_WRITEBACK.observe, (_seconds_since(item.created_at, item.done_at),)))


def _events_inserted(session: Session, rows: list[dict[str, Any]]) -> None:
    """Events written many to one INSERT (``events.record_events``), which no flush sees."""
    pending = session.info.setdefault(_PENDING, [])
    for row in rows:
        _count_event(session, pending, row["kind"], row["sale_order_pk"])


def _count_event(session: Session, pending: list, kind: str, sale_order_pk: int | None) -> None:
    """What an event counts for, once its transaction commits; the lines logged after it name its order."""
    record = _record_of(session, sale_order_pk)
    _name_in_logs(record)
    if kind in LABEL_EVENTS:
        pending.append((metrics.LABELS.labels(LABEL_EVENTS[kind]).inc, ()))
    elif kind == ORDER_CREATED and record is not None and record.source_modified_at is not None:
        pending.append((metrics.PACKED_TO_ORDER.observe, (_seconds_since(record.source_modified_at),)))


def _record_of(session: Session, sale_order_pk: int | None) -> SaleOrder | None:
    if sale_order_pk is None:
        return None
    return session.identity_map.get(Session.identity_key(SaleOrder, sale_order_pk))


def _queued(kind: str, record: SaleOrder | None) -> None:
    """An event queued to be written later (a reprint) is counted now, as it is served."""
    _name_in_logs(record)
    if kind in LABEL_EVENTS:
        metrics.LABELS.labels(LABEL_EVENTS[kind]).inc()


def _name_in_logs(record: SaleOrder | None) -> None:
    """The lines logged after an order's event carry its sale order and Starshipit order."""
    if record is not None:
        logs.set_context(
            sale_order=record.customer_reference or record.numeric_id or record.sale_order_id,
            starshipit_order=record.starshipit_order_number,
        )


def _after_commit(session: Session) -> None:
    for count, arguments in session.info.pop(_PENDING, []):
        count(*arguments)


def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


def _seconds_since(start: datetime, end: datetime | None = None) -> float:
    return max(0.0, ((end or utcnow()) - start).total_seconds())


def init_app(app) -> None:
    """Each request's log context (X-Request-Id in and out, the sale order it names), the app's
    secrets taught to the log filter, and the commit counting."""
    from flask import request

    logs.remember_secrets(app.config)
    count_commits()

    @app.before_request
    def _log_context() -> None:
        try:
            body = request.get_json(silent=True, cache=True) if has_json_body() else None
        except RecursionError:  # nested past the parser's limit: the body check answers 400 for it
            body = None
        if isinstance(body, dict) and isinstance(body.get("sale_order"), dict):
            named = body["sale_order"]
        else:  # no query string (a health check, a reprint's POST): no arguments to parse
            named = request.args if request.environ.get("QUERY_STRING") else {}
        # ``in`` before reading: a miss in request.args raises an HTTP exception, costly to build.
        sale_order = next((named[key] for key in _SALE_ORDER_KEYS if key in named and named[key]), None)
        logs.start_context(
            request_id=logs.request_id(request_header("X-Request-Id")),
            sale_order=sale_order if isinstance(sale_order, (str, int)) else None,
        )

    @app.after_request
    def _request_id_header(response):
        response.headers["X-Request-Id"] = logs.current("request_id") or ""  # no view sets it
        return response


def count_commits() -> None:
    """Count what every session commits (once per process)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", lambda session, _transaction: _after_rollback(session))
    events.when_queued(_queued)
    events.when_recorded(_events_inserted)


class DatabaseCollector(Collector):
    """Queue depths, ages and poller lag, read from the database at each scrape."""

    def __init__(self, sessions) -> None:
        self._sessions = sessions

    def collect(self) -> Iterator[GaugeMetricFamily]:
        now = utcnow()
        with self._sessions() as session:
            outbox = GaugeMetricFamily(
                "labelbridge_outbox_jobs", "Writeback jobs not done, by state.", labels=["state"]
            )
            counts = dict(
                session.execute(
                    select(OutboxJob.state, func.count())
                    .where(OutboxJob.state.in_(OPEN_JOB_STATES))
                    .group_by(OutboxJob.state)
                ).all()
            )
            for state in OPEN_JOB_STATES:
                outbox.add_metric([state], counts.get(state, 0))
            yield outbox
            oldest = session.scalar(
                select(func.min(OutboxJob.created_at)).where(OutboxJob.state.in_(("queued", "running")))
            )
            yield GaugeMetricFamily(
                "labelbridge_outbox_oldest_age_seconds",
                "Age of the oldest writeback job waiting (0 when none).",
                value=_seconds_since(oldest, now) if oldest else 0,
            )
            depth = GaugeMetricFamily(
                "labelbridge_inbox_events", "Webhook and poll events not processed yet.", labels=["source", "state"]
            )
            for source, states in sorted(inbox.depth(session).items()):
                for state, count in sorted(states.items()):
                    depth.add_metric([source, state], count)
            yield depth
            lag = GaugeMetricFamily(
                "labelbridge_poller_lag_seconds", "How far behind now each poller's cursor is.", labels=["poller"]
            )
            for cursor in session.scalars(select(SyncCursor).order_by(SyncCursor.name)):
                seen_up_to = cursor.position or cursor.last_finished_at
                if seen_up_to is not None:
                    lag.add_metric([cursor.name], _seconds_since(seen_up_to, now))
            yield lag
            session.rollback()


def exposition(sessions) -> bytes:
    """The scrape: this process's (or, under PROMETHEUS_MULTIPROC_DIR, every process's) counters,
    then the database's gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        processes = CollectorRegistry()
        multiprocess.MultiProcessCollector(processes)
    else:
        processes = REGISTRY
    database = CollectorRegistry()
    database.register(DatabaseCollector(sessions))
    return generate_latest(processes) + generate_latest(database)
