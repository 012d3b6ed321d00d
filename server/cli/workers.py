"""``labelbridge worker`` (runs until stopped) and ``labelbridge sync --once`` (one pass, with a
progress bar): the automatic transfer and the tracking writeback."""

from __future__ import annotations

import click
from flask import Flask

from ..db import get_database
from ..startup import settle
from .context import load_app, stop_on_signal
from .progress import StageProgressBar


def _workers(app: Flask):
    """The writeback worker and the sync runner on the app's database and upstreams."""
    from ..clients import get_upstreams
    from ..sync.runner import SyncRunner
    from ..worker import Worker

    database, upstreams = get_database(app), get_upstreams(app)
    timing = {"poll_seconds": app.config["WORKER_POLL_SECONDS"], "claim_seconds": app.config["WORKER_CLAIM_SECONDS"]}
    retry_first_seconds = app.config["WORKER_RETRY_FIRST_SECONDS"]
    return Worker(database.sessions, upstreams.cartoncloud, retry_first_seconds, **timing), SyncRunner(
        database.sessions, upstreams, app.config, **timing
    )


@click.command()
@click.option("--once", is_flag=True, help="Do what is due now, then exit.")
def worker(once: bool) -> None:
    """Create orders reaching a trigger status in Starshipit, find tracking printed in Starshipit,
    and deliver tracking writebacks to CartonCloud."""
    from ..worker import run_together

    app = load_app()
    writeback, sync = _workers(app)
    settle()
    try:
        if once:
            summary = sync.run_once()
            click.echo(f"{writeback.run_once()} job(s) attempted; sync: {summary.describe()}", err=True)
        else:
            run_together(stop_on_signal(), [sync.run_forever, writeback.run_forever])
    finally:
        get_database(app).dispose()


@click.command()
@click.option(
    "--once", is_flag=True, required=True, help="One pass (required: `labelbridge worker` runs continuously)."
)
def sync(once: bool) -> None:
    """One pass of the automatic transfer and tracking writeback, every poller whether due or
    not, with a progress bar and a summary; exits 1 when something failed."""
    app = load_app()
    writeback, runner = _workers(app)
    settle()
    progress = StageProgressBar()
    try:
        summary = runner.run_once(force=True, progress=progress)
        progress.finish()
        writeback.run_once()
    finally:
        progress.finish()
        get_database(app).dispose()
    summary.written_back += writeback.delivered
    summary.failed += writeback.failed
    click.echo(summary.describe())
    for error in summary.errors:
        click.echo(f"  {error}", err=True)
    if summary.failed:
        raise SystemExit(1)
