"""Who may call the API: a bearer token on every /api/v1 route but the health check (and the
webhooks, which carry their own secret), an admin token for settings, and no state-changing call
from a browser origin that is not the extension's."""
from __future__ import annotations

from flask import Blueprint, current_app, g, request

from .cors import allowed_origins
from .db import get_session
from .errors import ApiError
from .events import record_event
from .tokens import authenticate

# The webhooks are authenticated by their own secret or signature (server/api/webhooks.py); the
# OpenAPI document and its docs page describe the API's shape, no secret (server/api/docs.py); an
# enrollment exchange is authenticated by its one-time code (server/api/enrollments.py).
PUBLIC_ENDPOINTS = {"api.health", "api.cartoncloud_webhook", "api.starshipit_webhook",
                    "api.openapi_document", "api.docs", "api.docs_asset",
                    "api.enroll"}  # fmt: skip
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


def refuse_foreign_origin() -> None:
    """A web page can make a browser send a request with a stolen token; it cannot hide its own
    Origin. Requests without an Origin (the extension's worker, scripts, webhooks) pass."""
    origin = request.headers.get("Origin")
    if request.method in STATE_CHANGING and origin and origin.rstrip("/") not in allowed_origins(current_app):
        raise ApiError(403, "forbidden_origin", f"Requests from {origin} are not allowed.")


def require_token() -> None:
    if request.method == "OPTIONS" or request.endpoint in PUBLIC_ENDPOINTS:
        return
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not presented.strip():
        _refuse("no bearer token")
        raise ApiError(401, "unauthorized", "Send the API token as 'Authorization: Bearer <token>'.")
    token = authenticate(get_session(), presented.strip())
    if token is None:
        _refuse("unknown, revoked or expired token")
        raise ApiError(401, "unauthorized", "The API token is not valid, has expired or has been revoked.")
    g.token_name, g.token_role = token.name, token.role


def require_admin() -> None:
    if g.get("token_role") != "admin":
        raise ApiError(403, "forbidden", "This needs an admin token; packer tokens can print and look up only.")


def _refuse(reason: str) -> None:
    """Audit a refused token: where from and what for, never the token itself."""
    session = get_session()
    session.rollback()
    record_event(session, None, "token_refused", None, reason=reason, path=request.path,
                 remote_addr=request.remote_addr)  # fmt: skip
    session.commit()


def protect(blueprint: Blueprint) -> None:
    blueprint.before_request(refuse_foreign_origin)
    blueprint.before_request(require_token)
