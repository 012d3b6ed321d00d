"""``labelbridge token``: API tokens for extension installs, and their workstations' printing
preferences."""

from __future__ import annotations

import json
from datetime import timedelta

import click

from .. import tokens
from ..models import utcnow
from .context import committed, database_session, failures_as_messages, load_app


@click.group()
def token() -> None:
    """API tokens for extension installs."""


@token.command("create")
@click.argument("name")
@click.option("--role", type=click.Choice(tokens.ROLES), default="packer", show_default=True)
@click.option("--expires-in-days", type=click.IntRange(min=1), help="Default: no expiry.")
def token_create(name: str, role: str, expires_in_days: int | None) -> None:
    """Create a token; prints only the token (shown once, stored as a hash)."""
    expires_at = utcnow() + timedelta(days=expires_in_days) if expires_in_days else None
    with database_session() as session, failures_as_messages(tokens.TokenError):
        click.echo(tokens.create_token(session, name, role, expires_at))


@token.command("enroll")
@click.argument("name")
@click.option("--role", type=click.Choice(tokens.ROLES), default="packer", show_default=True)
@click.option("--expires-in-minutes", type=click.IntRange(min=1, max=1440), default=30, show_default=True)
def token_enroll(name: str, role: str, expires_in_minutes: int) -> None:
    """A one-time code for the bench NAME: typed into the extension's popup (or set as the managed
    enrollmentCode), it becomes that bench's token, which nobody sees. Prints the code and a link
    that opens the popup with it filled in (set LABELBRIDGE_PUBLIC_URL to put the backend's
    address in the link too)."""
    from .. import enrollment
    from ..access import allowed_origins

    app = load_app()
    with database_session(app) as session, failures_as_messages():
        made = enrollment.create_enrollment(session, name, role, timedelta(minutes=expires_in_minutes), "cli")
    click.echo(made.code)
    click.echo(enrollment.enrollment_link(allowed_origins(app.config)[0], made.code, app.config["PUBLIC_URL"]))
    click.echo(f"for {made.token_name} ({made.role}); works once, until {made.expires_at:%Y-%m-%d %H:%M} UTC", err=True)


@token.command("list")
def token_list() -> None:
    """Names, creation and last use of every token."""
    now = utcnow()
    with database_session() as session:
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
    with database_session() as session, failures_as_messages(tokens.TokenError):
        tokens.revoke_token(session, name)
    click.echo(f"revoked {name}", err=True)


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
    from ..events import record_event
    from ..printing.workstation import save_preferences, workstation_for

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

    workstation = committed(apply)
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
