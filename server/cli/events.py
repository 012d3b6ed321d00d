"""``labelbridge events``: the audit log."""

from __future__ import annotations

import json

import click

from .context import database_session, failures_as_messages


@click.command()
@click.option("--sale-order", help="UUID, numericId or customer reference.")
@click.option("--kind", help="Only events of this kind (print, reprint, redo, written_back, …).")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(min=1))
def events(sale_order: str | None, kind: str | None, limit: int) -> None:
    """The audit log, oldest first."""
    from ..audit_log import read_events

    with database_session() as session, failures_as_messages():
        body = read_events(session, sale_order=sale_order, kind=kind, limit=limit)
    for event in body["events"]:
        order = event["sale_order"]["numeric_id"] if event["sale_order"] else "-"
        click.echo(f"{event['at']}\t{event['kind']}\t{event['actor'] or '-'}\t{order}\t{json.dumps(event['detail'])}")
