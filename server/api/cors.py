"""CORS for the configured extension origins only."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask, Response, request
from flask_cors import CORS

from ..access import allowed_origins

# A compiled pattern is matched as it is; a string would be tested for regex characters first,
# on every response.
_API_PATHS = re.compile(r"/api/")


def init_app(app: Flask) -> None:
    # always_send=False: a request without an Origin (a script, a health probe, the extension's
    # own worker when the browser does no CORS check) gets no CORS headers, so it is not told
    # which extension origins are allowed; and flask-cors's pass over its answer is skipped.
    registered = list(app.after_request_funcs.get(None, ()))
    CORS(
        app,
        resources={_API_PATHS: {"origins": list(allowed_origins(app.config))}},
        allow_headers=["Authorization", "Content-Type", "Idempotency-Key"],
        expose_headers=["Retry-After"],
        max_age=600,
        always_send=False,
    )
    app.after_request_funcs[None] = [
        hook if hook in registered else _only_with_origin(hook) for hook in app.after_request_funcs[None]
    ]


def _only_with_origin(cors_after_request: Callable[[Response], Response]) -> Callable[[Response], Response]:
    """flask-cors's after-request pass, for requests that carry an Origin. For one without, it
    adds nothing (always_send=False) but still reads two absent headers and matches the path: a
    tenth of a health check's time in-process (tests/benchmarks/profile_requests.py)."""

    def after_request(response: Response) -> Response:
        return cors_after_request(response) if "HTTP_ORIGIN" in request.environ else response

    return after_request
