"""The HTTP API under /api/v1."""
from flask import Blueprint

from ..auth import protect

api = Blueprint("api", __name__, url_prefix="/api/v1")
protect(api)

from . import admin, health, labels, orders, sync, webhooks  # noqa: E402,F401  (routes register on import)
