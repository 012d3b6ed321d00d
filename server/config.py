"""Settings: defaults, then LABELBRIDGE_* environment variables, then explicit overrides.

Every setting is checked once at start-up so a mistake fails fast with a message that names it.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

WRITEBACK_MODES = ("consignment", "document", "both", "none")
ORDER_NUMBER_SOURCES = ("customer_reference", "numeric_id")

DEFAULTS: dict[str, Any] = {
    "DATABASE_URL": None,  # None: SQLite in the instance folder
    "STARSHIPIT_URL": "https://api.starshipit.com",
    "STARSHIPIT_API_KEY": None,
    "STARSHIPIT_SUBSCRIPTION_KEY": None,
    "STARSHIPIT_RATE_PER_SECOND": 2,
    "CARTONCLOUD_URL": "https://api.cartoncloud.com",
    "CARTONCLOUD_CLIENT_ID": None,
    "CARTONCLOUD_CLIENT_SECRET": None,
    "CARTONCLOUD_TENANT_ID": None,
    "CARTONCLOUD_TENANT_SLUG": None,
    "HTTP_CONNECT_TIMEOUT": 3.0,
    "HTTP_READ_TIMEOUT": 20.0,
    "WRITEBACK_MODE": "consignment",
    "ORDER_NUMBER_SOURCE": "customer_reference",
    "DEFAULT_PACKAGE_WEIGHT_KG": 1.0,
    "CORS_ORIGINS": "",  # comma-separated chrome-extension:// origins; empty: the bundled extension's id
    "ORDER_LOCK_SECONDS": 120.0,
    "ORDER_LOCK_WAIT_SECONDS": 60.0,
    "MAX_CONTENT_LENGTH": 1024 * 1024,
    "WORKER_POLL_SECONDS": 2.0,
    "WORKER_CLAIM_SECONDS": 300.0,
}


class ConfigError(RuntimeError):
    """A setting is missing or invalid; the message names the LABELBRIDGE_ variable."""


def _positive_number(value: Any) -> float:
    number = float(value)
    if number <= 0:
        raise ValueError("must be greater than zero")
    return number


def _choice(options: tuple[str, ...]) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if value not in options:
            raise ValueError(f"must be one of {', '.join(options)}")
        return value

    return check


def _origins(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, (list, tuple)) else str(value).split(",")
    origins = tuple(item.strip().rstrip("/") for item in items if item.strip())
    for origin in origins:
        if not origin.startswith(("chrome-extension://", "http://", "https://")):
            raise ValueError(f"{origin!r} is not an origin (chrome-extension://ID)")
    return origins


def _url(value: Any) -> str:
    text = str(value).rstrip("/")
    if not text.startswith(("http://", "https://")):
        raise ValueError("must start with http:// or https://")
    return text


CHECKS: dict[str, Callable[[Any], Any]] = {
    "STARSHIPIT_URL": _url,
    "CARTONCLOUD_URL": _url,
    "STARSHIPIT_RATE_PER_SECOND": _positive_number,
    "HTTP_CONNECT_TIMEOUT": _positive_number,
    "HTTP_READ_TIMEOUT": _positive_number,
    "DEFAULT_PACKAGE_WEIGHT_KG": _positive_number,
    "ORDER_LOCK_SECONDS": _positive_number,
    "ORDER_LOCK_WAIT_SECONDS": _positive_number,
    "MAX_CONTENT_LENGTH": int,
    "WORKER_POLL_SECONDS": _positive_number,
    "WORKER_CLAIM_SECONDS": _positive_number,
    "WRITEBACK_MODE": _choice(WRITEBACK_MODES),
    "ORDER_NUMBER_SOURCE": _choice(ORDER_NUMBER_SOURCES),
    "CORS_ORIGINS": _origins,
}


def validate(config: Mapping[str, Any]) -> dict[str, Any]:
    """Return the checked and converted settings, or raise ConfigError naming the first bad one."""
    checked: dict[str, Any] = {}
    for name, check in CHECKS.items():
        if name not in config:
            continue
        try:
            checked[name] = check(config[name])
        except (TypeError, ValueError) as error:
            raise ConfigError(f"LABELBRIDGE_{name}={config[name]!r} is invalid: {error}") from None
    return checked
