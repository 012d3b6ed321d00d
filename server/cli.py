"""The ``labelbridge`` command."""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import click

from . import create_app, outbox, tokens
from .config import ConfigError
from .db import get_database
from .failures import Failure
from .models import utcnow


def _app():
    try:
        return create_app()
    except ConfigError as error:
        raise click.ClickException(str(error)) from None


@contextmanager
def _session(app=None):
    """A session on the app's (default: the configured) database, disposed of afterwards."""
    database = get_database(app or _app())
    try:
        with database.sessions() as session:
            yield session
    finally:
        database.dispose()


@click.group()
def main() -> None:
    """labelbridge: one-click Starshipit labels from CartonCloud."""
    from . import logs

    logs.configure(os.environ.get("LABELBRIDGE_LOG_FORMAT", "text"))


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
def schemas() -> None:
    """The JSON Schemas shared with the extension (shared-schemas/)."""


@schemas.command("export")
@click.option(
    "--out",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default="shared-schemas",
    show_default=True,
    help="The shared-schemas folder of a checkout.",
)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when the folder differs from a fresh export.")
def schemas_export(directory: Path, check: bool) -> None:
    """Write one JSON Schema per body the extension and the backend exchange, with its valid and
    invalid examples, from the marshmallow schemas in server/api/."""
    from .openapi import export

    if check:
        wanted, present = export.render(), export.on_disk(directory)
        stale = sorted(path for path in wanted.keys() | present.keys() if wanted.get(path) != present.get(path))
        for path in stale:
            click.echo(f"differs: {path}", err=True)
        if stale:
            raise SystemExit(1)
        return
    changed = export.export(directory)
    click.echo(f"{len(changed)} file(s) written or removed in {directory}", err=True)


@main.group()
def token() -> None:
    """API tokens for extension installs."""


@token.command("create")
@click.argument("name")
@click.option("--role", type=click.Choice(tokens.ROLES), default="packer", show_default=True)
@click.option("--expires-in-days", type=click.IntRange(min=1), help="Default: no expiry.")
def token_create(name: str, role: str, expires_in_days: int | None) -> None:
    """Create a token; prints only the token (shown once, stored as a hash)."""
    expires_at = utcnow() + timedelta(days=expires_in_days) if expires_in_days else None
    with _session() as session:
        try:
            click.echo(tokens.create_token(session, name, role, expires_at))
        except tokens.TokenError as error:
            raise click.ClickException(str(error)) from None


@token.command("enroll")
@click.argument("name")
@click.option("--role", type=click.Choice(tokens.ROLES), default="packer", show_default=True)
@click.option("--expires-in-minutes", type=click.IntRange(min=1, max=1440), default=30, show_default=True)
def token_enroll(name: str, role: str, expires_in_minutes: int) -> None:
    """A one-time code for the bench NAME: typed into the extension's popup (or set as the managed
    enrollmentCode), it becomes that bench's token, which nobody sees. Prints the code and a link
    that opens the popup with it filled in (set LABELBRIDGE_PUBLIC_URL to put the backend's
    address in the link too)."""
    from . import enrollment
    from .access import allowed_origins

    app = _app()
    with _session(app) as session:
        try:
            made = enrollment.create_enrollment(session, name, role, timedelta(minutes=expires_in_minutes), "cli")
        except Failure as failure:
            raise click.ClickException(failure.message) from None
    click.echo(made.code)
    click.echo(enrollment.enrollment_link(allowed_origins(app.config)[0], made.code, app.config["PUBLIC_URL"]))
    click.echo(f"for {made.token_name} ({made.role}); works once, until {made.expires_at:%Y-%m-%d %H:%M} UTC", err=True)


@token.command("list")
def token_list() -> None:
    """Names, creation and last use of every token."""
    now = utcnow()
    with _session() as session:
        for item in tokens.list_tokens(session):
            if item.revoked_at:
                state = f"revoked {item.revoked_at:%Y-%m-%d %H:%M}"
            elif item.expires_at is not None and item.expires_at <= now:  # as ``tokens.authenticate`` refuses it
                state = f"expired {item.expires_at:%Y-%m-%d %H:%M}"
            else:
                state = "active"
            used = f"{item.last_used_at:%Y-%m-%d %H:%M}" if item.last_used_at else "never"
            expires = f"{item.expires_at:%Y-%m-%d %H:%M}" if item.expires_at else "never"
            click.echo(
                f"{item.name}\t{state}\t{item.role}\tcreated {item.created_at:%Y-%m-%d %H:%M}"
                f"\tlast used {used}\texpires {expires}"
            )


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


@main.command()
def doctor() -> None:
    """Check this installation, one line per check: the configuration, the database schema, the
    key file, both upstreams and their credentials, the pollers and failed writebacks. Exits 1
    when any check fails."""
    from .doctor import examine

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


def _workers(app):
    """The writeback worker and the sync runner on the app's database and upstreams."""
    from .clients import get_upstreams
    from .sync.runner import SyncRunner
    from .worker import Worker

    database, upstreams = get_database(app), get_upstreams(app)
    timing = {"poll_seconds": app.config["WORKER_POLL_SECONDS"], "claim_seconds": app.config["WORKER_CLAIM_SECONDS"]}
    return Worker(database.sessions, upstreams.cartoncloud, **timing), SyncRunner(
        database.sessions, upstreams, app.config, **timing
    )


@main.command()
@click.option("--once", is_flag=True, help="Do what is due now, then exit.")
def worker(once: bool) -> None:
    """Create orders reaching a trigger status in Starshipit, find tracking printed in Starshipit,
    and deliver tracking writebacks to CartonCloud."""
    from .worker import run_together

    app = _app()
    writeback, sync = _workers(app)
    try:
        if once:
            summary = sync.run_once()
            click.echo(f"{writeback.run_once()} job(s) attempted; sync: {summary.describe()}", err=True)
        else:
            run_together(_stop_on_signal(), [sync.run_forever, writeback.run_forever])
    finally:
        get_database(app).dispose()


class _ProgressBar:
    """click's progress bar for each stage of a sync pass that knows its size."""

    def __init__(self) -> None:
        self._bar = None

    def start(self, label: str, total: int) -> None:
        self.finish()
        self._bar = click.progressbar(length=total, label=label, file=sys.stderr)
        self._bar.__enter__()

    def advance(self, count: int) -> None:
        if self._bar is not None:
            self._bar.update(count)

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


@main.command()
@click.option(
    "--once", is_flag=True, required=True, help="One pass (required: `labelbridge worker` runs continuously)."
)
def sync(once: bool) -> None:
    """One pass of the automatic transfer and tracking writeback, every poller whether due or
    not, with a progress bar and a summary; exits 1 when something failed."""
    app = _app()
    writeback, runner = _workers(app)
    progress = _ProgressBar()
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


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@click.option("--workers", default=2, show_default=True, help="Processes.")
@click.option("--threads", default=4, show_default=True, help="Requests each process serves at once.")
def serve(host: str, port: int, workers: int, threads: int) -> None:
    """Serve the API with gunicorn."""
    from .serve import prepare_metrics_folder, run_gunicorn

    prepare_metrics_folder()  # before anything imports prometheus_client: it picks its mode then
    _app()  # fail fast on bad settings before forking
    run_gunicorn(host, port, workers, threads)


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


@main.group("settings")
def settings_group() -> None:
    """Run-time settings (the same as GET/PUT /api/v1/settings)."""


@settings_group.command("show")
def settings_show() -> None:
    """Every run-time setting and its value, as JSON."""
    from . import settings

    app = _app()
    with _session(app) as session:
        click.echo(json.dumps(settings.current(session, app.config), indent=2, sort_keys=True))


@settings_group.command("set")
@click.argument("name")
@click.argument("value")
def settings_set(name: str, value: str) -> None:
    """Set NAME to VALUE (JSON where it parses: true, 2.5, ["PACKED"], {"Express": "EXP"})."""
    from marshmallow import ValidationError

    from . import settings

    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = value
    app = _app()
    with _session(app) as session:
        try:
            updated = settings.update(session, app.config, {name: parsed}, "command line")
        except ValidationError as error:
            raise click.ClickException(f"{name}: {json.dumps(error.messages.get(name, error.messages))}") from None
    click.echo(json.dumps({name: updated[name]}))


@main.group("accounts")
def accounts_group() -> None:
    """The CartonCloud connection, Starshipit accounts and routing rules."""


def _accounts_call(action):
    from .crypto import get_box

    app = _app()
    with _session(app) as session:
        try:
            result = action(session, get_box(app), app)
        except Failure as error:
            raise click.ClickException(error.message) from None
        session.commit()
        return result


@accounts_group.command("list")
def accounts_list() -> None:
    """Accounts with masked keys, the default account and the routing rules."""
    from .accounts import Accounts, NotConfigured, routes

    def show(session, box, app):
        reader = Accounts(session, box, app.config)
        try:
            click.echo(f"cartoncloud\t{json.dumps(reader.cartoncloud().public())}")
        except NotConfigured as error:
            click.echo(f"cartoncloud\t{error.message}")
        for account in reader.starshipit_accounts():
            click.echo(f"starshipit\t{json.dumps(account.public())}")
        for route in routes(session):
            click.echo(f"route\t{route['match_field']}={route['match_value']} -> {route['account']}")

    _accounts_call(show)


@accounts_group.command("starshipit")
@click.argument("name")
@click.option("--api-key", prompt=True, hide_input=True, help="Asked for when not given.")
@click.option("--subscription-key", prompt=True, hide_input=True, help="Asked for when not given.")
@click.option(
    "--rate",
    type=click.FloatRange(0.1, 20),
    default=2.0,
    show_default=True,
    help="The subscription's requests/s: 2 (developer) or 20 (production); on PostgreSQL or Redis every "
    "process shares it, on SQLite each process paces itself to it.",
)
@click.option("--default", "is_default", is_flag=True, help="Orders no rule routes go here.")
def accounts_starshipit(name: str, api_key: str, subscription_key: str, rate: float, is_default: bool) -> None:
    """Add or update a Starshipit account (keys are stored encrypted)."""
    from .accounts import save_starshipit_account

    _accounts_call(
        lambda session, box, _app: save_starshipit_account(
            session,
            box,
            name=name,
            api_key=api_key,
            subscription_key=subscription_key,
            rate_per_second=rate,
            is_default=is_default or None,
        )
    )
    click.echo(f"saved Starshipit account {name}", err=True)


@accounts_group.command("route")
@click.argument("match_field", type=click.Choice(["customer_id", "customer_code"]))
@click.argument("match_value")
@click.argument("account")
def accounts_route(match_field: str, match_value: str, account: str) -> None:
    """Send a CartonCloud customer's sale orders to ACCOUNT."""
    from .accounts import set_route

    _accounts_call(
        lambda session, _box, _app: set_route(
            session, match_field=match_field, match_value=match_value, account=account
        )
    )
    click.echo(f"{match_field}={match_value} -> {account}", err=True)


@main.group("keys")
def keys_group() -> None:
    """The encryption keys of stored secrets."""


@keys_group.command("rotate")
def keys_rotate() -> None:
    """Re-encrypt every stored secret under a new key. With instance/secret.keys a new key is
    made and put first; with LABELBRIDGE_SECRET_KEYS, put the new key first there, then run this."""
    from cryptography.fernet import Fernet

    from .accounts import rotate_secrets
    from .crypto import SecretBox, get_box, key_file, write_key_file

    app = _app()
    box = get_box(app)
    if not app.config.get("SECRET_KEYS"):
        keys = [Fernet.generate_key(), *box.keys]
        write_key_file(key_file(app), keys)
        box = SecretBox(keys)
    with _session(app) as session:
        count = rotate_secrets(session, box)
        session.commit()
    click.echo(f"{count} secret(s) re-encrypted under the newest key", err=True)


@main.command()
@click.option("--sale-order", help="UUID, numericId or customer reference.")
@click.option("--kind", help="Only events of this kind (print, reprint, redo, written_back, …).")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(min=1))
def events(sale_order: str | None, kind: str | None, limit: int) -> None:
    """The audit log, oldest first."""
    from .audit_log import read_events

    with _session() as session:
        try:
            body = read_events(session, sale_order=sale_order, kind=kind, limit=limit)
        except Failure as error:
            raise click.ClickException(error.message) from None
    for event in body["events"]:
        order = event["sale_order"]["numeric_id"] if event["sale_order"] else "-"
        click.echo(f"{event['at']}\t{event['kind']}\t{event['actor'] or '-'}\t{order}\t{json.dumps(event['detail'])}")


@main.group("printers")
def printers_group() -> None:
    """Network label printers, sent raw print jobs (port 9100) by the backend."""


def _printer_fields(schema, fields: dict) -> dict:
    """``fields`` checked as the API checks them; the messages of what is wrong, else."""
    from marshmallow import ValidationError

    try:
        return schema.load(fields)
    except ValidationError as error:
        raise click.ClickException(
            "; ".join(f"{name}: {' '.join(map(str, messages))}" for name, messages in error.messages.items())
        ) from None


def _printers_call(action):
    """Run ``action(session, app)`` and commit; a Failure ends the command with its message."""
    app = _app()
    with _session(app) as session:
        try:
            result = action(session, app)
        except Failure as error:
            raise click.ClickException(error.message) from None
        session.commit()
        return result


@printers_group.command("add")
@click.argument("name")
@click.option("--host", required=True, help="The printer's host name or IP address.")
@click.option("--port", type=int, default=9100, show_default=True)
@click.option("--language", type=click.Choice(["pdf", "zpl"]), required=True, help="What the printer takes.")
@click.option("--dpi", type=click.Choice(["203", "300", "600"]), default="203", show_default=True)
def printers_add(name: str, host: str, port: int, language: str, dpi: str) -> None:
    """Register a network printer."""
    from .events import record_event
    from .printing.printer_policy import PrinterAddressRefused, PrinterPolicy
    from .printing.printers import add_printer
    from .schemas.printing import PrinterCreateSchema

    fields = _printer_fields(
        PrinterCreateSchema(), {"name": name, "host": host, "port": port, "language": language, "dpi": int(dpi)}
    )

    def add(session, app):
        policy = PrinterPolicy.from_config(app.config)
        try:
            policy.check_port(fields["port"])
            policy.check_address(fields["host"])
        except PrinterAddressRefused as refused:
            raise click.ClickException(f"{refused.field}: {refused.message}") from None
        add_printer(session, fields)
        record_event(session, None, "printer_saved", "command line", **fields)

    _printers_call(add)
    click.echo(f"added printer {name} ({host}:{port}, {language.upper()}, {dpi} dpi)", err=True)


@printers_group.command("list")
def printers_list() -> None:
    """Every printer: name, address, language, dpi."""
    from .printing.printers import all_printers

    def show(session, _app):
        for printer in all_printers(session):
            click.echo(f"{printer.name}\t{printer.host}:{printer.port}\t{printer.language}\t{printer.dpi} dpi")

    _printers_call(show)


@printers_group.command("remove")
@click.argument("name")
def printers_remove(name: str) -> None:
    """Remove a printer; workstations that used it print from the browser again."""
    from .events import record_event
    from .printing.printers import remove_printer

    def remove(session, _app):
        remove_printer(session, name)
        record_event(session, None, "printer_removed", "command line", name=name)

    _printers_call(remove)
    click.echo(f"removed printer {name}", err=True)


@printers_group.command("test")
@click.argument("name")
def printers_test(name: str) -> None:
    """Send a 4×6 test page in the printer's language; exits 1 with the reason when it fails."""
    from .printing.printer_jobs import send_test_page
    from .printing.printer_policy import PrinterPolicy
    from .printing.printers import find_printer

    def send(session, app):
        return send_test_page(
            session,
            find_printer(session, name),
            app.config["PRINTER_TIMEOUT_SECONDS"],
            "command line",
            PrinterPolicy.from_config(app.config),
        )

    delivery = _printers_call(send)
    if delivery["status"] == "failed":
        raise click.ClickException(delivery["message"])
    for warning in delivery["warnings"]:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"sent a test page to {name} ({delivery['bytes']} bytes)", err=True)


@token.command("prefs")
@click.argument("name")
@click.option("--layout", type=click.Choice(["original", "4x6", "a4"]), help="How PDF labels come out.")
@click.option("--printer", help="The network printer its prints go to.")
@click.option("--no-printer", is_flag=True, help="No network printer: the browser prints.")
@click.option("--packing-slip/--no-packing-slip", default=None, help="Offer the packing slip with each label.")
def token_prefs(
    name: str, layout: str | None, printer: str | None, no_printer: bool, packing_slip: bool | None
) -> None:
    """Show, or change, the printing preferences of the workstation holding token NAME."""
    from .events import record_event
    from .printing.workstation import save_preferences, workstation_for

    if printer and no_printer:
        raise click.UsageError("Give --printer NAME or --no-printer, not both.")
    changes = {
        key: value for key, value in {"label_layout": layout, "packing_slip": packing_slip}.items() if value is not None
    }
    if printer or no_printer:
        changes["printer"] = printer

    def apply(session, _app):
        save_preferences(session, name, changes)  # with no changes: only checks that the token exists
        if changes:
            record_event(session, None, "workstation_saved", "command line", token=name, **changes)
        return workstation_for(session, name)

    workstation = _printers_call(apply)
    click.echo(
        json.dumps(
            {
                "name": name,
                "label_layout": workstation.label_layout,
                "printer": workstation.printer.name if workstation.printer else None,
                "packing_slip": workstation.packing_slip,
            }
        )
    )
