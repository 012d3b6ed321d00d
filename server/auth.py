"""Bearer-token authentication for every /api/v1 route but the health check."""
from __future__ import annotations

from flask import Blueprint, g, request

from .db import get_session
from .errors import ApiError
from .tokens import authenticate

PUBLIC_ENDPOINTS = {"api.health"}


def require_token() -> None:
    if request.method == "OPTIONS" or request.endpoint in PUBLIC_ENDPOINTS:
        return
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not presented.strip():
        raise ApiError(401, "unauthorized", "Send the API token as 'Authorization: Bearer <token>'.")
    token = authenticate(get_session(), presented.strip())
    if token is None:
        raise ApiError(401, "unauthorized", "The API token is not valid or has been revoked.")
    g.token_name = token.name


def protect(blueprint: Blueprint) -> None:
    blueprint.before_request(require_token)
