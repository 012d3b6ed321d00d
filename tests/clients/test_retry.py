"""The retry decision, the backoff delay and Retry-After parsing, without any HTTP."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from server.http import errors
from server.http.retry import backoff_delay, parse_retry_after, should_retry

NOW = datetime(2025, 6, 20, 10, 0, 0, tzinfo=UTC)


def error(cls: type[errors.UpstreamError]) -> errors.UpstreamError:
    return cls("words", service="starshipit")


@pytest.mark.parametrize(
    ("error_class", "safe", "expected"),
    [
        (errors.UpstreamRateLimited, False, True),  # refused, so even a label POST goes again
        (errors.UpstreamRateLimited, True, True),
        (errors.UpstreamUnavailable, True, True),
        (errors.UpstreamTimeout, True, True),
        (errors.UpstreamConnectionError, True, True),
        (errors.UpstreamUnavailable, False, False),  # the POST may have created a shipment
        (errors.UpstreamTimeout, False, False),
        (errors.UpstreamConnectionError, False, False),
        (errors.UpstreamRejected, True, False),
        (errors.UpstreamAuthError, True, False),
        (errors.UpstreamNotFound, True, False),
        (errors.UpstreamConflict, True, False),
        (errors.UpstreamBadResponse, True, False),
    ],
)
def test_should_retry(error_class, safe, expected):
    assert should_retry(safe, error(error_class)) is expected


@pytest.mark.parametrize(
    ("attempt", "pick", "expected"),
    [(1, 1.0, 1.0), (2, 1.0, 2.0), (3, 1.0, 4.0), (3, 0.25, 1.0), (6, 1.0, 10.0), (6, 0.0, 0.0)],
)
def test_backoff_is_exponential_with_full_jitter_and_capped(attempt, pick, expected):
    assert backoff_delay(attempt, None, lambda: pick, base_delay=1.0, max_delay=10.0) == expected


def test_retry_after_wins_over_backoff():
    assert backoff_delay(1, 7.0, lambda: 1.0, base_delay=1.0, max_delay=10.0) == 7.0


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("3", 3.0),
        (" 2 ", 2.0),
        ("1.5", 1.5),
        ("Fri, 20 Jun 2025 10:00:05 GMT", 5.0),
        ("Fri, 20 Jun 2025 09:59:00 GMT", 0.0),  # a date already past means "now"
        (None, None),
        ("", None),
        ("soon", None),
    ],
)
def test_parse_retry_after(header, expected):
    assert parse_retry_after(header, now=NOW) == expected
