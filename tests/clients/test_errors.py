"""The one status table, and what an error shows of itself."""

from __future__ import annotations

import pytest

from server.http import errors


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, errors.UpstreamRejected),
        (401, errors.UpstreamAuthError),
        (403, errors.UpstreamAuthError),
        (404, errors.UpstreamNotFound),
        (405, errors.UpstreamError),
        (409, errors.UpstreamConflict),
        (412, errors.UpstreamConflict),
        (422, errors.UpstreamRejected),
        (429, errors.UpstreamRateLimited),
        (500, errors.UpstreamUnavailable),
        (503, errors.UpstreamUnavailable),
    ],
)
def test_status_table(status, error_class):
    assert errors.error_class_for_status(status) is error_class


def test_error_shows_service_words_status_and_request_id_but_not_body():
    error = errors.UpstreamRejected(
        "Order number is required",
        service="starshipit",
        http_status=400,
        request_id="req-1",
        body={"private": "body"},
    )
    assert str(error) == "starshipit: Order number is required (HTTP 400, request id req-1)"
    assert "private" not in repr(error)
    assert repr(error) == (
        "UpstreamRejected(service='starshipit', http_status=400, "
        "message='Order number is required', request_id='req-1')"
    )


@pytest.mark.parametrize(
    ("error_class", "retryable"),
    [
        (errors.UpstreamRateLimited, True),
        (errors.UpstreamUnavailable, True),
        (errors.UpstreamTimeout, True),
        (errors.UpstreamConnectionError, True),
        (errors.UpstreamRejected, False),
        (errors.UpstreamBadResponse, False),
        (errors.UpstreamError, False),
    ],
)
def test_retryable(error_class, retryable):
    assert error_class("x", service="cartoncloud").retryable is retryable
