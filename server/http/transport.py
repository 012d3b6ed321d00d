"""The one place both clients send HTTP requests through.

Here, and nowhere else: rate limiting, timeouts, turning every failure into an ``UpstreamError``,
retrying what is safe to retry, and keeping credentials out of errors and logs.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import requests

from server import metrics
from server.http.errors import (
    Failure,
    UpstreamBadResponse,
    UpstreamConnectionError,
    UpstreamError,
    UpstreamTimeout,
    error_class_for_status,
)
from server.http.ratelimit import TokenBucket
from server.http.retry import RetryPolicy, backoff_delay, parse_retry_after, should_retry

log = logging.getLogger(__name__)

Timeout = float | tuple[float, float]
FailureReader = Callable[[int, Any], Failure | None]
"""Reads a service's JSON answer: the failure it reports, or None when it reports success."""

REQUEST_ID_HEADERS = ("X-Request-Id", "Request-Id", "x-ms-request-id", "apim-request-id")
SECRET_HEADERS = frozenset({"authorization", "starshipit-api-key", "ocp-apim-subscription-key"})
REDACTED = "[redacted]"
DEFAULT_TIMEOUT: Timeout = (3.0, 20.0)


@dataclass(frozen=True)
class Reply:
    """A successful answer: status, decoded JSON body (None when empty; the bytes when asked
    for ``raw``) and headers."""

    service: str
    status: int
    body: Any
    headers: Mapping[str, str]
    request_id: str | None

    def field(self, name: str) -> Any:
        """``body[name]``, or UpstreamBadResponse when the answer lacks it."""
        if not isinstance(self.body, dict) or name not in self.body:
            raise self.bad_response(f"the answer has no {name!r}")
        return self.body[name]

    def bad_response(self, message: str) -> UpstreamBadResponse:
        """The error for a 2xx answer whose content is not what the API documents."""
        return UpstreamBadResponse(message, service=self.service, http_status=self.status, request_id=self.request_id)


def session_for(base_url: str) -> requests.Session:
    """A session for one base URL that takes its proxy (``HTTPS_PROXY``, ``NO_PROXY``…) and CA
    bundle (``REQUESTS_CA_BUNDLE``) from the environment once, when the client is made. requests
    would read them again for every call (``trust_env``), scanning every environment variable:
    about 0.4 ms of CPU of each upstream call on this project's machine."""
    session = requests.Session()
    settings = session.merge_environment_settings(base_url, {}, None, None, None)  # requests' own reading
    session.proxies, session.verify = settings["proxies"], settings["verify"]
    session.trust_env = False
    return session


class Transport:
    """Sends requests to one service's base URL."""

    def __init__(
        self,
        service: str,
        base_url: str,
        *,
        read_failure: FailureReader,
        timeout: Timeout = DEFAULT_TIMEOUT,
        session: requests.Session | None = None,
        retry: RetryPolicy = RetryPolicy(),
        sleep: Callable[[float], None] = time.sleep,
        rng: Callable[[], float] = random.random,
        bucket: TokenBucket | None = None,
    ) -> None:
        self.service = service
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = session or session_for(self.base_url)
        self.retry = retry
        self._read_failure = read_failure
        self._sleep = sleep
        self._rng = rng
        self._bucket = bucket

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        safe: bool | None = None,
        raw: bool = False,
    ) -> Reply:
        """Send one request, retrying as ``should_retry`` allows; raise UpstreamError on failure.

        ``safe`` says the request changes nothing upstream (default: only GET does); ``raw``
        answers a file: a successful body is its bytes, not JSON.
        """
        safe = method == "GET" if safe is None else safe
        secrets = _secrets(headers, auth)
        send = {"params": params, "json": json, "data": data, "headers": headers, "auth": auth}
        attempt = 1
        while True:
            try:
                return self._send_once(method, path, send, secrets, raw)
            except UpstreamError as error:
                if attempt >= self.retry.max_attempts or not should_retry(safe, error):
                    raise
                delay = backoff_delay(
                    attempt,
                    error.retry_after,
                    self._rng,
                    base_delay=self.retry.base_delay,
                    max_delay=self.retry.max_delay,
                )
                if delay > self.retry.max_delay:
                    raise  # asked to wait longer than a request may block: the caller reschedules
                log.warning("%s %s %s failed: %s; retry in %.2fs", self.service, method, path, error, delay)
                metrics.upstream_retried(self.service)
                self._sleep(delay)
                attempt += 1

    def _send_once(self, method: str, path: str, send: dict[str, Any], secrets: list[str], raw: bool) -> Reply:
        if self._bucket is not None:
            self._bucket.acquire(self._sleep)
        started = time.monotonic()
        try:
            response = self.session.request(method, self.base_url + path, timeout=self.timeout, **send)
        except requests.Timeout as exc:
            metrics.upstream_answered(self.service, method, path, "timeout", None)
            log.warning("%s %s %s -> no answer within %s", self.service, method, path, _describe(self.timeout))
            raise UpstreamTimeout(f"no answer within {_describe(self.timeout)}", service=self.service) from exc
        except requests.ConnectionError as exc:
            metrics.upstream_answered(self.service, method, path, "connection_error", None)
            log.warning(
                "%s %s %s -> connection failed after %.3fs", self.service, method, path, time.monotonic() - started
            )
            raise UpstreamConnectionError(f"could not connect to {self.base_url}", service=self.service) from exc
        except requests.RequestException as exc:
            raise UpstreamError(f"request failed ({type(exc).__name__})", service=self.service) from exc
        request_id = next((response.headers[h] for h in REQUEST_ID_HEADERS if h in response.headers), None)
        elapsed = time.monotonic() - started
        metrics.upstream_answered(self.service, method, path, response.status_code, elapsed)
        log.info(
            "%s %s %s -> %s in %.3fs (request id %s)",
            self.service,
            method,
            path,
            response.status_code,
            elapsed,
            request_id,
        )
        return self._reply(response, request_id, secrets, raw)

    def _reply(self, response: requests.Response, request_id: str | None, secrets: list[str], raw: bool) -> Reply:
        status = response.status_code
        if raw and status < 300:
            return Reply(self.service, status, response.content, response.headers, request_id)
        try:
            body, is_json = (response.json() if response.content else None), True
        except ValueError:
            body, is_json = _scrub(response.text, secrets), False
        failure = self._read_failure(status, body) if is_json else None
        if failure is None and status >= 400:
            failure = Failure(status, _plain_message(response, body))
        if failure is not None:
            error_class, message = error_class_for_status(failure.status), failure.message
        elif not is_json:
            error_class, message = UpstreamBadResponse, f"expected JSON, got {_content_type(response)}"
        else:
            return Reply(self.service, status, body, response.headers, request_id)
        raise error_class(
            _scrub(message, secrets) or f"HTTP {status}",
            service=self.service,
            http_status=status,
            request_id=request_id,
            body=_scrub(body, secrets),
            retry_after=parse_retry_after(response.headers.get("Retry-After")),
        )


def _secrets(headers: Mapping[str, str] | None, auth: tuple[str, str] | None) -> list[str]:
    """The credential values this request carries, in every form an upstream might echo."""
    values = [auth[1]] if auth else []
    for name, value in (headers or {}).items():
        if name.lower() in SECRET_HEADERS:
            values += [value, value.split()[-1]] if value.strip() else []
    return [v for v in values if v]


def _scrub(value: Any, secrets: Iterable[str]) -> Any:
    if isinstance(value, str):
        for secret in secrets:
            value = value.replace(secret, REDACTED)
        return value
    if isinstance(value, dict):
        return {k: _scrub(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v, secrets) for v in value]
    return value


def _plain_message(response: requests.Response, body: Any) -> str:
    """An error message for an answer the service's reader did not understand."""
    if isinstance(body, str) and body.strip() and "html" not in _content_type(response):
        return " ".join(body.split())[:300]
    return f"HTTP {response.status_code} {response.reason or ''}".strip()


def _content_type(response: requests.Response) -> str:
    return response.headers.get("Content-Type") or "no content type"


def _describe(timeout: Timeout) -> str:
    if isinstance(timeout, tuple):
        return f"{timeout[0]:g} s to connect / {timeout[1]:g} s to read"
    return f"{timeout:g} s"
