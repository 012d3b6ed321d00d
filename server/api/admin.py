"""Settings, accounts and routing (admin tokens), the connection test and the audit log."""

from __future__ import annotations

from flask import current_app, g, request
from marshmallow import Schema, ValidationError, fields, validate

from .. import accounts, connection_check, settings
from ..accounts import MATCH_FIELDS, Accounts
from ..audit_log import read_events
from ..clients import get_upstreams
from ..crypto import get_box
from ..db import get_session
from ..errors import ApiError
from ..events import record_event
from ..openapi import operation
from ..schemas.audit import AuditLogSchema, AuditQuerySchema
from ..schemas.labels import ConnectionTestResponseSchema, ResponseSchema
from ..settings import RuntimeSettingsSchema
from ..upstream_hosts import check_base_url
from ..validation import VISIBLE_ASCII, StrictBoolean, StrictFloat, WholeMatch
from .auth import require_admin
from .blueprint import api
from .bodies import json_object, load_json

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


_ACCOUNTS = {200: (AccountsViewSchema, "The accounts and routes as they are now (keys masked).")}
_account_schema, _connection_schema, _route_schema = (
    StarshipitAccountSchema(),
    CartonCloudConnectionSchema(),
    RouteSchema(),
)
_audit_query = AuditQuerySchema()
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
@operation(admin=True, responses={200: (RuntimeSettingsSchema, "Every run-time setting and its value.")})
def get_settings():
    """The run-time settings (admin). 403 for a packer token."""
    require_admin()
    return settings.current(get_session(), current_app.config)


@api.put("/settings")
@operation(
    admin=True,
    request=RuntimeSettingsSchema,
    responses={200: (RuntimeSettingsSchema, "Every run-time setting, changes applied.")},
)
def put_settings():
    """Change some settings (admin); 422 with a message per invalid field, nothing saved then."""
    require_admin()
    return settings.update(get_session(), current_app.config, json_object(), g.token_name)


def _accounts_view() -> dict:
    session = get_session()
    reader = Accounts(session, get_box(current_app), current_app.config)
    try:
        cartoncloud = reader.cartoncloud().public()
    except accounts.NotConfigured:
        cartoncloud = None
    view = {
        "cartoncloud": cartoncloud,
        "starshipit": [account.public() for account in reader.starshipit_accounts()],
        "default_starshipit": _default_name(reader),
        "routes": accounts.routes(session),
    }
    session.commit()
    return view


def _default_name(reader: Accounts) -> str | None:
    try:
        return reader.default_starshipit().name
    except accounts.NotConfigured:
        return None


@api.get("/accounts")
@operation(admin=True, responses=_ACCOUNTS)
def get_accounts():
    """The CartonCloud connection, the Starshipit accounts and the routing rules (admin);
    secrets show only their last four characters."""
    require_admin()
    return _accounts_view()


@api.put("/accounts/starshipit/<name>")
@operation(
    admin=True,
    request=StarshipitAccountSchema,
    responses=_ACCOUNTS,
    path={"name": "The account's name."},
    errors={
        422: "The name is not 1 to 100 letters, digits, spaces, dots, dashes or underscores, is "
        "'environment', or a new account lacks a key."
    },
)
def put_starshipit_account(name: str):
    """Create or update a Starshipit account (admin). 422 for an invalid name or body."""
    require_admin()
    _check_account_name(name)
    body = load_json(_account_schema)
    session = get_session()
    accounts.save_starshipit_account(
        session,
        get_box(current_app),
        name=name,
        **{
            "api_key": body.get("api_key"),
            "subscription_key": body.get("subscription_key"),
            "rate_per_second": body.get("rate_per_second"),
            "is_default": body.get("is_default"),
        },
    )
    record_event(session, None, "account_saved", g.token_name, account=name, changed=sorted(body))
    session.commit()
    return _accounts_view()


@api.delete("/accounts/starshipit/<name>")
@operation(
    admin=True,
    responses=_ACCOUNTS,
    path={"name": "The account's name."},
    errors={404: "There is no Starshipit account of that name."},
)
def delete_starshipit_account(name: str):
    """Remove a Starshipit account and its routing rules (admin). 404 when unknown."""
    require_admin()
    session = get_session()
    accounts.delete_starshipit_account(session, name)
    record_event(session, None, "account_deleted", g.token_name, account=name)
    session.commit()
    return _accounts_view()


@api.put("/accounts/cartoncloud")
@operation(
    admin=True,
    request=CartonCloudConnectionSchema,
    responses=_ACCOUNTS,
    errors={
        422: "A new connection, or a new base URL, needs the client secret; the base URL is not "
        "https:// on a CartonCloud host."
    },
)
def put_cartoncloud_connection():
    """Save the CartonCloud connection (admin); it replaces the LABELBRIDGE_CARTONCLOUD_* values."""
    require_admin()
    body = load_json(_connection_schema)
    session = get_session()
    accounts.save_cartoncloud_connection(
        session,
        get_box(current_app),
        base_url=body["base_url"],
        tenant_id=str(body["tenant_id"]),
        tenant_slug=body.get("tenant_slug"),
        client_id=body["client_id"],
        client_secret=body.get("client_secret"),
    )
    record_event(session, None, "connection_saved", g.token_name, changed=sorted(body))
    session.commit()
    return _accounts_view()


@api.put("/routes")
@operation(
    admin=True, request=RouteSchema, responses=_ACCOUNTS, errors={422: "There is no Starshipit account of that name."}
)
def put_route():
    """Send a CartonCloud customer's orders to a Starshipit account (admin)."""
    require_admin()
    body = load_json(_route_schema)
    session = get_session()
    accounts.set_route(session, **body)
    record_event(session, None, "route_saved", g.token_name, **body)
    session.commit()
    return _accounts_view()


@api.post("/connection-test")
@operation(responses={200: (ConnectionTestResponseSchema, "Each check and its result in words.")})
def run_connection_test():
    """Each upstream check with its result in words; always 200, ``ok`` says whether all passed."""
    return connection_check.run(get_upstreams(current_app))


@api.get("/events")
@operation(
    query=AuditQuerySchema,
    responses={200: (AuditLogSchema, "The events, oldest first.")},
    errors={
        403: "Without `sale_order`, this needs an admin token.",
        404: "labelbridge has no history for that sale order.",
    },
)
def list_events():
    """The audit log: ``?sale_order=`` (UUID, numericId or customer reference) for one order's
    history (any token); without it, everything (admin). ``kind`` and ``limit`` narrow it."""
    if not request.args.get("sale_order"):
        require_admin()
    try:
        query = _audit_query.load(request.args)
    except ValidationError as error:
        raise ApiError(
            422, "validation_error", "limit must be a whole number, 1 or more.", errors=error.messages
        ) from None
    return read_events(get_session(), **query)
