"""``labelbridge doctor``: check this installation."""

from __future__ import annotations

import click

from .. import create_app
from ..config import ConfigError
from ..db import get_database


@click.command()
def doctor() -> None:
    """Check this installation, one line per check: the configuration, the database schema, the
    key file, both upstreams and their credentials, the pollers and failed writebacks. Exits 1
    when any check fails."""
    from ..doctor import examine

    try:
        app = create_app()
    except ConfigError as error:
        click.echo(f"FAIL  configuration: {error}")
        raise SystemExit(1) from None
    click.echo("ok    configuration: every setting is valid.")
    failed = 0
    try:
        for finding in examine(app):
            failed += not finding.ok
            click.echo(f"{'ok  ' if finding.ok else 'FAIL'}  {finding.name}: {finding.message}")
    finally:
        get_database(app).dispose()
    if failed:
        click.echo(f"{failed} check(s) failed.", err=True)
        raise SystemExit(1)
