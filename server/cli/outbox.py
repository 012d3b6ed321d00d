"""``labelbridge outbox``: tracking writeback jobs."""

from __future__ import annotations

import click

from .. import outbox
from ..models import utcnow
from .context import database_session


@click.group("outbox")
def outbox_group() -> None:
    """Tracking writeback jobs."""


@outbox_group.command("list")
@click.option("--state", type=click.Choice(["queued", "running", "done", "failed"]))
def outbox_list(state: str | None) -> None:
    """Jobs with their state, attempts and last error."""
    with database_session() as session:
        for job in outbox.jobs(session, state):
            click.echo(f"{job.id}\t{job.state}\tattempts {job.attempts}\t{job.mode}\t{job.last_error or ''}")


@outbox_group.command("retry")
@click.option("--job", "job_id", type=int, help="Only this job (default: every failed job).")
def outbox_retry(job_id: int | None) -> None:
    """Put failed jobs back in the queue."""
    with database_session() as session:
        count = outbox.retry_failed(session, utcnow(), job_id)
    click.echo(f"{count} job(s) queued again", err=True)
