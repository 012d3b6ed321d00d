"""Rate limits per API token (Flask-Limiter): in memory by default, Redis when several
instances run (LABELBRIDGE_RATELIMIT_STORAGE_URI=redis://…). A token over its limit gets 429
with Retry-After in the one error shape."""
from __future__ import annotations

import hashlib
import math
import time

from flask import Flask, request
from flask_limiter import Limiter, RateLimitExceeded

from .errors import ApiError, error_response


def token_key() -> str:
    """The presented token's hash (never the token), else the client address."""
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and presented.strip():
        return "token:" + hashlib.sha256(presented.strip().encode()).hexdigest()[:32]
    return "addr:" + (request.remote_addr or "unknown")


def init_app(app: Flask) -> Limiter:
    limiter = Limiter(
        token_key,
        app=app,
        default_limits=[app.config["RATE_LIMIT"]],
        storage_uri=app.config["RATELIMIT_STORAGE_URI"],
        default_limits_exempt_when=lambda: not request.path.startswith("/api/"),
    )

    @app.errorhandler(RateLimitExceeded)
    def too_many_requests(error: RateLimitExceeded):
        reset_at = getattr(limiter.current_limit, "reset_at", None) if limiter.current_limit else None
        retry_after = max(1, math.ceil(reset_at - time.time())) if reset_at else 1
        return error_response(
            ApiError(429, "rate_limited", "Too many requests from this token; wait a moment and try again.",
                     retry_after=retry_after)  # fmt: skip
        )

    return limiter
