"""``labelbridge settings``: the run-time settings (the same as GET/PUT /api/v1/settings)."""

from __future__ import annotations

import json

import click

from .. import settings
from .context import database_session, load_app


@click.group("settings")
def settings_group() -> None:
    """Run-time settings (the same as GET/PUT /api/v1/settings)."""


@settings_group.command("show")
def settings_show() -> None:
    """Every run-time setting and its value, as JSON."""
    app = load_app()
    with database_session(app) as session:
        click.echo(json.dumps(settings.current(session, app.config), indent=2, sort_keys=True))


@settings_group.command("set")
@click.argument("name")
@click.argument("value")
def settings_set(name: str, value: str) -> None:
    """Set NAME to VALUE (JSON where it parses: true, 2.5, ["PACKED"], {"Express": "EXP"})."""
    from marshmallow import ValidationError

    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = value
    app = load_app()
    with database_session(app) as session:
        try:
            updated = settings.update(session, app.config, {name: parsed}, "command line")
        except ValidationError as error:
            raise click.ClickException(f"{name}: {json.dumps(error.messages.get(name, error.messages))}") from None
    click.echo(json.dumps({name: updated[name]}))
