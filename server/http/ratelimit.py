"""A token bucket per upstream key, shared by every client in the process."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable


class TokenBucket:
    """Hands out ``rate_per_second`` tokens a second, holding at most ``capacity``.

    A caller reserves its token under the lock and waits outside it, so threads queue in order
    without holding each other up while they sleep.
    """

    def __init__(
        self,
        rate_per_second: float,
        capacity: float = 1.0,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if rate_per_second <= 0 or capacity < 1:
            raise ValueError("rate_per_second must be positive and capacity at least 1")
        self.rate = rate_per_second
        self.capacity = capacity
        self._clock = clock
        self._tokens = capacity
        self._updated = clock()
        self._lock = threading.Lock()

    def reserve(self) -> float:
        """Take a token and return how many seconds to wait before using it."""
        with self._lock:
            now = self._clock()
            self._tokens = min(self.capacity, self._tokens + (now - self._updated) * self.rate)
            self._updated = now
            self._tokens -= 1
            return max(0.0, -self._tokens / self.rate)

    def acquire(self, sleep: Callable[[float], None] = time.sleep) -> None:
        """Block until a token is available."""
        wait = self.reserve()
        if wait > 0:
            sleep(wait)


_buckets: dict[tuple[str, float], TokenBucket] = {}
_buckets_lock = threading.Lock()


def bucket_for(key: str, rate: float) -> TokenBucket:
    """The process-wide bucket for one upstream key at one rate.

    Capacity 1: the gateway counts requests in a sliding second, so a burst on top of the rate
    would be answered with 429s. Keys are stored hashed so the registry holds no credential.
    """
    registry_key = (hashlib.sha256(key.encode()).hexdigest(), float(rate))
    with _buckets_lock:
        bucket = _buckets.get(registry_key)
        if bucket is None:
            bucket = _buckets[registry_key] = TokenBucket(rate)
        return bucket
