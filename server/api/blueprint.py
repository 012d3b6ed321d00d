"""The API's blueprint, under /api/v1: every request's path checked, then its token."""

from flask import Blueprint

from .auth import protect
from .bodies import refuse_unusable_path

api = Blueprint("api", __name__, url_prefix="/api/v1")
api.before_request(refuse_unusable_path)  # first: the refused-token audit would store the path
protect(api)
