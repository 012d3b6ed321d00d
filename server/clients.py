"""The app's upstream clients, built from the accounts on first use and reused after.

Accounts are read in a short session of their own and kept per process (server/cache.py), so
asking for a client never leaves a transaction open in the caller's session while the upstream
is called, and mostly does not ask the database at all.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from flask import Flask

from .accounts import Accounts, CartonCloudCredentials, StarshipitCredentials
from .cache import ProcessCache, get_cache
from .cartoncloud.client import CartonCloudClient
from .crypto import SecretBox, get_box
from .db import Database, get_database
from .http.retry import RetryPolicy
from .rate_budget import bucket_for_account
from .starshipit.client import StarshipitClient


class Upstreams:
    """One client per set of credentials; safe to share between threads."""

    def __init__(self, config: Mapping[str, Any], database: Database, cache: ProcessCache, box: SecretBox) -> None:
        self._config = config
        self._database = database
        self._cache = cache
        self._box = box
        self._lock = threading.Lock()
        self._clients: dict[Any, Any] = {}

    @property
    def timeout(self) -> tuple[float, float]:
        return (self._config["HTTP_CONNECT_TIMEOUT"], self._config["HTTP_READ_TIMEOUT"])

    @property
    def retry(self) -> RetryPolicy:
        return RetryPolicy(base_delay=self._config["HTTP_RETRY_FIRST_SECONDS"])

    def accounts(self) -> Accounts:
        """The accounts, read once per process and again after any process changes them."""
        return self._cache.stamped("accounts", lambda session: Accounts(session, self._box, self._config))

    def cartoncloud_credentials(self) -> CartonCloudCredentials:
        return self.accounts().cartoncloud()

    def cartoncloud(self) -> CartonCloudClient:
        credentials = self.cartoncloud_credentials()
        return self._client(
            ("cartoncloud", credentials),
            lambda: CartonCloudClient(
                credentials.base_url,
                credentials.client_id,
                credentials.client_secret,
                credentials.tenant_id,
                timeout=self.timeout,
                retry=self.retry,
            ),
        )

    def starshipit(self, credentials: StarshipitCredentials) -> StarshipitClient:
        return self._client(
            ("starshipit", credentials),
            lambda: StarshipitClient(
                self._config["STARSHIPIT_URL"],
                credentials.api_key,
                credentials.subscription_key,
                timeout=self.timeout,
                retry=self.retry,
                rate_per_second=credentials.rate_per_second,
                bucket=bucket_for_account(
                    self._config, self._database.engine, credentials.subscription_key, credentials.rate_per_second
                ),
            ),
        )

    def _client(self, key: Any, build) -> Any:
        with self._lock:
            if key not in self._clients:
                self._clients[key] = build()
            return self._clients[key]


def init_app(app: Flask) -> None:
    app.extensions["labelbridge.upstreams"] = Upstreams(app.config, get_database(app), get_cache(app), get_box(app))


def get_upstreams(app: Flask) -> Upstreams:
    return app.extensions["labelbridge.upstreams"]
