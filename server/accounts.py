"""Upstream accounts: the CartonCloud connection and the Starshipit accounts, with routing.

A single-account install is configured entirely from LABELBRIDGE_* variables; that Starshipit
account is called ``environment``. Accounts kept in the database come on top of it (a 3PL's
customers often each have their own Starshipit account), and routing rules send a customer's sale
orders to its account. Keys are stored encrypted (server/crypto.py) and shown only masked. Every change marks the
process caches stale (server/cache.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from . import cache
from .crypto import SecretBox, mask
from .failures import Invalid, NotFound, Unavailable
from .models import CartonCloudConnection, RoutingRule, StarshipitAccount

ENVIRONMENT_ACCOUNT = "environment"
MATCH_FIELDS = ("customer_id", "customer_code")


@dataclass(frozen=True)
class StarshipitCredentials:
    name: str
    api_key: str
    subscription_key: str
    rate_per_second: float

    def public(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "api_key": mask(self.api_key),
            "subscription_key": mask(self.subscription_key),
            "rate_per_second": self.rate_per_second,
        }


@dataclass(frozen=True)
class CartonCloudCredentials:
    base_url: str
    tenant_id: str
    tenant_slug: str | None
    client_id: str
    client_secret: str

    def public(self) -> dict[str, Any]:
        return {
            "base_url": self.base_url,
            "tenant_id": self.tenant_id,
            "tenant_slug": self.tenant_slug,
            "client_id": self.client_id,
            "client_secret": mask(self.client_secret),
        }


class NotConfigured(Unavailable):
    def __init__(self, message: str) -> None:
        super().__init__("not_configured", message)


class Accounts:
    """The accounts, read at once with their keys decrypted: the stored ones, and the
    environment's (from ``config``, as it says when asked). Built once per process and kept until
    any process changes them (``Upstreams.accounts``, server/cache.py)."""

    def __init__(self, session: Session, box: SecretBox, config: Mapping[str, Any]) -> None:
        self.config = config
        row = session.scalar(select(CartonCloudConnection).order_by(CartonCloudConnection.id).limit(1))
        self._connection = (
            None
            if row is None
            else CartonCloudCredentials(
                row.base_url, row.tenant_id, row.tenant_slug, row.client_id, box.decrypt(row.client_secret_encrypted)
            )
        )
        rows = list(session.scalars(select(StarshipitAccount).order_by(StarshipitAccount.name)))
        self._stored = {
            row.name: StarshipitCredentials(
                row.name,
                box.decrypt(row.api_key_encrypted),
                box.decrypt(row.subscription_key_encrypted),
                row.rate_per_second,
            )
            for row in rows
        }
        self._default = next((row.name for row in rows if row.is_default), None)
        names = {row.id: row.name for row in rows}
        self._routes = {
            (rule.match_field, rule.match_value): names[rule.account_id]
            for rule in session.scalars(select(RoutingRule))
            if rule.account_id in names
        }

    # -- CartonCloud ----------------------------------------------------------------------

    def cartoncloud(self) -> CartonCloudCredentials:
        if self._connection is not None:
            return self._connection
        names = ["CARTONCLOUD_CLIENT_ID", "CARTONCLOUD_CLIENT_SECRET", "CARTONCLOUD_TENANT_ID"]
        missing = [f"LABELBRIDGE_{name}" for name in names if not self.config.get(name)]
        if missing:
            raise NotConfigured(
                f"labelbridge is not connected to CartonCloud yet: set {', '.join(missing)} "
                "or save a connection in the settings."
            )
        c = self.config
        return CartonCloudCredentials(
            c["CARTONCLOUD_URL"],
            c["CARTONCLOUD_TENANT_ID"],
            c.get("CARTONCLOUD_TENANT_SLUG"),
            c["CARTONCLOUD_CLIENT_ID"],
            c["CARTONCLOUD_CLIENT_SECRET"],
        )

    # -- Starshipit -----------------------------------------------------------------------

    def environment_account(self) -> StarshipitCredentials | None:
        api_key, subscription_key = (
            self.config.get("STARSHIPIT_API_KEY"),
            self.config.get("STARSHIPIT_SUBSCRIPTION_KEY"),
        )
        if not (api_key and subscription_key):
            return None
        return StarshipitCredentials(
            ENVIRONMENT_ACCOUNT, api_key, subscription_key, float(self.config["STARSHIPIT_RATE_PER_SECOND"])
        )

    def starshipit_accounts(self) -> list[StarshipitCredentials]:
        environment = self.environment_account()
        return ([environment] if environment else []) + list(self._stored.values())

    def starshipit(self, name: str | None) -> StarshipitCredentials:
        """The named account; None means the default one (orders recorded before routing)."""
        if name is None or name == ENVIRONMENT_ACCOUNT and self.environment_account() is None:
            return self.default_starshipit()
        if name == ENVIRONMENT_ACCOUNT:
            return self.environment_account()
        if name not in self._stored:
            raise NotConfigured(f"The Starshipit account '{name}' this order was sent to no longer exists.")
        return self._stored[name]

    def default_starshipit(self) -> StarshipitCredentials:
        if self._default is not None:
            return self._stored[self._default]
        environment = self.environment_account()
        if environment is None:
            raise NotConfigured(
                "labelbridge is not connected to Starshipit yet: set LABELBRIDGE_STARSHIPIT_API_KEY and "
                "LABELBRIDGE_STARSHIPIT_SUBSCRIPTION_KEY, or add a default Starshipit account."
            )
        return environment

    def route(self, sale_order: Mapping[str, Any]) -> StarshipitCredentials:
        """The account for ``sale_order``'s CartonCloud customer: by customer id, then by code,
        then the default account."""
        customer = sale_order.get("customer") or {}
        candidates = [
            ("customer_id", customer.get("id")),
            ("customer_code", (customer.get("references") or {}).get("code")),
        ]
        for field, value in candidates:
            if value and (field, str(value)) in self._routes:
                return self._stored[self._routes[field, str(value)]]
        return self.default_starshipit()


# -- changes (admin) ------------------------------------------------------------------------


def save_starshipit_account(
    session: Session,
    box: SecretBox,
    *,
    name: str,
    api_key: str | None,
    subscription_key: str | None,
    rate_per_second: float | None = None,
    is_default: bool | None = None,
) -> StarshipitAccount:
    """Create or update an account; keys left None keep their stored value."""
    if name == ENVIRONMENT_ACCOUNT:
        raise Invalid(
            "validation_error",
            f"'{ENVIRONMENT_ACCOUNT}' is the account set by LABELBRIDGE_ variables.",
            errors={"name": ["This name is reserved."]},
        )
    row = session.scalar(select(StarshipitAccount).where(StarshipitAccount.name == name))
    if row is None:
        if not (api_key and subscription_key):
            raise Invalid(
                "validation_error",
                "A new account needs both keys.",
                errors={
                    k: ["Missing data for required field."]
                    for k, v in (("api_key", api_key), ("subscription_key", subscription_key))
                    if not v
                },
            )
        row = StarshipitAccount(name=name, rate_per_second=rate_per_second or 2.0, is_default=False)
        session.add(row)
    if api_key:
        row.api_key_encrypted = box.encrypt(api_key)
    if subscription_key:
        row.subscription_key_encrypted = box.encrypt(subscription_key)
    if rate_per_second:
        row.rate_per_second = rate_per_second
    if is_default:
        for other in session.scalars(select(StarshipitAccount).where(StarshipitAccount.is_default.is_(True))):
            other.is_default = False
        row.is_default = True
    elif is_default is False:
        row.is_default = False
    cache.changed(session)  # every process reads the accounts again (server/cache.py)
    session.flush()
    return row


def delete_starshipit_account(session: Session, name: str) -> None:
    row = session.scalar(select(StarshipitAccount).where(StarshipitAccount.name == name))
    if row is None:
        raise NotFound("not_found", f"There is no Starshipit account named '{name}'.")
    session.execute(delete(RoutingRule).where(RoutingRule.account_id == row.id))
    session.delete(row)
    cache.changed(session)  # every process reads the accounts again (server/cache.py)
    session.flush()


def set_route(session: Session, *, match_field: str, match_value: str, account: str) -> RoutingRule:
    row = session.scalar(select(StarshipitAccount).where(StarshipitAccount.name == account))
    if row is None:
        raise Invalid(
            "validation_error",
            f"There is no Starshipit account named '{account}'.",
            errors={"account": ["Unknown account."]},
        )
    rule = session.scalar(
        select(RoutingRule).where(RoutingRule.match_field == match_field, RoutingRule.match_value == match_value)
    )
    if rule is None:
        rule = RoutingRule(match_field=match_field, match_value=match_value, account_id=row.id)
        session.add(rule)
    rule.account_id = row.id
    cache.changed(session)  # every process reads the accounts again (server/cache.py)
    session.flush()
    return rule


def routes(session: Session) -> list[dict[str, str]]:
    rows = session.execute(select(RoutingRule, StarshipitAccount.name).join(StarshipitAccount).order_by(RoutingRule.id))
    return [{"match_field": rule.match_field, "match_value": rule.match_value, "account": name} for rule, name in rows]


def save_cartoncloud_connection(
    session: Session,
    box: SecretBox,
    *,
    base_url: str,
    tenant_id: str,
    tenant_slug: str | None,
    client_id: str,
    client_secret: str | None,
) -> CartonCloudConnection:
    row = session.scalar(select(CartonCloudConnection).order_by(CartonCloudConnection.id).limit(1))
    if row is None:
        if not client_secret:
            raise Invalid(
                "validation_error",
                "A new connection needs the client secret.",
                errors={"client_secret": ["Missing data for required field."]},
            )
        row = CartonCloudConnection()
        session.add(row)
    elif base_url.rstrip("/") != row.base_url and not client_secret:
        # The stored secret goes wherever base_url points: moving it takes knowing the secret.
        raise Invalid(
            "validation_error",
            "Changing the base URL needs the client secret again.",
            errors={"client_secret": ["Required when base_url changes."]},
        )
    row.base_url, row.tenant_id, row.tenant_slug, row.client_id = (
        base_url.rstrip("/"),
        tenant_id,
        tenant_slug,
        client_id,
    )
    if client_secret:
        row.client_secret_encrypted = box.encrypt(client_secret)
    cache.changed(session)  # every process reads the accounts again (server/cache.py)
    session.flush()
    return row


def unreadable_secrets(session: Session, box: SecretBox) -> list[str]:
    """What stored secrets no configured key decrypts, in words (no secret in them)."""
    stored = [
        (f"Starshipit account '{row.name}'", [row.api_key_encrypted, row.subscription_key_encrypted])
        for row in session.scalars(select(StarshipitAccount))
    ]
    stored += [
        ("the CartonCloud connection", [row.client_secret_encrypted])
        for row in session.scalars(select(CartonCloudConnection))
    ]
    return [where for where, tokens in stored if not all(box.can_decrypt(token) for token in tokens)]


def rotate_secrets(session: Session, box: SecretBox) -> int:
    """Re-encrypt every stored secret under the newest key; returns how many."""
    count = 0
    for account in session.scalars(select(StarshipitAccount)):
        account.api_key_encrypted = box.rotate(account.api_key_encrypted)
        account.subscription_key_encrypted = box.rotate(account.subscription_key_encrypted)
        count += 2
    for connection in session.scalars(select(CartonCloudConnection)):
        connection.client_secret_encrypted = box.rotate(connection.client_secret_encrypted)
        count += 1
    session.flush()
    return count
