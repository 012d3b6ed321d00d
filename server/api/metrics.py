"""GET /metrics: Prometheus' text format, outside /api/v1 and its tokens. It needs its own token
(LABELBRIDGE_METRICS_TOKEN, sent as a bearer token) so a scraper never holds a token that prints;
without one set, /metrics is off (404)."""

from __future__ import annotations

import hmac

from flask import Blueprint, Response, current_app, request
from prometheus_client import CONTENT_TYPE_LATEST

from ..db import get_database
from ..errors import ApiError
from ..observability import exposition

metrics_endpoint = Blueprint("metrics", __name__)


@metrics_endpoint.get("/metrics")
def scrape():
    """Counters of every process and the database's queue gauges. 404 when metrics are off, 401
    without the metrics token."""
    expected = current_app.config["METRICS_TOKEN"]
    if not expected:
        raise ApiError(404, "not_found", "Metrics are off: set LABELBRIDGE_METRICS_TOKEN to serve them.")
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(presented.strip().encode(), expected.encode()):
        raise ApiError(401, "unauthorized", "Send the metrics token as 'Authorization: Bearer <token>'.")
    return Response(exposition(get_database(current_app).sessions), mimetype=CONTENT_TYPE_LATEST)
