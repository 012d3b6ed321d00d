"""Every error the upstream clients raise, and the one table that picks the class for a status.

An error carries what a person needs to act on it — the service, the HTTP status, the upstream's
own words and its request id — and never a credential: the transport scrubs those before an error
is built, and ``body`` stays out of ``str``/``repr``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class UpstreamError(Exception):
    """A call to Starshipit or CartonCloud failed."""

    transient = False  # true when trying the same request again later may succeed

    def __init__(
        self,
        message: str,
        *,
        service: str,
        http_status: int | None = None,
        request_id: str | None = None,
        body: Any = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.service = service
        self.http_status = http_status
        self.request_id = request_id
        self.body = body
        self.retry_after = retry_after

    @property
    def retryable(self) -> bool:
        return self.transient

    def __str__(self) -> str:
        facts = [f"HTTP {self.http_status}"] if self.http_status is not None else []
        if self.request_id:
            facts.append(f"request id {self.request_id}")
        suffix = f" ({', '.join(facts)})" if facts else ""
        return f"{self.service}: {self.message}{suffix}"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(service={self.service!r}, http_status={self.http_status!r}, "
            f"message={self.message!r}, request_id={self.request_id!r})"
        )


class UpstreamTimeout(UpstreamError):
    transient = True


class UpstreamConnectionError(UpstreamError):
    transient = True


class UpstreamBadResponse(UpstreamError):
    """The answer was not JSON, or not the shape the API documents."""


class UpstreamAuthError(UpstreamError):
    """401/403: the credentials are wrong, expired or lack the permission."""


# What a refusal of the credentials is called wherever a person reads it (the connection test,
# a print, the workers): one sentence per service, the same everywhere.
CREDENTIALS_REFUSED = {
    "starshipit": "Starshipit refused the API key or subscription key",
    "cartoncloud": "CartonCloud refused the credentials",
}


def credentials_refused(error: UpstreamAuthError) -> str:
    return CREDENTIALS_REFUSED.get(error.service, f"{error.service} refused the credentials")


class UpstreamNotFound(UpstreamError):
    pass


class UpstreamConflict(UpstreamError):
    """409/412: the entity changed since it was read."""


class UpstreamRejected(UpstreamError):
    """400/422, or Starshipit's ``success: false``: the request itself was refused."""


class UpstreamRateLimited(UpstreamError):
    transient = True


class UpstreamUnavailable(UpstreamError):
    """5xx."""

    transient = True


ERROR_FOR_STATUS: dict[int, type[UpstreamError]] = {
    400: UpstreamRejected,
    401: UpstreamAuthError,
    403: UpstreamAuthError,
    404: UpstreamNotFound,
    409: UpstreamConflict,
    412: UpstreamConflict,
    422: UpstreamRejected,
    429: UpstreamRateLimited,
}


def error_class_for_status(status: int) -> type[UpstreamError]:
    if status >= 500:
        return UpstreamUnavailable
    return ERROR_FOR_STATUS.get(status, UpstreamError)


@dataclass(frozen=True)
class Failure:
    """What a service's answer says went wrong: the status that picks the class, and its words."""

    status: int
    message: str
