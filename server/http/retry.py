"""When to try a request again, and how long to wait first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from server.http.errors import UpstreamError, UpstreamRateLimited


@dataclass(frozen=True)
class RetryPolicy:
    """``max_attempts`` counts the first try; no single wait is longer than ``max_delay`` seconds."""

    max_attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 20.0


def should_retry(method_is_safe: bool, error: UpstreamError) -> bool:
    """Retry a refused request always, a safe one on transient failures, anything else never.

    A 429 means the request was turned away before any work was done, so even a label-creating
    POST may be sent again. After a 5xx, a timeout or a dropped connection a POST may have
    created a shipment we never heard about: sending it again could print a second label.
    """
    if isinstance(error, UpstreamRateLimited):
        return True
    return method_is_safe and error.retryable


def backoff_delay(
    attempt: int,
    retry_after: float | None,
    rng: Callable[[], float],
    *,
    base_delay: float = RetryPolicy.base_delay,
    max_delay: float = RetryPolicy.max_delay,
) -> float:
    """Seconds to wait after failed attempt number ``attempt`` (1-based).

    The server's ``Retry-After`` wins when given; otherwise exponential backoff with full jitter
    (a uniform pick between 0 and the capped exponential), so clients that failed together
    do not come back together.
    """
    if retry_after is not None:
        return retry_after
    return rng() * min(max_delay, base_delay * 2 ** (attempt - 1))


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds from now: it is either delay-seconds or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass  # not a number of seconds: an HTTP date
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
