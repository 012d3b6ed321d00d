"""``labelbridge doctor``: is this installation working, in words, one line per check. Each check
answers whether it passed and why; the command exits 1 when any did not."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import func, select, text

from . import connection_check, crypto
from .clients import get_upstreams
from .db import MIGRATIONS, get_database
from .models import (
    IdempotencyKey,
    InboxEvent,
    Label,
    OrderEvent,
    OutboxJob,
    SaleOrder,
    StarshipitCreate,
    SyncCursor,
    utcnow,
)

# A poller that has not finished a run in this many of its intervals is lagging.
LAG_INTERVALS = 3
POLLERS = {"cartoncloud": "CARTONCLOUD_POLL_SECONDS", "starshipit": "STARSHIPIT_POLL_SECONDS"}
# The tables every lookup, print and claim reads by index; one with at least STALE_ROWS rows whose
# statistics are missing, or older than as many changes as it has rows, is planned wrong.
PLANNED_TABLES = tuple(
    model.__tablename__
    for model in (SaleOrder, Label, OutboxJob, OrderEvent, InboxEvent, StarshipitCreate, IdempotencyKey)
)
STALE_ROWS = 1000
_STALE_TABLES = text("""
    SELECT relname, n_live_tup FROM pg_stat_user_tables
    WHERE relname = ANY(:tables) AND n_live_tup >= :rows
      AND ((last_analyze IS NULL AND last_autoanalyze IS NULL) OR n_mod_since_analyze >= n_live_tup)
    ORDER BY relname
""")


@dataclass(frozen=True)
class Finding:
    name: str
    ok: bool
    message: str


def schema(app: Flask) -> Finding:
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    database = get_database(app)
    with database.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    where = database.engine.url.render_as_string(hide_password=True)
    if current == head:
        return Finding("database", True, f"{where} is reachable; its schema is at the latest version ({head}).")
    if current is None:
        return Finding("database", False, f"{where} has no labelbridge schema: run `labelbridge db upgrade`.")
    return Finding(
        "database",
        False,
        f"{where} is at schema version {current}, this labelbridge needs {head}: run `labelbridge db upgrade`.",
    )


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def key_file(app: Flask) -> Finding:
    if app.config.get("SECRET_KEYS"):
        return Finding("keys", True, "The encryption keys come from LABELBRIDGE_SECRET_KEYS.")
    path = crypto.key_file(app)
    if not path.exists():
        return Finding(
            "keys",
            False,
            f"There is no key file at {path}: set LABELBRIDGE_SECRET_KEYS or start labelbridge once to create it.",
        )
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        return Finding(
            "keys", False, f"The key file {path} can be read by others (mode {mode:04o}): run `chmod 600 {path}`."
        )
    if not os.access(path, os.R_OK):
        return Finding("keys", False, f"The key file {path} cannot be read by this user.")
    return Finding("keys", True, f"The key file {path} is readable by its owner only (mode {mode:04o}).")


def upstreams(app: Flask) -> Iterator[Finding]:
    with app.app_context():
        result = connection_check.run(get_upstreams(app))
    for check in result["checks"]:
        yield Finding(check["name"], check["ok"], check["message"])


def pollers(app: Flask) -> Iterator[Finding]:
    now = utcnow()
    with get_database(app).sessions() as session:
        cursors = list(session.scalars(select(SyncCursor).order_by(SyncCursor.name)))
    for prefix, setting in POLLERS.items():
        interval = float(app.config[setting])
        if not interval:
            yield Finding(f"{prefix} poller", True, "Switched off (webhooks only).")
            continue
        mine = [cursor for cursor in cursors if cursor.name.startswith(f"{prefix}.")]
        if not mine:
            yield Finding(f"{prefix} poller", False, "Has never run: is `labelbridge worker` running?")
        for cursor in mine:
            yield _poller(cursor, interval, now)


def _poller(cursor: SyncCursor, interval: float, now) -> Finding:
    name = f"poller {cursor.name}"
    if cursor.last_finished_at is None:
        return Finding(name, False, "Has never finished a run: is `labelbridge worker` running?")
    late = now - cursor.last_finished_at
    if late > timedelta(seconds=interval * LAG_INTERVALS):
        return Finding(
            name,
            False,
            f"Last finished a run {_ago(late)} ago (it runs every {interval:.0f} s): is `labelbridge worker` running?",
        )
    if cursor.consecutive_failures:
        return Finding(name, False, f"Its last {cursor.consecutive_failures} run(s) failed: {cursor.last_error}")
    return Finding(name, True, f"Last finished a run {_ago(late)} ago.")


def outbox(app: Flask) -> Finding:
    with get_database(app).sessions() as session:
        failed = session.scalar(select(func.count()).where(OutboxJob.state == "failed"))
    if failed:
        return Finding(
            "writebacks",
            False,
            f"{failed} tracking writeback(s) failed: see `labelbridge outbox list "
            "--state failed`, then `labelbridge outbox retry`.",
        )
    return Finding("writebacks", True, "No failed tracking writebacks.")


def statistics(app: Flask) -> Finding:
    """PostgreSQL plans each read by its statistics of the tables, which autovacuum keeps up to
    date. A big table never analyzed (or changed far beyond what was) is planned as if it were
    small: a lookup read every order of the tenant instead of one (EXPLAIN, on a PostgreSQL run
    without autovacuum)."""
    engine = get_database(app).engine
    if engine.dialect.name != "postgresql":
        return Finding("statistics", True, "SQLite plans without statistics: nothing to keep up to date.")
    with engine.connect() as connection:
        autovacuum = connection.scalar(text("SELECT current_setting('autovacuum') = 'on'"))
        stale = connection.execute(_STALE_TABLES, {"tables": list(PLANNED_TABLES), "rows": STALE_ROWS}).all()
    if autovacuum:
        advice = "run ANALYZE, or let autovacuum reach them"
    else:
        advice = (
            "autovacuum is off: turn it on (autovacuum = on in postgresql.conf), or run ANALYZE after large changes"
        )
    if stale:
        tables = ", ".join(f"{name} ({rows:,} rows)" for name, rows in stale)
        return Finding(
            "statistics",
            False,
            f"PostgreSQL's statistics of {tables} are missing or far out of date, so its planner reads "
            f"them as if small and lookups slow down as they grow: {advice}.",
        )
    if not autovacuum:
        return Finding("statistics", True, f"The statistics are up to date, but {advice}.")
    return Finding("statistics", True, "PostgreSQL's statistics are up to date and autovacuum keeps them so.")


def _ago(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    return f"{seconds} s" if seconds < 120 else f"{seconds // 60} min"


CHECKS: tuple[Callable[[Flask], Finding | Iterator[Finding]], ...] = (
    schema,
    statistics,
    key_file,
    upstreams,
    pollers,
    outbox,
)


def examine(app: Flask) -> Iterator[Finding]:
    """Every check in turn; a check that cannot run at all is a failed check, in its words."""
    for check in CHECKS:
        try:
            result = check(app)
            yield from ([result] if isinstance(result, Finding) else result)
        except Exception as error:  # noqa: BLE001 - the doctor reports, it does not crash
            yield Finding(check.__name__, False, f"Could not be checked: {type(error).__name__}: {error}")
