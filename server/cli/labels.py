"""``labelbridge labels void``: a label voided from the command line, through the order core."""

from __future__ import annotations

import click

from .context import database_session, failures_as_messages, load_app


@click.group("labels")
def labels_group() -> None:
    """Labels printed by labelbridge."""


@labels_group.command("void")
@click.argument("label_id")
@click.option("--reason", required=True, help="Why the label is voided (kept with it and in the order's history).")
@click.option("--actor", default="cli", show_default=True, help="Who voids it, as the history shows it.")
def labels_void(label_id: str, reason: str, actor: str) -> None:
    """Void LABEL_ID: its Starshipit order is deleted (unshipped) or archived (printed), the label
    is kept marked void, and the order's next print makes a new shipment."""
    from .. import settings
    from ..clients import get_upstreams
    from ..orders.void import Voider

    reason = reason.strip()
    if not 1 <= len(reason) <= 500:
        raise click.BadParameter("give a reason of 1 to 500 characters", param_hint="--reason")
    app = load_app()
    with database_session(app) as session, failures_as_messages():
        config = settings.runtime_config(session, app.config)
        outcome = Voider(session, get_upstreams(app), config, actor).void(label_id, reason)
    label = outcome.label
    state = "was already void" if outcome.already else f"is void ({label.void_action} in Starshipit)"
    click.echo(f"Label {label.id} of sale order {outcome.record.numeric_id} {state}; writeback {outcome.writeback}.")
    click.echo(outcome.explanation)
