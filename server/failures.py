"""Why something asked of labelbridge cannot be done, in words a packer can act on.

These are the domain's errors: the order core, the accounts, the batch and the sync raise them,
and know nothing of HTTP. The API answers each kind with its status (``server/errors.py``), the
CLI prints the message, and a batch records it against its order.
"""

from __future__ import annotations

from typing import Any

from .http.errors import (
    UpstreamAuthError,
    UpstreamError,
    UpstreamNotFound,
    UpstreamRateLimited,
    UpstreamRejected,
    credentials_refused,
)

SERVICE_NAMES = {"starshipit": "Starshipit", "cartoncloud": "CartonCloud"}
DEFAULT_RETRY_AFTER = 5.0


class Failure(Exception):
    """``code`` for programs, ``message`` for people, ``errors`` per field when fields are at
    fault, ``retry_after`` (seconds) when trying again later will do."""

    def __init__(
        self, code: str, message: str, errors: dict[str, Any] | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.errors = errors
        self.retry_after = retry_after


class Unauthenticated(Failure):
    """The caller did not prove who it is (a webhook's secret or signature)."""


class Forbidden(Failure):
    """The caller may not do this (or it is switched off)."""


class NotFound(Failure):
    """What was named does not exist (a sale order, a label, an account)."""


class Conflict(Failure):
    """Not now, or not like this: someone else is working on it, or it changed meanwhile."""


class Invalid(Failure):
    """What was asked cannot be done as asked: a field, a setting or the sale order itself."""


class Refused(Failure):
    """Starshipit or CartonCloud refused, in its own words (or refused labelbridge's keys)."""


class Unavailable(Failure):
    """Not possible right now, through nobody's fault in the request: try again later."""


def from_upstream(error: UpstreamError, doing: str) -> Failure:
    """The upstream failure in words; ``doing`` completes "while …", e.g. "printing the label"."""
    service = SERVICE_NAMES.get(error.service, error.service)
    upstream_words = error.message or "no reason given"
    if isinstance(error, UpstreamRejected):
        return Refused("upstream_rejected", f"{service} refused {doing}: {upstream_words}")
    if isinstance(error, UpstreamAuthError):
        return Refused(
            "upstream_auth",
            f"{credentials_refused(error)} while {doing}; ask whoever set up labelbridge to check the keys.",
        )
    if isinstance(error, UpstreamNotFound):
        return Refused("upstream_not_found", f"{service} could not find it while {doing}: {upstream_words}")
    retry_after = error.retry_after or DEFAULT_RETRY_AFTER
    if isinstance(error, UpstreamRateLimited):
        message = f"{service} is busy (rate limit reached) while {doing}; try again in a few seconds."
    else:
        message = f"{service} is not answering properly while {doing} ({upstream_words}); try again shortly."
    return Unavailable("upstream_unavailable", message, retry_after=retry_after)
