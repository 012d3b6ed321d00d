"""The HTTP API under /api/v1."""
from flask import Blueprint

from ..auth import protect

api = Blueprint("api", __name__, url_prefix="/api/v1")
protect(api)

from . import health, labels, orders  # noqa: E402,F401  (routes register on import)
