"""The one JSON error shape of the API, and the handlers that produce it.

Every non-2xx answer under /api/ is ``{"code", "status", "message", "errors"?}``: ``message`` is a
sentence a packer can act on, ``errors`` maps fields to their messages when fields are at fault.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, jsonify, request
from marshmallow import ValidationError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from .crypto import SecretsError
from .failures import Conflict, Failure, Forbidden, Invalid, NotFound, Refused, Unauthenticated, Unavailable

log = logging.getLogger(__name__)


class ApiError(Exception):
    """An error the API answers with; raise it from views and services."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        errors: dict[str, Any] | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors
        self.retry_after = retry_after

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "status": self.status, "message": self.message}
        if self.errors:
            body["errors"] = self.errors
        return body


def error_response(error: ApiError):
    response = jsonify(error.to_dict())
    response.status_code = error.status
    if error.retry_after is not None:
        response.headers["Retry-After"] = str(max(1, round(error.retry_after)))
    return response


_HTTP_CODES = {
    400: ("bad_request", "The request could not be read."),
    401: ("unauthorized", "A valid API token is required."),
    403: ("forbidden", "This request is not allowed."),
    404: ("not_found", "There is nothing at this address."),
    405: ("method_not_allowed", "This method is not allowed here."),
    413: ("payload_too_large", "The request body is too large."),
    415: ("unsupported_media_type", "Send the body as application/json."),
    429: ("rate_limited", "Too many requests; try again shortly."),
}


# The status the API answers each kind of domain failure with.
FAILURE_STATUSES = {
    Unauthenticated: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    Invalid: 422,
    Refused: 502,
    Unavailable: 503,
}


def from_failure(failure: Failure) -> ApiError:
    status = next(code for kind, code in FAILURE_STATUSES.items() if isinstance(failure, kind))
    return ApiError(status, failure.code, failure.message, errors=failure.errors, retry_after=failure.retry_after)


def _from_http_exception(error: HTTPException) -> ApiError:
    status = error.code or 500
    code, message = _HTTP_CODES.get(status, ("http_error", error.description or "Request failed."))
    return ApiError(status, code, message)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def handle_api_error(error: ApiError):
        return error_response(error)

    @app.errorhandler(Failure)
    def handle_failure(failure: Failure):
        return error_response(from_failure(failure))

    @app.errorhandler(DBAPIError)
    def handle_database_unavailable(error: DBAPIError):
        """The database dropped the connection (a restart, a failover) or is locked: a retryable
        503. SQLAlchemy then replaces every connection of the pool, and one that sat idle is
        checked before use (``server/db.py``), so the next request gets a fresh one. What was
        committed before stays; a print continues from it. (A dropped connection can surface as
        another driver error: SQLAlchemy then marks it invalidated.) Any other database error is
        unexpected."""
        if not (isinstance(error, (OperationalError, InterfaceError)) or error.connection_invalidated):
            return handle_unexpected(error)
        log.warning("database unavailable: %s", str(error).splitlines()[0])
        return error_response(
            ApiError(
                503,
                "database_unavailable",
                "labelbridge lost its connection to its database for a moment; try again in a few seconds.",
                retry_after=2,
            )
        )

    @app.errorhandler(ValidationError)
    def handle_validation_error(error: ValidationError):
        messages = error.messages if isinstance(error.messages, dict) else {"_schema": error.messages}
        return error_response(ApiError(422, "validation_error", "The request has invalid fields.", errors=messages))

    @app.errorhandler(SecretsError)
    def handle_secrets_error(error: SecretsError):
        log.error("stored secrets unreadable: %s", error)
        return error_response(
            ApiError(
                503,
                "secrets_unavailable",
                "labelbridge cannot decrypt its stored Starshipit or CartonCloud keys with the configured encryption "
                "keys (LABELBRIDGE_SECRET_KEYS or the instance key file): an administrator must restore the right key.",
            )
        )

    @app.errorhandler(HTTPException)
    def handle_http_exception(error: HTTPException):
        if not request.path.startswith("/api/"):
            return error
        response = error_response(_from_http_exception(error))
        if isinstance(error, MethodNotAllowed) and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods)  # RFC 9110 requires it on a 405
        return response

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(
            ApiError(500, "internal_error", "labelbridge hit an unexpected error; it has been logged.")
        )
