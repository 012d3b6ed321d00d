"""The request's services, built from the app, the saved settings and the caller's token."""

from collections.abc import Mapping
from typing import Any

from flask import current_app, g, request

from .. import settings
from ..cache import get_cache
from ..clients import get_upstreams
from ..db import get_session
from ..orders.bench import Bench
from ..orders.service import PrintService

_RUNTIME_CONFIG = "labelbridge.runtime_config"


def runtime_config() -> Mapping[str, Any]:
    """The app's config with the saved settings on top, read once per request (kept on the
    request, not on ``g``: an app context can outlive a request, and a change saved by one
    request must reach the next)."""
    if _RUNTIME_CONFIG not in request.environ:
        saved = get_cache(current_app).stamped("settings", settings.stored)  # server/cache.py
        request.environ[_RUNTIME_CONFIG] = settings.on_top(saved, current_app.config)
    return request.environ[_RUNTIME_CONFIG]


def print_service() -> PrintService:
    return PrintService(get_session(), get_upstreams(current_app), runtime_config(), g.get("token_name"))


def bench() -> Bench:
    """The caller's workstation: printing with its preferences and printer."""
    return Bench(get_session(), get_upstreams(current_app), runtime_config(), g.token_name, get_cache(current_app))
