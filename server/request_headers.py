"""A request's headers, read straight from its WSGI environ."""

from __future__ import annotations

from flask import request


def request_header(name: str) -> str | None:
    """The request's header ``name``, or None when it has none. Werkzeug's ``request.headers.get``
    builds an HTTP exception, then catches it, for each header a request lacks; the hooks every
    request passes ask for headers most requests lack (Origin, X-Request-Id, Idempotency-Key),
    and those exceptions were a twentieth of a health check (cProfile)."""
    return request.environ.get("HTTP_" + name.upper().replace("-", "_"))


def has_json_body() -> bool:
    """Whether the request says its body is JSON (``request.is_json``, without the exception
    of a request that has no Content-Type at all)."""
    return bool(request.environ.get("CONTENT_TYPE")) and request.is_json
