"""``labelbridge manifest``: close the day from the command line, as the popup's Close the day."""

from __future__ import annotations

from pathlib import Path

import click

from ..clients import get_upstreams
from ..orders.manifests import DONE, ManifestService
from .context import database_session, failures_as_messages, load_app


@click.command("manifest")
@click.option("--yes", is_flag=True, help="Close the day without asking (the counts are still shown).")
@click.option(
    "--out",
    "directory",
    type=click.Path(file_okay=False, writable=True, path_type=Path),
    default=".",
    show_default=True,
    help="Where to write each carrier's manifest PDF.",
)
def manifest(yes: bool, directory: Path) -> None:
    """Manifest today's printed shipments, one manifest per carrier: shows how many each carrier
    has, asks, then writes the PDFs. Exits 1 when a carrier's manifest failed."""
    app = load_app()
    with database_session(app) as session, failures_as_messages():
        service = ManifestService(session, get_upstreams(app), app.config, "cli")
        counts = service.preview()
        if not counts:
            click.echo("Nothing to manifest: no shipment printed today is waiting for one.")
            return
        several_accounts = len({count.account for count in counts}) > 1
        for count in counts:
            account = f" (account {count.account})" if several_accounts else ""
            click.echo(f"{count.carrier}{account}: {count.orders} shipment(s)")
        if not yes:
            click.confirm("Hand these to the carriers now?", abort=True)
        made = service.close_day()
    directory.mkdir(parents=True, exist_ok=True)
    for result in made:
        number = result.manifest_number or f"unknown (labelbridge manifest {result.id})"
        if result.state == DONE and result.error is None:
            path = directory / f"manifest-{result.id}.pdf"
            path.write_bytes(result.pdf)
            click.echo(f"{result.carrier}: manifest {number}, {result.order_count} shipment(s), {path}")
        elif result.state == DONE:  # settled after a lost answer: made, its PDF never came
            click.echo(f"{result.carrier}: manifest {number}, {result.order_count} shipment(s): {result.error}")
        else:
            click.echo(f"{result.carrier}: {result.state}: {result.error}", err=True)
    if any(result.state != DONE for result in made):
        raise SystemExit(1)
