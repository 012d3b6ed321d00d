"""Who may call the API: a bearer token on every /api/v1 route but the health check (and the
webhooks, which carry their own secret), an admin token for settings, and no state-changing call
from a browser origin that is not the extension's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, current_app, g, request

from ..access import PUBLIC_ENDPOINTS, STATE_CHANGING, allowed_origins
from ..cache import get_cache
from ..db import get_session
from ..errors import ApiError
from ..models import utcnow
from ..tokens import TokenCheck, check, hash_token
from .refusals import get_refusals

_AUTHENTICATED = "labelbridge.authenticated_token"
_ADMIN_ONLY = "labelbridge_admin_only"


def refuse_foreign_origin() -> None:
    """A web page can make a browser send a request with a stolen token; it cannot hide its own
    Origin. Requests without an Origin (the extension's worker, scripts, webhooks) pass."""
    origin = request.headers.get("Origin")
    if request.method in STATE_CHANGING and origin and origin.rstrip("/") not in allowed_origins(current_app.config):
        raise ApiError(403, "forbidden_origin", f"Requests from {origin} are not allowed.")


def presented_token() -> str | None:
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    return presented.strip() or None if scheme.lower() == "bearer" else None


def authenticated_token() -> TokenCheck | None:
    """The request's live token, or None; looked up once per request (the rate limit's key asks
    first, ``require_token`` after), and kept by the process for a few seconds (server/cache.py).
    Kept on the request, not on ``g``, which can outlive it."""
    if _AUTHENTICATED not in request.environ:
        presented = presented_token()
        found = _checked(hash_token(presented)) if presented else None
        request.environ[_AUTHENTICATED] = found if found is not None and found.live(utcnow()) else None
    return request.environ[_AUTHENTICATED]


def _checked(digest: str) -> TokenCheck | None:
    return get_cache(current_app).timed(("token", digest), lambda: check(get_session(), digest))


def require_token() -> None:
    if request.method == "OPTIONS" or request.endpoint in PUBLIC_ENDPOINTS:
        return
    if presented_token() is None:
        _refuse("no bearer token")
        raise ApiError(401, "unauthorized", "Send the API token as 'Authorization: Bearer <token>'.")
    token = authenticated_token()
    if token is None:
        _refuse("unknown, revoked or expired token")
        raise ApiError(401, "unauthorized", "The API token is not valid, has expired or has been revoked.")
    g.token_name, g.token_role = token.name, token.role


def require_admin() -> None:
    if g.get("token_role") != "admin":
        raise ApiError(403, "forbidden", "This needs an admin token; packer tokens can print and look up only.")


def admin_only(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view as taking admin tokens only: a packer token gets 403 before its body is read."""
    setattr(view, _ADMIN_ONLY, True)
    return view


def needs_admin(view: Callable[..., Any] | None) -> bool:
    return getattr(view, _ADMIN_ONLY, False)


def refuse_packer_on_admin_route() -> None:
    if needs_admin(current_app.view_functions.get(request.endpoint)):
        require_admin()


def _refuse(reason: str) -> None:
    """Audit a refused token: where from and what for, never the token itself; counted per
    address and minute (server/api/refusals.py), so refusals cannot grow the audit log without bound."""
    session = get_session()
    session.rollback()
    get_refusals(current_app).record(session, request.remote_addr or "unknown", reason, request.path)


def protect(blueprint: Blueprint) -> None:
    blueprint.before_request(refuse_foreign_origin)
    blueprint.before_request(require_token)
    blueprint.before_request(refuse_packer_on_admin_route)
