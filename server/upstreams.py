"""The app's two upstream clients, built from settings on first use."""
from __future__ import annotations

import threading
from typing import Any

from flask import Flask

from .cartoncloud.client import CartonCloudClient
from .errors import ApiError
from .starshipit.client import StarshipitClient


class NotConfigured(ApiError):
    def __init__(self, service: str, names: list[str]) -> None:
        settings = ", ".join(f"LABELBRIDGE_{name}" for name in names)
        super().__init__(
            503, "not_configured", f"labelbridge is not connected to {service} yet: set {settings}."
        )


def _required(config: dict[str, Any], service: str, names: list[str]) -> None:
    missing = [name for name in names if not config.get(name)]
    if missing:
        raise NotConfigured(service, missing)


class Upstreams:
    """Holds one client per upstream for the app; safe to share between threads."""

    def __init__(self, config: dict[str, Any]) -> None:
        self._config = config
        self._lock = threading.Lock()
        self._starshipit: StarshipitClient | None = None
        self._cartoncloud: CartonCloudClient | None = None

    @property
    def timeout(self) -> tuple[float, float]:
        return (self._config["HTTP_CONNECT_TIMEOUT"], self._config["HTTP_READ_TIMEOUT"])

    @property
    def tenant_id(self) -> str:
        _required(self._config, "CartonCloud", ["CARTONCLOUD_TENANT_ID"])
        return self._config["CARTONCLOUD_TENANT_ID"]

    def starshipit(self) -> StarshipitClient:
        with self._lock:
            if self._starshipit is None:
                names = ["STARSHIPIT_API_KEY", "STARSHIPIT_SUBSCRIPTION_KEY"]
                _required(self._config, "Starshipit", names)
                self._starshipit = StarshipitClient(
                    self._config["STARSHIPIT_URL"],
                    self._config["STARSHIPIT_API_KEY"],
                    self._config["STARSHIPIT_SUBSCRIPTION_KEY"],
                    timeout=self.timeout,
                    rate_per_second=self._config["STARSHIPIT_RATE_PER_SECOND"],
                )
            return self._starshipit

    def cartoncloud(self) -> CartonCloudClient:
        with self._lock:
            if self._cartoncloud is None:
                names = ["CARTONCLOUD_CLIENT_ID", "CARTONCLOUD_CLIENT_SECRET", "CARTONCLOUD_TENANT_ID"]
                _required(self._config, "CartonCloud", names)
                self._cartoncloud = CartonCloudClient(
                    self._config["CARTONCLOUD_URL"],
                    self._config["CARTONCLOUD_CLIENT_ID"],
                    self._config["CARTONCLOUD_CLIENT_SECRET"],
                    self._config["CARTONCLOUD_TENANT_ID"],
                    timeout=self.timeout,
                )
            return self._cartoncloud


def init_app(app: Flask) -> None:
    app.extensions["labelbridge.upstreams"] = Upstreams(app.config)


def get_upstreams(app: Flask) -> Upstreams:
    return app.extensions["labelbridge.upstreams"]
