"""CORS for the configured extension origins only."""

from __future__ import annotations

import re

from flask import Flask
from flask_cors import CORS

from ..access import allowed_origins

# A compiled pattern is matched as it is; a string would be tested for regex characters first,
# on every response.
_API_PATHS = re.compile(r"/api/")


def init_app(app: Flask) -> None:
    # always_send=False: a request without an Origin (a script, a health probe, the extension's
    # own worker when the browser does no CORS check) gets no CORS headers, so it is not told
    # which extension origins are allowed, and its answer costs no CORS work.
    CORS(
        app,
        resources={_API_PATHS: {"origins": list(allowed_origins(app.config))}},
        allow_headers=["Authorization", "Content-Type", "Idempotency-Key"],
        expose_headers=["Retry-After"],
        max_age=600,
        always_send=False,
    )
