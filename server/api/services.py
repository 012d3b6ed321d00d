"""The request's services, built from the app, the saved settings and the caller's token."""
from collections.abc import Mapping
from typing import Any

from flask import current_app, g

from .. import settings
from ..db import get_session
from ..printing.service import PrintService
from ..upstreams import get_upstreams


def runtime_config() -> Mapping[str, Any]:
    """The app's config with the saved settings on top, read once per request."""
    if "runtime_config" not in g:
        session = get_session()
        g.runtime_config = settings.runtime_config(session, current_app.config)
        session.commit()
    return g.runtime_config


def print_service() -> PrintService:
    return PrintService(get_session(), get_upstreams(current_app), runtime_config(), g.get("token_name"))
