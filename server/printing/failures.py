"""Upstream failures as API errors a packer can act on, in the upstream's own words."""
from __future__ import annotations

from ..errors import ApiError
from ..upstream.errors import (
    UpstreamAuthError,
    UpstreamError,
    UpstreamNotFound,
    UpstreamRateLimited,
    UpstreamRejected,
    credentials_refused,
)

SERVICE_NAMES = {"starshipit": "Starshipit", "cartoncloud": "CartonCloud"}
DEFAULT_RETRY_AFTER = 5.0


def api_error_from_upstream(error: UpstreamError, doing: str) -> ApiError:
    """``doing`` completes "while …", e.g. "printing the label"."""
    service = SERVICE_NAMES.get(error.service, error.service)
    upstream_words = error.message or "no reason given"
    if isinstance(error, UpstreamRejected):
        return ApiError(502, "upstream_rejected", f"{service} refused {doing}: {upstream_words}")
    if isinstance(error, UpstreamAuthError):
        return ApiError(
            502,
            "upstream_auth",
            f"{credentials_refused(error)} while {doing}; ask whoever set up labelbridge to check the keys.",
        )
    if isinstance(error, UpstreamNotFound):
        return ApiError(502, "upstream_not_found", f"{service} could not find it while {doing}: {upstream_words}")
    retry_after = error.retry_after or DEFAULT_RETRY_AFTER
    if isinstance(error, UpstreamRateLimited):
        message = f"{service} is busy (rate limit reached) while {doing}; try again in a few seconds."
    else:
        message = f"{service} is not answering properly while {doing} ({upstream_words}); try again shortly."
    return ApiError(503, "upstream_unavailable", message, retry_after=retry_after)
