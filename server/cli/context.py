"""What every command shares: the app from the settings, a session on its database, a core call
whose domain failure ends the command with its message, and waiting for Ctrl-C."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import click
from flask import Flask
from sqlalchemy.orm import Session

from .. import create_app
from ..config import ConfigError
from ..db import get_database
from ..failures import Failure

Result = TypeVar("Result")


def load_app() -> Flask:
    """The app from the LABELBRIDGE_* settings; a bad setting ends the command with its message."""
    try:
        return create_app()
    except ConfigError as error:
        raise click.ClickException(str(error)) from None


@contextmanager
def database_session(app: Flask | None = None) -> Iterator[Session]:
    """A session on the app's (default: the configured) database, disposed of afterwards."""
    database = get_database(app or load_app())
    try:
        with database.sessions() as session:
            yield session
    finally:
        database.dispose()


@contextmanager
def failures_as_messages(*also: type[Exception]) -> Iterator[None]:
    """A domain failure (or one of the ``also`` errors) raised inside ends the command with its
    plain-words message."""
    try:
        yield
    except Failure as failure:
        raise click.ClickException(failure.message) from None
    except also as error:
        raise click.ClickException(str(error)) from None


def committed(action: Callable[[Session, Flask], Result]) -> Result:
    """``action(session, app)`` on the configured database, committed; a failure ends the command."""
    app = load_app()
    with database_session(app) as session, failures_as_messages():
        result = action(session, app)
        session.commit()
        return result


def stop_on_signal() -> threading.Event:
    """An event set by Ctrl-C or SIGTERM."""
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    return stop


def wait_for_interrupt() -> None:
    stop_on_signal().wait()
