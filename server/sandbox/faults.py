"""Fault injection and request counters for the two simulated APIs.

A fault matches calls by service, path glob (against the path inside the service, e.g.
`/api/orders*` or `/tenants/*/consignments/*`) and optionally method. When it fires it can:
- wait `latency_ms`, then let the call proceed (or fail, if it also has a `status`);
- hold the call `timeout_seconds` (`timeout: true`; default from settings) — long enough for a
  client's read timeout to expire — then let it proceed: the server did the work even though
  the client gave up, which is exactly the case a client must not retry blindly;
- answer `status` in that service's error shape, with `Retry-After: retry_after` if given
  (`status: 429` gets one by default), or with `body` as given — with `status: 200`, an answer
  in another reading of the API than the simulator's own (e.g. rates naming their carrier).
It fires with probability `rate` (seeded RNG, so runs repeat), for the next `count` matching calls
(None: unlimited), until epoch second `until` (None: forever). The first firing fault wins.
"""

import fnmatch
import itertools
import random
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any

SERVICES = ("starshipit", "cartoncloud")


@dataclass
class Fault:
    id: str
    service: str
    path: str
    method: str | None = None
    status: int | None = None
    rate: float = 1.0
    count: int | None = None
    latency_ms: int = 0
    timeout: bool = False
    timeout_seconds: float | None = None
    retry_after: int | None = None
    until: float | None = None
    message: str | None = None
    body: Any = None
    fired: int = 0

    def matches(self, service: str, method: str, path: str, now: float) -> bool:
        return (
            self.service == service
            and (self.method is None or self.method == method)
            and fnmatch.fnmatchcase(path, self.path)
            and (self.count is None or self.fired < self.count)
            and (self.until is None or now < self.until)
        )


def parse_fault(spec: Any, fault_id: str) -> Fault:
    """A Fault from the control API's JSON; ValueError with a readable message if malformed."""
    if not isinstance(spec, dict):
        raise ValueError("a fault is a JSON object")
    unknown = set(spec) - {f for f in Fault.__dataclass_fields__ if f not in ("id", "fired")}
    if unknown:
        raise ValueError(f"unknown fault fields: {', '.join(sorted(unknown))}")
    if spec.get("service") not in SERVICES:
        raise ValueError(f"service must be one of {', '.join(SERVICES)}")
    if not isinstance(spec.get("path"), str) or not spec["path"].startswith(("/", "*")):
        raise ValueError("path must be a glob starting with '/' or '*', e.g. /api/orders*")
    fault = Fault(id=fault_id, **spec)
    if fault.method is not None:
        fault.method = str(fault.method).upper()
    _check(
        fault.status is None
        or (isinstance(fault.status, int) and 400 <= fault.status <= 599)
        or (fault.status == 200 and fault.body is not None),
        "status must be an HTTP error status (400-599), or 200 with a body",
    )
    _check(isinstance(fault.rate, (int, float)) and 0 <= fault.rate <= 1, "rate must be between 0 and 1")
    _check(fault.count is None or (isinstance(fault.count, int) and fault.count >= 1), "count must be at least 1")
    _check(isinstance(fault.latency_ms, int) and fault.latency_ms >= 0, "latency_ms must be a whole number >= 0")
    _check(isinstance(fault.timeout, bool), "timeout must be true or false")
    _check(
        fault.timeout_seconds is None
        or (isinstance(fault.timeout_seconds, (int, float)) and fault.timeout_seconds > 0),
        "timeout_seconds must be positive",
    )
    _check(
        fault.retry_after is None or (isinstance(fault.retry_after, int) and fault.retry_after >= 0),
        "retry_after must be a whole number of seconds",
    )
    _check(fault.until is None or isinstance(fault.until, (int, float)), "until must be epoch seconds")
    _check(bool(fault.status or fault.latency_ms or fault.timeout), "a fault needs status, latency_ms or timeout")
    if fault.status == 429 and fault.retry_after is None:
        fault.retry_after = 1
    return fault


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


class FaultRegistry:
    def __init__(self, lock: threading.RLock, clock: Callable[[], float], seed: int):
        self._lock = lock
        self._clock = clock
        self._seed = seed
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._faults: list[Fault] = []
            self._ids = itertools.count(1)
            self._rng = random.Random(self._seed)

    def add(self, spec: dict) -> dict:
        """Register a fault from its JSON spec; returns it (with its `id`). Raises ValueError."""
        with self._lock:
            fault = parse_fault(spec, f"fault-{next(self._ids)}")
            self._faults.append(fault)
            return asdict(fault)

    def remove(self, fault_id: str) -> bool:
        with self._lock:
            before = len(self._faults)
            self._faults = [f for f in self._faults if f.id != fault_id]
            return len(self._faults) < before

    def clear(self) -> None:
        with self._lock:
            self._faults = []

    def list(self) -> list[dict]:
        with self._lock:
            return [asdict(f) for f in self._faults]

    def pick(self, service: str, method: str, path: str) -> Fault | None:
        """The fault that fires for this call, if any (counting it as fired)."""
        with self._lock:
            now = self._clock()
            for fault in self._faults:
                if fault.matches(service, method, path, now) and self._rng.random() < fault.rate:
                    fault.fired += 1
                    return Fault(**asdict(fault))
            return None


class RequestCounters:
    """Calls per service and "METHOD /path-template", separately those answered 429, and the
    Starshipit calls per account (by the API key they carry, refused or not)."""

    def __init__(self, lock: threading.RLock, starshipit_accounts: Iterable[str]):
        self._lock = lock
        self._account_names = tuple(starshipit_accounts)
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._calls: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
            self._limited: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
            self._by_account: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def count(self, service: str, endpoint: str, account: str | None = None) -> None:
        """Count a call; `account`: the Starshipit account it is for, when its key names one."""
        with self._lock:
            self._calls[service][endpoint] += 1
            if account is not None:
                self._by_account[account][endpoint] += 1

    def count_rate_limited(self, service: str, endpoint: str) -> None:
        with self._lock:
            self._limited[service][endpoint] += 1

    def snapshot(self) -> dict:
        """`{"starshipit": {...}, "cartoncloud": {...}, "rate_limited": {"starshipit": {...}, ...},
        "starshipit_by_account": {"demo": {...}, ...}}` (every account, counted or not)."""
        with self._lock:
            counts: dict[str, Any] = {service: dict(self._calls[service]) for service in SERVICES}
            counts["rate_limited"] = {service: dict(self._limited[service]) for service in SERVICES}
            counts["starshipit_by_account"] = {name: dict(self._by_account[name]) for name in self._account_names}
            return counts
