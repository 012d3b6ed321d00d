"""Checks made once as an app starts: an unsafe or ignored setting is warned about, and stored
secrets no configured key decrypts (which would fail request after request) refuse the start with
a message that says what to do. And, once a long-running process has started, what start-up made
is kept out of the garbage collector's way (``settle``)."""

from __future__ import annotations

import gc
import logging

from flask import Flask
from sqlalchemy import inspect
from sqlalchemy.exc import InterfaceError, OperationalError

from . import settings
from .accounts import unreadable_secrets
from .config import ConfigError
from .crypto import get_box, key_source
from .db import get_database

log = logging.getLogger(__name__)


def check(app: Flask) -> None:
    """Raises ConfigError when the stored state cannot work with this configuration."""
    if app.config["STARSHIPIT_WEBHOOK_INSECURE"]:
        log.warning(
            "LABELBRIDGE_STARSHIPIT_WEBHOOK_INSECURE=true: unsigned Starshipit tracking webhooks are "
            "accepted; set LABELBRIDGE_STARSHIPIT_WEBHOOK_SECRET instead outside a test setup"
        )
    database = get_database(app)
    try:
        if not inspect(database.engine).has_table("settings"):
            return  # a new database: `labelbridge db upgrade` has not run yet, nothing is stored
        with database.sessions() as session:
            unreadable = unreadable_secrets(session, get_box(app))
            out_of_bounds = settings.out_of_bounds(session)
            session.rollback()
    except (OperationalError, InterfaceError) as error:  # starting while the database restarts
        log.warning(
            "the database cannot be reached at start-up (%s): stored secrets and settings are checked "
            "when first used instead",
            str(error).splitlines()[0],
        )
        return
    if unreadable:
        database.dispose()  # this app will not serve: its connections go now, not whenever it is collected
        raise ConfigError(
            f"The database holds secrets ({', '.join(unreadable)}) that no configured key decrypts. The keys "
            f"came from {key_source(app)}: restore the key file these secrets were encrypted with, or set "
            "LABELBRIDGE_SECRET_KEYS to that key (newest first, comma-separated). labelbridge will not start "
            "and make a new key over them."
        )
    for name, messages in out_of_bounds.items():
        log.warning(
            "the stored setting %s is ignored, the start-up value serves: %s; fix it with "
            "`labelbridge settings set %s VALUE`",
            name,
            messages,
            name,
        )


def settle() -> None:
    """Keep what start-up made (the modules, the app, its mappers, schemas and routes, which live
    as long as the process) out of the garbage collector's full collections (``gc.freeze``).
    A server or worker otherwise walks all of it again in each one: a pass of the automatic
    transfer paused for 150 to 250 ms several times in 10,000 orders, each pause imports not
    sent at the rate limit (tests/benchmarks/bench_transfer.py)."""
    gc.freeze()
