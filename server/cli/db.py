"""``labelbridge db``: the database schema."""

from __future__ import annotations

import click

from ..db import get_database
from .context import load_app


@click.group()
def db() -> None:
    """The database schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the schema to the latest version."""
    database = get_database(load_app())
    try:
        database.upgrade()
    finally:
        database.dispose()
    click.echo(f"database at {database.engine.url.render_as_string(hide_password=True)} is up to date", err=True)
