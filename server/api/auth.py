"""Who may call the API: a bearer token on every /api/v1 route but the health check (and the
webhooks, which carry their own secret), an admin token for settings, a supervisor (or admin)
token for voiding labels, and no state-changing call
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
from ..request_headers import request_header
from ..tokens import SUPERVISING_ROLES, TokenCheck, check, hash_token
from .refusals import get_refusals

_AUTHENTICATED = "labelbridge.authenticated_token"
_ROLES = "labelbridge_roles"


def refuse_foreign_origin() -> None:
    """A web page can make a browser send a request with a stolen token; it cannot hide its own
    Origin. Requests without an Origin (the extension's worker, scripts, webhooks) pass."""
    origin = request_header("Origin")
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
    if presented_token() is None:
        _refuse("no bearer token")
        raise ApiError(401, "unauthorized", "Send the API token as 'Authorization: Bearer <token>'.")
    token = authenticated_token()
    if token is None:
        _refuse("unknown, revoked or expired token")
        raise ApiError(401, "unauthorized", "The API token is not valid, has expired or has been revoked.")
    g.token_name, g.token_role = token.name, token.role


def require_role(roles: tuple[str, ...]) -> None:
    """403 unless the request's token has one of ``roles``."""
    if g.get("token_role") not in roles:
        raise ApiError(403, "forbidden", refusal_words(roles))


def refusal_words(roles: tuple[str, ...]) -> str:
    """Why a token without one of ``roles`` is refused, in words."""
    needed = " or ".join(roles)
    return (
        f"This needs {'an' if needed[0] in 'aeiou' else 'a'} {needed} token; packer tokens can print and look up only."
    )


def require_admin() -> None:
    require_role(("admin",))


def only_for(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a view as taking tokens of ``roles`` only: any other token gets 403 before its body
    is read (``refuse_role_not_allowed``), and the OpenAPI document says so."""

    def mark(view: Callable[..., Any]) -> Callable[..., Any]:
        setattr(view, _ROLES, tuple(roles))
        return view

    return mark


admin_only = only_for("admin")
supervisor_only = only_for(*SUPERVISING_ROLES)


def roles_needed(view: Callable[..., Any] | None) -> tuple[str, ...] | None:
    """The roles a view takes (None: any token)."""
    return getattr(view, _ROLES, None)


def refuse_role_not_allowed() -> None:
    roles = roles_needed(current_app.view_functions.get(request.endpoint))
    if roles is not None:
        require_role(roles)


def _refuse(reason: str) -> None:
    """Audit a refused token: where from and what for, never the token itself; counted per
    address and minute (server/api/refusals.py), so refusals cannot grow the audit log without bound."""
    session = get_session()
    session.rollback()
    get_refusals(current_app).record(session, request.remote_addr or "unknown", reason, request.path)


def check_caller() -> None:
    """The blueprint's checks of who calls, in their order (one hook: Flask's dispatch of each
    hook costs as much as a check). The public endpoints (the health check, the webhooks, which
    carry their own secret) and CORS preflights take no token, so no role."""
    refuse_foreign_origin()
    if request.method == "OPTIONS" or request.endpoint in PUBLIC_ENDPOINTS:
        return
    require_token()
    refuse_role_not_allowed()


def protect(blueprint: Blueprint) -> None:
    blueprint.before_request(check_caller)
