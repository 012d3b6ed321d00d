"""The HTTP API under /api/v1."""
from flask import Blueprint

from ..auth import protect
from .bodies import refuse_unusable_path

api = Blueprint("api", __name__, url_prefix="/api/v1")
api.before_request(refuse_unusable_path)  # first: the refused-token audit would store the path
protect(api)

from . import admin, batch, docs, health, labels, orders, printers, sync, troubleshooting, webhooks, workstation  # noqa: E402,F401  (routes register on import)
