"""``labelbridge serve``, ``sandbox`` and ``demo``: the servers that run until stopped."""

from __future__ import annotations

import click

from .context import load_app, wait_for_interrupt


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@click.option("--workers", default=2, show_default=True, help="Processes.")
@click.option("--threads", default=4, show_default=True, help="Requests each process serves at once.")
@click.option(
    "--worker-connections",
    default=1000,
    show_default=True,
    help="Client connections each process keeps open at most. Kept-alive connections stay with the "
    "process that accepted them: with a bound near (clients / workers), a burst of new ones is "
    "shared among the processes instead of taken by the first to wake.",
)
def serve(host: str, port: int, workers: int, threads: int, worker_connections: int) -> None:
    """Serve the API with gunicorn."""
    from ..serve import prepare_metrics_folder, run_gunicorn

    prepare_metrics_folder()  # before anything imports prometheus_client: it picks its mode then
    load_app()  # fail fast on bad settings before forking
    run_gunicorn(host, port, workers, threads, worker_connections)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8765, show_default=True)
def sandbox(host: str, port: int) -> None:
    """Serve the Starshipit and CartonCloud simulators and the look-alike pages."""
    from ..sandbox.server import SandboxServer

    with SandboxServer(host=host, port=port) as server:
        click.echo(f"sandbox: {server.url}")
        wait_for_interrupt()


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, help="Backend port.")
@click.option("--sandbox-port", default=8765, show_default=True)
@click.option("--data-dir", type=click.Path(file_okay=False), help="Keep the demo database here.")
def demo(host: str, port: int, sandbox_port: int, data_dir: str | None) -> None:
    """Everything on one machine with no accounts; runs until Ctrl-C."""
    from ..demo import EXTENSION_DIR, DemoStack
    from ..sandbox.credentials import TENANT_SLUG

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
        wait_for_interrupt()
