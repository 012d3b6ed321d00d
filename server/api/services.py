"""The request's services, built from the app and the caller's token."""
from flask import current_app, g

from ..db import get_session
from ..printing.service import PrintService
from ..upstreams import get_upstreams


def print_service() -> PrintService:
    return PrintService(get_session(), get_upstreams(current_app), current_app.config, g.get("token_name"))
