"""The database: one engine and session factory per app, SQLite by default, any SQLAlchemy URL."""

from __future__ import annotations

import os
import time
from collections import namedtuple
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, g
from sqlalchemy import Connection, Dialect, Engine, Executable, Row, Select, create_engine, event, exc, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.dml import UpdateBase

from . import event_queue
from .files import make_private_folder

MIGRATIONS = Path(__file__).parent / "migrations"
READ_ONLY = "labelbridge_read_only"  # a connection option: its transaction only reads
ONE_STATEMENT = "labelbridge_one_statement"  # a connection option: it reads with one statement, no BEGIN
# A PostgreSQL connection that sat in the pool longer than this is pinged before its next use.
PING_AFTER_IDLE_SECONDS = 2.0
_RETURNED_AT = "labelbridge_returned_at"


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    def upgrade(self, revision: str = "head") -> None:
        """Bring the schema to ``revision`` with the Alembic migrations."""
        from alembic import command  # here, not at the top: a serving process never loads Alembic
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)

    def dispose(self) -> None:
        event_queue.flush(self.engine)  # the audit rows waiting for this database are written first
        self.engine.dispose()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    else:
        engine = create_engine(url, pool_size=10, max_overflow=20)
        event.listen(engine, "checkin", _note_return)
        event.listen(engine, "checkout", _pinging_when_idle(engine.dialect))
    event.listen(engine, "before_execute", _refuse_writes_in_a_read)
    return engine


def _note_return(_dbapi_connection, record) -> None:
    record.info[_RETURNED_AT] = time.monotonic()


def _pinging_when_idle(dialect: Dialect):
    """SQLAlchemy's pessimistic ping (``pool_pre_ping``, the dialect's own ``do_ping``, which
    leaves no transaction open), for a connection that sat in the pool for more than
    PING_AFTER_IDLE_SECONDS only. A request takes a connection from the pool and gives it back
    several times in a few milliseconds (a first print, nine times), and a ping at each was a
    round trip to the server each time: a seventh of a lookup on PostgreSQL. A connection that
    fails the ping is replaced: the pool tries again with a new one. One that the server dropped
    within the idle time fails its first statement instead: that request answers a retryable 503
    and SQLAlchemy replaces every connection of the pool (``server/errors.py``)."""

    def ping_when_idle(dbapi_connection, record, _proxy) -> None:
        returned_at = record.info.get(_RETURNED_AT)
        if returned_at is None or time.monotonic() - returned_at <= PING_AFTER_IDLE_SECONDS:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as error:  # the driver's own error: this connection is unusable
            raise exc.DisconnectionError(str(error)) from error

    return ping_when_idle


def read_only(session: Session) -> Session:
    """Make the session's next transaction a read: on SQLite a plain (deferred) BEGIN, which takes
    no write lock, so reads never queue behind each other or behind a write (WAL); on PostgreSQL
    no transaction at all (autocommit: no BEGIN and COMMIT round trips; each statement sees what
    was committed when it began, as in the READ COMMITTED transaction it replaces). Nothing may be
    written in it (refused before it is sent: ``_refuse_writes_in_a_read``). Call it with no
    transaction open; the next begins as usual."""
    session.connection(execution_options=_read_options(session.get_bind()))
    return session


def read_row(session: Session, statement: Executable, values: Mapping[str, Any]) -> Row | None:
    """The first row of a Core ``statement``, read as ``read_only`` reads but on a connection of
    the session's engine, outside the session: no ORM objects and no session transaction to set
    up and end (the ORM's share of a lookup). It sees what is committed, not what the session
    holds uncommitted; with none open, that is the same. On SQLite it sends no BEGIN: one
    statement is a transaction of its own there, so it reads one state of the database."""
    engine = session.get_bind()
    with engine.connect() as connection:
        connection.execution_options(**_read_options(engine), **{ONE_STATEMENT: True})
        return connection.execute(statement, values).first()


@dataclass(frozen=True)
class _DriverStatement:
    """A SELECT as its engine's driver takes it: the SQL, how to lay out its values, and how to
    turn each column the driver returns into what SQLAlchemy would have made of it."""

    sql: str
    positions: tuple[str, ...] | None  # the values' order for a positional paramstyle (SQLite's "?")
    constants: Mapping[str, Any]  # values the statement carries itself (a LIMIT)
    bind_processors: Mapping[str, Callable[[Any], Any]]
    result_processors: tuple[Callable[[Any], Any] | None, ...]
    row: type  # a named tuple of the selected columns' names

    @classmethod
    def compile(cls, statement: Select, dialect: Dialect) -> _DriverStatement:
        compiled = statement.compile(dialect=dialect)
        binds = {name: bind.type.dialect_impl(dialect).bind_processor(dialect) for name, bind in compiled.binds.items()}
        columns = statement.selected_columns
        return cls(
            sql=compiled.string,
            positions=tuple(compiled.positiontup) if compiled.positional else None,
            constants={name: bind.effective_value for name, bind in compiled.binds.items() if not bind.required},
            bind_processors={name: processor for name, processor in binds.items() if processor is not None},
            result_processors=tuple(
                column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns
            ),
            row=namedtuple("Read", columns.keys()),
        )

    def parameters(self, values: Mapping[str, Any]) -> Any:
        given = {**self.constants, **values}
        for name, processor in self.bind_processors.items():
            given[name] = processor(given[name])
        return given if self.positions is None else [given[name] for name in self.positions]

    def row_of(self, values: tuple) -> tuple:
        return self.row._make(
            value if processor is None or value is None else processor(value)
            for processor, value in zip(self.result_processors, values, strict=True)
        )


class DriverRead:
    """A hot read (every lookup and reprint): a Core SELECT compiled once per engine and sent by
    the pooled driver connection itself, its row converted by SQLAlchemy's own type processors.
    It reads as ``read_row`` does (committed data, no write lock; no BEGIN on SQLite, autocommit
    on PostgreSQL) without SQLAlchemy's execution context, result object and connection events
    around the statement: measured alone on an empty table, 65 µs through ``read_row`` against 7
    µs on SQLite, 311 against 166 µs on PostgreSQL; a lookup's CPU 0.64 → 0.49 ms on SQLite
    (tests/benchmarks/profile_requests.py). When the driver fails, the connection is dropped and
    the read is made once more by ``read_row``, whose errors are SQLAlchemy's (a database that is
    down answers 503 as anywhere else)."""

    def __init__(self, statement: Select) -> None:
        self.statement = statement
        self._compiled: dict[tuple[type, str], _DriverStatement] = {}  # by dialect and paramstyle

    def first(self, session: Session, values: Mapping[str, Any]) -> tuple | None:
        """The first row (a named tuple of the selected columns), or None."""
        engine = session.get_bind()
        key = (type(engine.dialect), engine.dialect.paramstyle)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = _DriverStatement.compile(self.statement, engine.dialect)
        connection = engine.raw_connection()
        try:
            found = _fetch_one(connection, compiled, values, autocommit=_reads_in_autocommit(engine))
        except engine.dialect.loaded_dbapi.Error:
            connection.invalidate()
            return read_row(session, self.statement, values)
        finally:
            connection.close()  # back to the pool (closing an invalidated one discards it)
        return None if found is None else compiled.row_of(found)


def _fetch_one(connection: Any, compiled: _DriverStatement, values: Mapping[str, Any], *, autocommit: bool) -> Any:
    """The statement's first row as the driver gives it. In autocommit (PostgreSQL) when asked,
    and never back to the pool in it, whatever fails: the pool's next user expects a transaction."""
    if autocommit:
        connection.driver_connection.autocommit = True
    try:
        cursor = connection.cursor()
        try:
            cursor.execute(compiled.sql, compiled.parameters(values))
            return cursor.fetchone()
        finally:
            cursor.close()
    finally:
        if autocommit:
            connection.driver_connection.autocommit = False


def refresh_statistics(session: Session, *models: type) -> None:
    """PostgreSQL: bring the planner's statistics of the models' tables up to date (ANALYZE), as
    after any bulk load, and commit. A table that grew from empty keeps the plans made for it
    while it was empty (each pooled connection caches them): whole-table scans that slow every
    read of it, until autovacuum analyzes it, within a minute or so. SQLite plans without
    statistics: nothing to do."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("ANALYZE " + ", ".join(model.__tablename__ for model in models)))
        session.commit()


def _read_options(engine: Engine) -> dict[str, Any]:
    options: dict[str, Any] = {READ_ONLY: True}
    if _reads_in_autocommit(engine):
        options["isolation_level"] = "AUTOCOMMIT"
    return options


def _reads_in_autocommit(engine: Engine) -> bool:
    """A read on PostgreSQL opens no transaction (``read_only``): no BEGIN and COMMIT round trips."""
    return engine.dialect.name == "postgresql"


def _sqlite_begin(connection: Connection) -> None:
    """BEGIN IMMEDIATE for a transaction that may write: it takes SQLite's write lock up front, so
    two that read and then write wait for each other (busy_timeout) instead of failing with
    "database is locked"; such transactions are kept short, never open across an upstream call.
    A read (``read_only``) begins deferred and never takes the lock; a read of one statement
    (``read_row``) sends no BEGIN at all (the driver's rollback at its end is then a no-op).
    The BEGIN goes to the driver itself: through SQLAlchemy's execution it cost 50 µs, a tenth of
    a small write transaction. A failure to begin is SQLAlchemy's error, as a statement's is (a
    lock not granted within busy_timeout is an OperationalError: the API answers 503)."""
    options = connection.get_execution_options()
    if options.get(ONE_STATEMENT):
        return
    statement = "BEGIN" if options.get(READ_ONLY) else "BEGIN IMMEDIATE"
    driver_error = connection.dialect.loaded_dbapi.Error
    try:
        connection.connection.driver_connection.execute(statement)
    except driver_error as error:
        raise exc.DBAPIError.instance(statement, (), error, driver_error, dialect=connection.dialect) from error


def _refuse_writes_in_a_read(connection: Connection, statement: Any, *_arguments: Any) -> None:
    """A read (``read_only``) writes nothing: an INSERT, UPDATE or DELETE on its connection is
    refused before it is sent, whether the ORM's flush or a Core statement made it (on PostgreSQL
    the read is in autocommit, where a write would commit at once, alone)."""
    if isinstance(statement, UpdateBase) and connection.get_execution_options().get(READ_ONLY):
        raise RuntimeError("a write in a read-only transaction (server.db.read_only)")


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # autocommit at the driver; SQLAlchemy sends BEGIN
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    # In WAL mode NORMAL survives any crash of labelbridge itself; a power cut may lose the last
    # commits, which the next click recovers (the Starshipit order is found by its number).
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def default_url(app: Flask) -> str:
    """SQLite in the instance folder; the folder (0700) and the file (0600) are the owner's only."""
    folder = Path(app.instance_path)
    make_private_folder(folder)
    path = folder / "labelbridge.sqlite3"
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))  # before SQLite makes it with the umask's mode
    return f"sqlite:///{path}"


def init_app(app: Flask) -> Database:
    database = Database(app.config["DATABASE_URL"] or default_url(app))
    app.extensions["labelbridge.db"] = database
    app.teardown_appcontext(_close_session)
    return database


def get_database(app: Flask) -> Database:
    return app.extensions["labelbridge.db"]


def get_session() -> Session:
    """The request's session, opened on first use and closed when the request ends."""
    if "db_session" not in g:
        from flask import current_app

        g.db_session = get_database(current_app).sessions()
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
