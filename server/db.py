"""The database: one engine and session factory per app, SQLite by default, any SQLAlchemy URL."""
from __future__ import annotations

import logging
import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from flask import Flask, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from .crypto import make_private_folder
from .errors import ApiError, error_response

MIGRATIONS = Path(__file__).parent / "migrations"
log = logging.getLogger(__name__)


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    def upgrade(self, revision: str = "head") -> None:
        """Bring the schema to ``revision`` with the Alembic migrations."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)

    def dispose(self) -> None:
        self.engine.dispose()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        # BEGIN IMMEDIATE: a transaction takes SQLite's write lock up front, so two that read and
        # then write wait for each other (busy_timeout) instead of failing with "database is
        # locked". Transactions are therefore kept short: never open across an upstream call.
        event.listen(engine, "begin", lambda connection: connection.exec_driver_sql("BEGIN IMMEDIATE"))
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


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
    app.register_error_handler(OperationalError, _database_unavailable)
    app.register_error_handler(InterfaceError, _database_unavailable)
    return database


def _database_unavailable(error: Exception):
    """The database dropped the connection (a restart, a failover) or is locked: the request is
    answered with a retryable 503; the pool checks connections before use (pool_pre_ping), so the
    next request gets a fresh one. What was committed before stays; a print continues from it."""
    log.warning("database unavailable: %s", str(error).splitlines()[0])
    return error_response(ApiError(
        503, "database_unavailable",
        "labelbridge lost its connection to its database for a moment; try again in a few seconds.",
        retry_after=2,
    ))  # fmt: skip


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
