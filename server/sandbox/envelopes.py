"""The error bodies each real service sends, so every simulated failure looks like the real one.

Starshipit has two shapes (docs/starshipit-api-notes.md, "Envelope and errors"):
- its API answers `{"success": false, "errors": [{"message", "details"}]}`;
- the Azure API Management gateway in front of it answers `{"statusCode": N, "message": "..."}`
  for what it decides itself: subscription key (401), rate limit (429), unknown route (404) and
  backend trouble (5xx other than 500).
CartonCloud always answers a JSON array `[{"message": ...}]`, validation adds `field` and `type`.
"""

from flask import Response, jsonify

# Wording of Azure API Management's own responses, which Starshipit's gateway returns verbatim.
MISSING_SUBSCRIPTION_KEY = (
    "Access denied due to missing subscription key. "
    "Make sure to include subscription key when making requests to an API."
)
INVALID_SUBSCRIPTION_KEY = (
    "Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription."
)

_GATEWAY_STATUSES = {401, 403, 404, 405, 429, 502, 503, 504}

_STARSHIPIT_MESSAGES = {
    400: "The request is invalid.",
    401: INVALID_SUBSCRIPTION_KEY,
    403: "Forbidden",
    404: "Resource not found",
    405: "Method not allowed",
    409: "Conflict",
    422: "The request is invalid.",
    500: "An error has occurred.",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}

_CARTONCLOUD_MESSAGES = {
    400: "Bad Request",
    401: "Full authentication is required to access this resource",
    403: "Access is denied",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    409: "Conflict",
    412: "Precondition Failed",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


def starshipit_failure(status: int, message: str, details: str = "") -> Response:
    """Starshipit's own envelope: `success: false` with one error."""
    response = jsonify({"success": False, "errors": [{"message": message, "details": details}]})
    response.status_code = status
    return response


def starshipit_gateway(status: int, message: str) -> Response:
    """The API gateway's shape, used before a request reaches Starshipit itself."""
    response = jsonify({"statusCode": status, "message": message})
    response.status_code = status
    return response


def rate_limited_message(retry_after: int) -> str:
    return f"Rate limit is exceeded. Try again in {retry_after} seconds."


def cartoncloud_failure(status: int, message: str, *, field: str | None = None, kind: str | None = None) -> Response:
    """CartonCloud's array of errors; `field` and `kind` (sent as `type`) for validation."""
    error: dict[str, str] = {"message": message}
    if field is not None:
        error["field"] = field
    if kind is not None:
        error["type"] = kind
    response = jsonify([error])
    response.status_code = status
    return response


def service_failure(
    service: str, status: int, message: str | None = None, *, retry_after: int | None = None
) -> Response:
    """A failure of `status` in the shape `service` uses for it (faults, 404s, 405s).

    `retry_after` becomes the `Retry-After` header (and the gateway's 429 wording).
    """
    response = _failure_body(service, status, message, retry_after)
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response


def _failure_body(service: str, status: int, message: str | None, retry_after: int | None) -> Response:
    if service == "cartoncloud":
        return cartoncloud_failure(status, message or _CARTONCLOUD_MESSAGES.get(status, "Error"))
    text = message or _STARSHIPIT_MESSAGES.get(status, "An error has occurred.")
    if status == 429 and message is None:
        text = rate_limited_message(retry_after or 1)
    if status in _GATEWAY_STATUSES:
        return starshipit_gateway(status, text)
    return starshipit_failure(status, text)
