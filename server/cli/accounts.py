"""``labelbridge accounts``: the CartonCloud connection, Starshipit accounts and routing rules."""

from __future__ import annotations

import json

import click

from .context import committed


@click.group("accounts")
def accounts_group() -> None:
    """The CartonCloud connection, Starshipit accounts and routing rules."""


@accounts_group.command("list")
def accounts_list() -> None:
    """Accounts with masked keys, the default account and the routing rules."""
    from ..accounts import Accounts, NotConfigured, routes
    from ..crypto import get_box

    def show(session, app):
        reader = Accounts(session, get_box(app), app.config)
        try:
            click.echo(f"cartoncloud\t{json.dumps(reader.cartoncloud().public())}")
        except NotConfigured as error:
            click.echo(f"cartoncloud\t{error.message}")
        for account in reader.starshipit_accounts():
            click.echo(f"starshipit\t{json.dumps(account.public())}")
        for route in routes(session):
            click.echo(f"route\t{route['match_field']}={route['match_value']} -> {route['account']}")

    committed(show)


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
    from ..accounts import save_starshipit_account
    from ..crypto import get_box

    committed(
        lambda session, app: save_starshipit_account(
            session,
            get_box(app),
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
    from ..accounts import set_route

    committed(
        lambda session, _app: set_route(session, match_field=match_field, match_value=match_value, account=account)
    )
    click.echo(f"{match_field}={match_value} -> {account}", err=True)
