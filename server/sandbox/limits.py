"""Rate limiters of the simulated services, on the sandbox's (injectable) clock.

- Starshipit: a token bucket per subscription key (developer tier 2/s, production 20/s).
- CartonCloud: order create, 30 requests in any 60 seconds per API user.
Both only decide; they never sleep.
"""

import math
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class TokenBucket:
    """`rate` tokens per second, at most `capacity` saved up."""

    rate: float
    capacity: float
    clock: Callable[[], float]
    tokens: float = field(init=False)
    updated: float = field(init=False)

    def __post_init__(self) -> None:
        self.tokens = self.capacity
        self.updated = self.clock()

    def take(self) -> int | None:
        """Take a token: None when allowed, else whole seconds to wait (at least 1)."""
        now = self.clock()
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return None
        return max(1, math.ceil((1 - self.tokens) / self.rate))


class BucketsPerKey:
    """One token bucket per key, all with the same settings (changing them refills all)."""

    def __init__(self, lock: threading.RLock, clock: Callable[[], float], rate: float, capacity: float | None = None):
        self._lock = lock
        self._clock = clock
        self._buckets: dict[str, TokenBucket] = {}
        self.configure(rate, capacity)

    def configure(self, rate: float, capacity: float | None = None) -> None:
        if rate <= 0 or (capacity is not None and capacity < 1):
            raise ValueError("rate must be positive and burst at least 1")
        with self._lock:
            # A burst of one second's worth, as an API gateway's per-second quota allows.
            self.rate = float(rate)
            self.capacity = float(capacity) if capacity is not None else max(1.0, self.rate)
            self._buckets.clear()

    def take(self, key: str) -> int | None:
        """None when the call may go ahead, else whole seconds to wait."""
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = self._buckets[key] = TokenBucket(self.rate, self.capacity, self._clock)
            return bucket.take()


class SlidingWindowPerKey:
    """At most `limit` calls per key in any `window` seconds (the caller holds the lock)."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float]):
        self.limit = limit
        self.window = window
        self._clock = clock
        self._calls: dict[str, deque[float]] = {}

    def take(self, key: str) -> int | None:
        """Record a call: None when allowed, else whole seconds until one is (at least 1)."""
        now = self._clock()
        calls = self._calls.setdefault(key, deque())
        while calls and calls[0] <= now - self.window:
            calls.popleft()
        if len(calls) >= self.limit:
            return max(1, math.ceil(calls[0] + self.window - now))
        calls.append(now)
        return None
