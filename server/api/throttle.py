"""Rate limits (Flask-Limiter): in memory by default, Redis when several instances run
(LABELBRIDGE_RATELIMIT_STORAGE_URI=redis://…). Over a limit: 429 with Retry-After in the one
error shape.

- The API: LABELBRIDGE_RATE_LIMIT per authenticated token; a request without a live token (none,
  made up, revoked) counts against its client address, so guessing tokens is limited too. One
  budget for all routes (shared): spreading requests over routes gains nothing.
- The webhooks: LABELBRIDGE_WEBHOOK_RATE_LIMIT per client address, a budget of their own.
"""

from __future__ import annotations

import math
import time

from flask import Flask, current_app, request
from flask_limiter import Limit, Limiter, RateLimitExceeded

from ..errors import ApiError, error_response
from .auth import authenticated_token

WEBHOOK_ENDPOINTS = {"api.cartoncloud_webhook", "api.starshipit_webhook"}


def client_address() -> str:
    return "addr:" + (request.remote_addr or "unknown")


def caller_key() -> str:
    """The authenticated token (by id, never the token), else the client address."""
    token = authenticated_token()
    return f"token:{token.id}" if token is not None else client_address()


def _is_webhook() -> bool:
    return request.endpoint in WEBHOOK_ENDPOINTS


def init_app(app: Flask) -> Limiter:
    limiter = Limiter(
        caller_key,
        app=app,
        default_limits=[
            Limit(lambda: current_app.config["RATE_LIMIT"], scope="api", shared=True, exempt_when=_is_webhook),
            Limit(
                lambda: current_app.config["WEBHOOK_RATE_LIMIT"],
                key_function=client_address,
                scope="webhooks",
                shared=True,
                exempt_when=lambda: not _is_webhook(),
            ),
        ],
        storage_uri=app.config["RATELIMIT_STORAGE_URI"],
        default_limits_exempt_when=lambda: not request.path.startswith("/api/"),
    )

    @app.errorhandler(RateLimitExceeded)
    def too_many_requests(error: RateLimitExceeded):
        reset_at = getattr(limiter.current_limit, "reset_at", None) if limiter.current_limit else None
        retry_after = max(1, math.ceil(reset_at - time.time())) if reset_at else 1
        return error_response(
            ApiError(
                429,
                "rate_limited",
                "Too many requests from this token or address; wait a moment and try again.",
                retry_after=retry_after,
            )
        )

    return limiter
