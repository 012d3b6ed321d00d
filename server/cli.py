"""The ``labelbridge`` command."""
from __future__ import annotations

import logging
import signal
import threading
from contextlib import contextmanager

import click

from . import create_app, outbox, tokens
from .config import ConfigError
from .db import get_database
from .models import utcnow


def _app():
    try:
        return create_app()
    except ConfigError as error:
        raise click.ClickException(str(error)) from None


@contextmanager
def _session():
    """A session on the configured database, disposed of afterwards."""
    database = get_database(_app())
    try:
        with database.sessions() as session:
            yield session
    finally:
        database.dispose()


@click.group()
def main() -> None:
    """labelbridge: one-click Starshipit labels from CartonCloud."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


@main.group()
def db() -> None:
    """The database schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the schema to the latest version."""
    database = get_database(_app())
    try:
        database.upgrade()
    finally:
        database.dispose()
    click.echo(f"database at {database.engine.url.render_as_string(hide_password=True)} is up to date", err=True)


@main.group()
def token() -> None:
    """API tokens for extension installs."""


@token.command("create")
@click.argument("name")
def token_create(name: str) -> None:
    """Create a token; prints only the token (shown once, stored as a hash)."""
    with _session() as session:
        try:
            click.echo(tokens.create_token(session, name))
        except tokens.TokenError as error:
            raise click.ClickException(str(error)) from None


@token.command("list")
def token_list() -> None:
    """Names, creation and last use of every token."""
    with _session() as session:
        for item in tokens.list_tokens(session):
            state = f"revoked {item.revoked_at:%Y-%m-%d %H:%M}" if item.revoked_at else "active"
            used = f"{item.last_used_at:%Y-%m-%d %H:%M}" if item.last_used_at else "never"
            click.echo(f"{item.name}\t{state}\tcreated {item.created_at:%Y-%m-%d %H:%M}\tlast used {used}")


@token.command("revoke")
@click.argument("name")
def token_revoke(name: str) -> None:
    """Revoke a token by name; it stops working at once."""
    with _session() as session:
        try:
            tokens.revoke_token(session, name)
        except tokens.TokenError as error:
            raise click.ClickException(str(error)) from None
    click.echo(f"revoked {name}", err=True)


@main.group("outbox")
def outbox_group() -> None:
    """Tracking writeback jobs."""


@outbox_group.command("list")
@click.option("--state", type=click.Choice(["queued", "running", "done", "failed"]))
def outbox_list(state: str | None) -> None:
    """Jobs with their state, attempts and last error."""
    with _session() as session:
        for job in outbox.jobs(session, state):
            click.echo(f"{job.id}\t{job.state}\tattempts {job.attempts}\t{job.mode}\t{job.last_error or ''}")


@outbox_group.command("retry")
@click.option("--job", "job_id", type=int, help="Only this job (default: every failed job).")
def outbox_retry(job_id: int | None) -> None:
    """Put failed jobs back in the queue."""
    with _session() as session:
        count = outbox.retry_failed(session, utcnow(), job_id)
    click.echo(f"{count} job(s) queued again", err=True)


@main.command()
@click.option("--once", is_flag=True, help="Deliver the jobs due now, then exit.")
def worker(once: bool) -> None:
    """Deliver tracking writebacks to CartonCloud."""
    from .upstreams import get_upstreams
    from .worker import Worker

    app = _app()
    database = get_database(app)
    runner = Worker(
        database.sessions,
        get_upstreams(app).cartoncloud,
        poll_seconds=app.config["WORKER_POLL_SECONDS"],
        claim_seconds=app.config["WORKER_CLAIM_SECONDS"],
    )
    try:
        if once:
            click.echo(f"{runner.run_once()} job(s) attempted", err=True)
        else:
            runner.run_forever(_stop_on_signal())
    finally:
        database.dispose()


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@click.option("--workers", default=2, show_default=True)
def serve(host: str, port: int, workers: int) -> None:
    """Serve the API with gunicorn."""
    from .serve import run_gunicorn

    _app()  # fail fast on bad settings before forking
    run_gunicorn(host, port, workers)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8765, show_default=True)
def sandbox(host: str, port: int) -> None:
    """Serve the Starshipit and CartonCloud simulators and the look-alike pages."""
    from .sandbox.server import SandboxServer

    with SandboxServer(host=host, port=port) as server:
        click.echo(f"sandbox: {server.url}")
        _wait_for_interrupt()


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, help="Backend port.")
@click.option("--sandbox-port", default=8765, show_default=True)
@click.option("--data-dir", type=click.Path(file_okay=False), help="Keep the demo database here.")
def demo(host: str, port: int, sandbox_port: int, data_dir: str | None) -> None:
    """Everything on one machine with no accounts; runs until Ctrl-C."""
    from .demo import EXTENSION_DIR, DemoStack
    from .sandbox.credentials import TENANT_SLUG

    with DemoStack(host, port, sandbox_port, data_dir) as stack:
        showcase = stack.sandbox.state.sale_orders()[0]["references"]["numericId"]
        click.echo(f"backend: {stack.backend_url}")
        click.echo(f"sandbox: {stack.sandbox.url}")
        click.echo(f"token: {stack.token}")
        click.echo(f"sale order page: {stack.sandbox.url}/app/{TENANT_SLUG}/SaleOrders/view/{showcase}")
        click.echo(
            f"extension: open chrome://extensions, switch on Developer mode, 'Load unpacked' {EXTENSION_DIR}, "
            "then in its popup set the backend URL and token above."
        )
        _wait_for_interrupt()


def _stop_on_signal() -> threading.Event:
    """An event set by Ctrl-C or SIGTERM."""
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    return stop


def _wait_for_interrupt() -> None:
    _stop_on_signal().wait()
