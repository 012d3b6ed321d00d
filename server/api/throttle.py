"""Rate limits, counted with the `limits` library: in memory by default, Redis when several
instances run (LABELBRIDGE_RATELIMIT_STORAGE_URI=redis://…). Over a limit: 429 with Retry-After
in the one error shape.

- The API: LABELBRIDGE_RATE_LIMIT per authenticated token; a request without a live token (none,
  made up, revoked) counts against its client address, so guessing tokens is limited too. One
  budget for all routes: spreading requests over routes gains nothing.
- The webhooks: LABELBRIDGE_WEBHOOK_RATE_LIMIT per client address, a budget of their own.
- Enrollment codes: LABELBRIDGE_ENROLL_RATE_LIMIT tries per client address, in a moving window
  (a code is short, so a burst at a window's edge must not double the tries).
- The health check is not counted (``access.UNCOUNTED_ENDPOINTS``, which says why).

One before-request check and a counter in the storage per request: Flask-Limiter's per-request
resolution of decorated, blueprint and exempt limits cost a quarter of a health check
(tests/benchmarks/profile_requests.py).
"""

from __future__ import annotations

import math
import time
from functools import cache

from flask import Flask, current_app, request
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter, RateLimiter

from ..access import UNCOUNTED_ENDPOINTS
from ..errors import ApiError
from .auth import authenticated_token

WEBHOOK_ENDPOINTS = {"api.cartoncloud_webhook", "api.starshipit_webhook"}
_EXTENSION = "labelbridge.throttle"
SWEEP_SECONDS = 1.0
TOO_MANY = "Too many requests from this token or address; wait a moment and try again."
TOO_MANY_TRIES = "Too many enrollment codes tried from this address; wait a minute and type the code again."


class SweptByRequests(MemoryStorage):
    """`limits`' memory storage, its expired counters swept by the requests themselves at most
    once a second. The library's own sweep is a timer thread started again 10 ms after the last
    one ended: under load a new thread for every few requests, each start making the request
    wait for the thread to run (a sixth of a reprint's time, by cProfile)."""

    def __init__(self) -> None:
        super().__init__()
        self._next_sweep = 0.0

    def _MemoryStorage__schedule_expiry(self) -> None:  # replaces the timer (a private name)
        now = time.monotonic()
        if now >= self._next_sweep:
            self._next_sweep = now + SWEEP_SECONDS
            self._MemoryStorage__expire_events()


def _storage(uri: str) -> Storage:
    return SweptByRequests() if uri.split("?")[0] == "memory://" else storage_from_string(uri)


class Throttle:
    """The app's budgets, on one storage; the limits are read from the app's config each time."""

    def __init__(self, storage_uri: str) -> None:
        storage = _storage(storage_uri)
        self._fixed = FixedWindowRateLimiter(storage)
        self._moving = MovingWindowRateLimiter(storage)

    def count_request(self) -> None:
        """Before every /api/ request: its caller's budget (the webhooks', for a webhook)."""
        if request.endpoint in WEBHOOK_ENDPOINTS:
            _spend(self._fixed, _limits("WEBHOOK_RATE_LIMIT"), "webhooks", client_address(), TOO_MANY)
        else:
            _spend(self._fixed, _limits("RATE_LIMIT"), "api", caller_key(), TOO_MANY)

    def count_enrollment_try(self) -> None:
        _spend(self._moving, _limits("ENROLL_RATE_LIMIT"), "enroll", client_address(), TOO_MANY_TRIES)


def _limits(setting: str) -> list[RateLimitItem]:
    return _parsed(current_app.config[setting])


@cache
def _parsed(text: str) -> list[RateLimitItem]:
    return parse_many(text)


def _spend(strategy: RateLimiter, limits: list[RateLimitItem], scope: str, key: str, message: str) -> None:
    for limit in limits:
        if not strategy.hit(limit, scope, key):
            reset_at, _remaining = strategy.get_window_stats(limit, scope, key)
            raise ApiError(
                429,
                "rate_limited",
                message,
                retry_after=max(1, math.ceil(reset_at - time.time())),
            )


def client_address() -> str:
    return "addr:" + (request.remote_addr or "unknown")


def caller_key() -> str:
    """The authenticated token (by id, never the token), else the client address."""
    token = authenticated_token()
    return f"token:{token.id}" if token is not None else client_address()


def get_throttle(app: Flask) -> Throttle:
    return app.extensions[_EXTENSION]


def _count_api_request() -> None:
    if request.path.startswith("/api/") and request.endpoint not in UNCOUNTED_ENDPOINTS:
        get_throttle(current_app).count_request()


def init_app(app: Flask) -> None:
    app.extensions[_EXTENSION] = Throttle(app.config["RATELIMIT_STORAGE_URI"])
    app.before_request(_count_api_request)
