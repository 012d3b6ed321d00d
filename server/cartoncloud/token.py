"""One OAuth2 access token, kept until shortly before it expires."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

MAX_REFRESH_MARGIN = 60.0


@dataclass(frozen=True)
class _Token:
    value: str = field(repr=False)
    refresh_at: float


class TokenCache:
    """``fetch()`` returns ``(access_token, expires_in_seconds)``; ``clock`` is monotonic seconds.

    Fetching happens under the lock so that threads arriving together share one token call.
    """

    def __init__(self, fetch: Callable[[], tuple[str, float]], clock: Callable[[], float]) -> None:
        self._fetch = fetch
        self._clock = clock
        self._token: _Token | None = None
        self._lock = threading.Lock()

    def get(self) -> str:
        with self._lock:
            if self._token is None or self._clock() >= self._token.refresh_at:
                fetched_at = self._clock()
                value, expires_in = self._fetch()
                # Refresh a little early so a token never expires on its way to CartonCloud.
                margin = min(MAX_REFRESH_MARGIN, expires_in / 10)
                self._token = _Token(value, fetched_at + expires_in - margin)
            return self._token.value

    def invalidate(self, value: str) -> None:
        """Forget ``value`` if it is still the cached token (another thread may have replaced it)."""
        with self._lock:
            if self._token is not None and self._token.value == value:
                self._token = None

    def __repr__(self) -> str:
        return f"TokenCache(cached={self._token is not None})"
