"""All the sandbox's in-memory state behind one lock, and its settings.

Settings (Flask config keys; also LABELBRIDGE_SANDBOX_* in the environment):
- SANDBOX_STARSHIPIT_RATE_PER_SECOND (20) and SANDBOX_STARSHIPIT_RATE_BURST (one second's worth)
- SANDBOX_STARSHIPIT_ACCOUNTS (None = demo, second, no-couriers): a list of account dicts, see accounts.py
- SANDBOX_CARTONCLOUD_TOKEN_LIFETIME (3600 s), SANDBOX_CARTONCLOUD_CREATES_PER_MINUTE (30)
- SANDBOX_CARTONCLOUD_CONSIGNMENTS (True): generate a consignment for every non-draft order
- SANDBOX_CARTONCLOUD_NUMERIC_SEARCH (True): False refuses NumericComparisonCondition (400)
- SANDBOX_SEED (True), SANDBOX_SEED_ANCHOR (None = now; ISO string or datetime)
- SANDBOX_RANDOM_SEED (0): the fault RNG; SANDBOX_TIMEOUT_SECONDS (30): hold of `timeout` faults
- SANDBOX_CLOCK (time.time): epoch seconds; tests pass their own to move time without sleeping
- the ⚠ readings (not-found status, shipped rows, date-time searches, strict create): options.py
"""

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from server.sandbox.accounts import DEFAULT_ACCOUNTS, StarshipitAccount, StarshipitAccounts, parse_accounts
from server.sandbox.cartoncloud_store import CartonCloudOptions, CartonCloudStore
from server.sandbox.faults import FaultRegistry, RequestCounters
from server.sandbox.limits import BucketsPerKey
from server.sandbox.options import SandboxOptions
from server.sandbox.starshipit_store import StarshipitStore
from server.sandbox.timeutil import from_epoch, parse_timestamp


@dataclass(frozen=True)
class SandboxSettings:
    starshipit_rate_per_second: float = 20.0
    starshipit_rate_burst: float | None = None
    starshipit_accounts: tuple[StarshipitAccount, ...] = DEFAULT_ACCOUNTS
    cartoncloud: CartonCloudOptions = field(default_factory=CartonCloudOptions)
    seed_anchor: datetime | None = None
    random_seed: int = 0
    timeout_seconds: float = 30.0
    options: SandboxOptions = SandboxOptions()

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> "SandboxSettings":
        anchor = config.get("SANDBOX_SEED_ANCHOR")
        accounts = config.get("SANDBOX_STARSHIPIT_ACCOUNTS")
        return cls(
            starshipit_rate_per_second=float(config.get("SANDBOX_STARSHIPIT_RATE_PER_SECOND", 20)),
            starshipit_rate_burst=config.get("SANDBOX_STARSHIPIT_RATE_BURST"),
            starshipit_accounts=DEFAULT_ACCOUNTS if accounts is None else parse_accounts(accounts),
            cartoncloud=CartonCloudOptions(
                token_lifetime=int(config.get("SANDBOX_CARTONCLOUD_TOKEN_LIFETIME", 3600)),
                creates_per_minute=int(config.get("SANDBOX_CARTONCLOUD_CREATES_PER_MINUTE", 30)),
                consignments=bool(config.get("SANDBOX_CARTONCLOUD_CONSIGNMENTS", True)),
                numeric_search=bool(config.get("SANDBOX_CARTONCLOUD_NUMERIC_SEARCH", True)),
                seed=bool(config.get("SANDBOX_SEED", True)),
            ),
            seed_anchor=parse_timestamp(anchor) if isinstance(anchor, str) else anchor,
            random_seed=int(config.get("SANDBOX_RANDOM_SEED", 0)),
            timeout_seconds=float(config.get("SANDBOX_TIMEOUT_SECONDS", 30.0)),
            options=SandboxOptions.from_config(config),
        )


class SandboxState:
    """The simulators' data. Parts, each safe to call from any thread:

    - `starshipit` (StarshipitStore), `cartoncloud` (CartonCloudStore)
    - `starshipit_accounts` (StarshipitAccounts; fixed for the app's life, reset keeps them)
    - `faults` (FaultRegistry), `counters` (RequestCounters), `starshipit_limits` (BucketsPerKey)
    - `options` (SandboxOptions): the readings in force; `set_options` changes them until a reset
    The methods below are the short names tests and the demo use most.
    """

    def __init__(self, settings: SandboxSettings, clock: Callable[[], float] = time.time):
        self.settings = settings
        self.clock = clock
        self.lock = threading.RLock()
        self._released = threading.Event()
        self.options = settings.options
        self.starshipit_accounts = StarshipitAccounts(settings.starshipit_accounts)
        self.starshipit = StarshipitStore(self.lock, self.now, self.starshipit_accounts, lambda: self.options)
        self.cartoncloud = CartonCloudStore(self.lock, self.now, clock, settings.cartoncloud, lambda: self.options)
        self.faults = FaultRegistry(self.lock, clock, settings.random_seed)
        self.counters = RequestCounters(self.lock, [account.name for account in self.starshipit_accounts])
        self.starshipit_limits = BucketsPerKey(
            self.lock, clock, settings.starshipit_rate_per_second, settings.starshipit_rate_burst
        )
        self.reset()

    def now(self) -> datetime:
        return from_epoch(self.clock())

    def reset(self) -> None:
        """Back to the freshly seeded state: data, faults, counters and rate limits."""
        with self.lock:
            self.options = self.settings.options
            self.starshipit.reset()
            self.cartoncloud.reset(self.settings.seed_anchor)
            self.faults.reset()
            self.counters.reset()
            self.set_starshipit_rate_limit(
                self.settings.starshipit_rate_per_second, self.settings.starshipit_rate_burst
            )

    def set_options(self, **values: Any) -> SandboxOptions:
        """Change some options (options.py) until the next reset; ValueError for a bad one."""
        with self.lock:
            self.options = self.options.changed(values)
            return self.options

    def set_starshipit_rate_limit(self, per_second: float, burst: float | None = None) -> None:
        """Requests per second per subscription key (buckets start full again)."""
        self.starshipit_limits.configure(per_second, burst)

    def sale_orders(self) -> list[dict]:
        """Every CartonCloud sale order, seeded ones first (the showcase SO-10045 is [0])."""
        return self.cartoncloud.sale_orders()

    def create_sale_order(self, partial: dict) -> dict:
        return self.cartoncloud.create_sale_order(partial)

    def set_sale_order_status(self, key: str, status: str) -> dict:
        """`key` is the UUID or the numericId."""
        return self.cartoncloud.set_status(key, status)

    def starshipit_orders(self, account: str | None = None) -> list[dict]:
        """Every simulator order with its `account` name; `account` keeps only that account's."""
        return self.starshipit.all_orders(account)

    def add_fault(self, **spec: Any) -> dict:
        """`add_fault(service="starshipit", path="/api/orders*", status=503, count=1)`; see faults.py."""
        return self.faults.add(spec)

    def clear_faults(self) -> None:
        self.faults.clear()

    def hold(self, seconds: float) -> None:
        """Sleep for a latency or timeout fault; cut short when the server stops."""
        self._released.wait(seconds)

    def release_holds(self) -> None:
        """Let every call held now go on at once (calls held later wait their full time)."""
        released, self._released = self._released, threading.Event()
        released.set()
