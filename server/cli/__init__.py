"""The ``labelbridge`` command: one module per command group, each calling the core."""

from __future__ import annotations

import os

import click

from .accounts import accounts_group
from .db import db
from .doctor import doctor
from .events import events
from .keys import keys_group
from .labels import labels_group
from .manifest import manifest
from .outbox import outbox_group
from .printers import printers_group
from .schemas import schemas
from .servers import demo, sandbox, serve
from .settings import settings_group
from .token import token
from .workers import sync, worker

__all__ = ["main"]


@click.group()
def main() -> None:
    """labelbridge: one-click Starshipit labels from CartonCloud."""
    from .. import logs

    logs.configure(os.environ.get("LABELBRIDGE_LOG_FORMAT", "text"))


for command in (
    db,
    schemas,
    token,
    doctor,
    outbox_group,
    worker,
    sync,
    serve,
    sandbox,
    demo,
    settings_group,
    accounts_group,
    keys_group,
    events,
    printers_group,
    labels_group,
    manifest,
):
    main.add_command(command)
