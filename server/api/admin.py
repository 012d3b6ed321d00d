"""Settings, accounts and routing (admin tokens), the connection test and the audit log."""

from __future__ import annotations

from flask import current_app, g
from marshmallow import Schema, ValidationError, fields, validate

from .. import accounts, connection_check, settings
from ..accounts import MATCH_FIELDS, Accounts
from ..audit_log import read_events
from ..clients import get_upstreams
from ..crypto import get_box
from ..db import get_session
from ..errors import ApiError
from ..schemas.audit import AuditLogSchema, AuditQuerySchema
from ..schemas.labels import ConnectionTestResponseSchema, ResponseSchema
from ..settings import RuntimeSettingsSchema
from ..upstream_hosts import check_base_url
from ..validation import VISIBLE_ASCII, StrictBoolean, StrictFloat, WholeMatch
from .auth import admin_only, require_admin
from .blueprint import api
from .changes import admin_change
from .operations import errors, path_parameter

RATE_ERROR = (
    "Requests per second this account's subscription allows: Starshipit allows 2 (developer) or 20 "
    "(production); every labelbridge process shares it on PostgreSQL or Redis."
)


class StarshipitAccountSchema(Schema):
    api_key = fields.String(validate=[validate.Length(min=8, max=200), WholeMatch(VISIBLE_ASCII)])
    subscription_key = fields.String(validate=[validate.Length(min=8, max=200), WholeMatch(VISIBLE_ASCII)])
    rate_per_second = StrictFloat(validate=validate.Range(min=0.1, max=20, error=RATE_ERROR))
    is_default = StrictBoolean()


def _cartoncloud_base_url(value: str) -> None:
    """https:// on a documented CartonCloud host (server/upstream_hosts.py)."""
    try:
        check_base_url(value, "cartoncloud", allow_custom=current_app.config["ALLOW_CUSTOM_UPSTREAMS"])
    except ValueError as error:
        raise ValidationError(f"The base URL {error}.") from None


class CartonCloudConnectionSchema(Schema):
    base_url = fields.Url(
        required=True,
        schemes={"http", "https"},
        require_tld=False,
        validate=_cartoncloud_base_url,
        metadata={
            "description": "https:// on api.cartoncloud.com or api.na.cartoncloud.com (any "
            "host with LABELBRIDGE_ALLOW_CUSTOM_UPSTREAMS=true); http:// on "
            "loopback only. Changing it needs `client_secret` again."
        },
    )
    tenant_id = fields.UUID(required=True)
    tenant_slug = fields.String(validate=validate.Length(min=1, max=100), allow_none=True)
    client_id = fields.String(required=True, validate=[validate.Length(min=1, max=200), WholeMatch(VISIBLE_ASCII)])
    client_secret = fields.String(validate=[validate.Length(min=8, max=500), WholeMatch(VISIBLE_ASCII)])


class RouteSchema(Schema):
    match_field = fields.String(required=True, validate=validate.OneOf(MATCH_FIELDS))
    match_value = fields.String(required=True, validate=validate.Length(min=1, max=200))
    account = fields.String(required=True, validate=validate.Length(min=1, max=100))


class MaskedStarshipitAccountSchema(ResponseSchema):
    name = fields.String(required=True)
    api_key = fields.String(allow_none=True, required=True, metadata={"description": "Only its last 4 characters."})
    subscription_key = fields.String(
        allow_none=True, required=True, metadata={"description": "Only its last 4 characters."}
    )
    rate_per_second = fields.Float(required=True)


class MaskedCartonCloudConnectionSchema(ResponseSchema):
    base_url = fields.String(required=True)
    tenant_id = fields.String(required=True)
    tenant_slug = fields.String(allow_none=True, required=True)
    client_id = fields.String(required=True)
    client_secret = fields.String(
        allow_none=True, required=True, metadata={"description": "Only its last 4 characters."}
    )


class AccountsViewSchema(ResponseSchema):
    cartoncloud = fields.Nested(MaskedCartonCloudConnectionSchema, allow_none=True, required=True)
    starshipit = fields.List(fields.Nested(MaskedStarshipitAccountSchema), required=True)
    default_starshipit = fields.String(allow_none=True, required=True)
    routes = fields.List(fields.Nested(RouteSchema), required=True)


_ACCOUNTS = "The accounts and routes as they are now (keys masked)."
_NAME = [path_parameter("name", "The account's name.")]
ACCOUNT_NAME = WholeMatch(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$")


def _check_account_name(name: str) -> None:
    try:
        ACCOUNT_NAME(name)
    except ValidationError:
        raise ApiError(
            422,
            "validation_error",
            "An account name is 1 to 100 letters, digits, spaces, dots, dashes or underscores.",
            errors={"name": ["Invalid account name."]},
        ) from None


@api.get("/settings")
@api.response(200, RuntimeSettingsSchema, description="Every run-time setting and its value.")
@admin_only
def get_settings():
    """The run-time settings (admin)."""
    return settings.current(get_session(), current_app.config)


@api.put("/settings")
@api.arguments(RuntimeSettingsSchema)
@api.response(200, RuntimeSettingsSchema, description="Every run-time setting, changes applied.")
@admin_only
def put_settings(body):
    """Change some settings (admin); nothing is saved when a field is invalid."""
    return settings.update(get_session(), current_app.config, body, g.token_name)


def _accounts_view() -> dict:
    session = get_session()
    reader = Accounts(session, get_box(current_app), current_app.config)
    try:
        cartoncloud = reader.cartoncloud().public()
    except accounts.NotConfigured:
        cartoncloud = None
    return {
        "cartoncloud": cartoncloud,
        "starshipit": [account.public() for account in reader.starshipit_accounts()],
        "default_starshipit": _default_name(reader),
        "routes": accounts.routes(session),
    }


def _default_name(reader: Accounts) -> str | None:
    try:
        return reader.default_starshipit().name
    except accounts.NotConfigured:
        return None


@api.get("/accounts")
@api.response(200, AccountsViewSchema, description=_ACCOUNTS)
@admin_only
def get_accounts():
    """The CartonCloud connection, the Starshipit accounts and the routing rules (admin);
    secrets show only their last four characters."""
    view = _accounts_view()
    get_session().commit()
    return view


@api.put("/accounts/starshipit/<name>", parameters=_NAME)
@api.arguments(StarshipitAccountSchema)
@api.response(200, AccountsViewSchema, description=_ACCOUNTS)
@errors(
    {
        422: "The name is not 1 to 100 letters, digits, spaces, dots, dashes or underscores, is "
        "'environment', or a new account lacks a key."
    }
)
@admin_change("account_saved", lambda body, name: {"account": name, "changed": sorted(body)})
def put_starshipit_account(body, name: str):
    """Create or update a Starshipit account (admin)."""
    _check_account_name(name)
    fields = {key: body.get(key) for key in ("api_key", "subscription_key", "rate_per_second", "is_default")}
    accounts.save_starshipit_account(get_session(), get_box(current_app), name=name, **fields)
    return _accounts_view()


@api.delete("/accounts/starshipit/<name>", parameters=_NAME)
@api.response(200, AccountsViewSchema, description=_ACCOUNTS)
@errors({404: "There is no Starshipit account of that name."})
@admin_change("account_deleted", lambda name: {"account": name})
def delete_starshipit_account(name: str):
    """Remove a Starshipit account and its routing rules (admin)."""
    accounts.delete_starshipit_account(get_session(), name)
    return _accounts_view()


@api.put("/accounts/cartoncloud")
@api.arguments(CartonCloudConnectionSchema)
@api.response(200, AccountsViewSchema, description=_ACCOUNTS)
@errors(
    {
        422: "A new connection, or a new base URL, needs the client secret; the base URL is not "
        "https:// on a CartonCloud host."
    }
)
@admin_change("connection_saved", lambda body: {"changed": sorted(body)})
def put_cartoncloud_connection(body):
    """Save the CartonCloud connection (admin); it replaces the LABELBRIDGE_CARTONCLOUD_* values."""
    accounts.save_cartoncloud_connection(
        get_session(),
        get_box(current_app),
        base_url=body["base_url"],
        tenant_id=str(body["tenant_id"]),
        tenant_slug=body.get("tenant_slug"),
        client_id=body["client_id"],
        client_secret=body.get("client_secret"),
    )
    return _accounts_view()


@api.put("/routes")
@api.arguments(RouteSchema)
@api.response(200, AccountsViewSchema, description=_ACCOUNTS)
@errors({422: "There is no Starshipit account of that name."})
@admin_change("route_saved", lambda body: body)
def put_route(body):
    """Send a CartonCloud customer's orders to a Starshipit account (admin)."""
    accounts.set_route(get_session(), **body)
    return _accounts_view()


@api.post("/connection-test")
@api.response(200, ConnectionTestResponseSchema, description="Each check and its result in words.")
def run_connection_test():
    """Each upstream check with its result in words; always 200, ``ok`` says whether all passed."""
    return connection_check.run(get_upstreams(current_app))


@api.get("/events")
@api.arguments(AuditQuerySchema, location="query")
@api.response(200, AuditLogSchema, description="The events, oldest first.")
@errors(
    {
        403: "Without `sale_order`, this needs an admin token.",
        404: "labelbridge has no history for that sale order.",
    }
)
def list_events(query):
    """The audit log: ``?sale_order=`` (UUID, numericId or customer reference) for one order's
    history (any token); without it, everything (admin). ``kind`` and ``limit`` narrow it."""
    if not query.get("sale_order"):
        require_admin()
    return read_events(get_session(), **query)
