"""``labelbridge printers``: network label printers, sent raw print jobs (port 9100) by the backend."""

from __future__ import annotations

import click

from .context import committed


@click.group("printers")
def printers_group() -> None:
    """Network label printers, sent raw print jobs (port 9100) by the backend."""


def _printer_fields(fields: dict) -> dict:
    """``fields`` checked as the API checks them; the messages of what is wrong, else."""
    from marshmallow import ValidationError

    from ..schemas.printing import PrinterCreateSchema

    try:
        return PrinterCreateSchema().load(fields)
    except ValidationError as error:
        raise click.ClickException(
            "; ".join(f"{name}: {' '.join(map(str, messages))}" for name, messages in error.messages.items())
        ) from None


@printers_group.command("add")
@click.argument("name")
@click.option("--host", required=True, help="The printer's host name or IP address.")
@click.option("--port", type=int, default=9100, show_default=True)
@click.option("--language", type=click.Choice(["pdf", "zpl"]), required=True, help="What the printer takes.")
@click.option("--dpi", type=click.Choice(["203", "300", "600"]), default="203", show_default=True)
def printers_add(name: str, host: str, port: int, language: str, dpi: str) -> None:
    """Register a network printer."""
    from ..events import record_event
    from ..printing.printer_policy import PrinterAddressRefused, PrinterPolicy
    from ..printing.printers import add_printer

    fields = _printer_fields({"name": name, "host": host, "port": port, "language": language, "dpi": int(dpi)})

    def add(session, app):
        policy = PrinterPolicy.from_config(app.config)
        try:
            policy.check_port(fields["port"])
            policy.check_address(fields["host"])
        except PrinterAddressRefused as refused:
            raise click.ClickException(f"{refused.field}: {refused.message}") from None
        add_printer(session, fields)
        record_event(session, None, "printer_saved", "command line", **fields)

    committed(add)
    click.echo(f"added printer {name} ({host}:{port}, {language.upper()}, {dpi} dpi)", err=True)


@printers_group.command("list")
def printers_list() -> None:
    """Every printer: name, address, language, dpi."""
    from ..printing.printers import all_printers

    def show(session, _app):
        for printer in all_printers(session):
            click.echo(f"{printer.name}\t{printer.host}:{printer.port}\t{printer.language}\t{printer.dpi} dpi")

    committed(show)


@printers_group.command("remove")
@click.argument("name")
def printers_remove(name: str) -> None:
    """Remove a printer; workstations that used it print from the browser again."""
    from ..events import record_event
    from ..printing.printers import remove_printer

    def remove(session, _app):
        remove_printer(session, name)
        record_event(session, None, "printer_removed", "command line", name=name)

    committed(remove)
    click.echo(f"removed printer {name}", err=True)


@printers_group.command("test")
@click.argument("name")
def printers_test(name: str) -> None:
    """Send a 4×6 test page in the printer's language; exits 1 with the reason when it fails."""
    from ..printing.printer_jobs import send_test_page
    from ..printing.printer_policy import PrinterPolicy
    from ..printing.printers import find_printer

    def send(session, app):
        return send_test_page(
            session,
            find_printer(session, name),
            app.config["PRINTER_TIMEOUT_SECONDS"],
            "command line",
            PrinterPolicy.from_config(app.config),
        )

    delivery = committed(send)
    if delivery["status"] == "failed":
        raise click.ClickException(delivery["message"])
    for warning in delivery["warnings"]:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"sent a test page to {name} ({delivery['bytes']} bytes)", err=True)
