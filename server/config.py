"""Settings: defaults, then LABELBRIDGE_* environment variables, then explicit overrides.

Every setting is checked once at start-up so a mistake fails fast with a message that names it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from typing import Any

from .choices import (
    DAY_SECONDS,
    LABEL_FORMATS,
    MAX_AUDIT_BATCH_SECONDS,
    MAX_CACHE_SECONDS,
    MAX_LOOKBACK_HOURS,
    MAX_PACKAGE_SIDE_M,
    MAX_PACKAGE_WEIGHT_KG,
    MAX_RATE_PER_SECOND,
    MAX_TIMEOUT_SECONDS,
    ORDER_NUMBER_SOURCES,
    REFERENCE_SOURCES,
    WRITEBACK_MODES,
)
from .upstream_hosts import check_base_url

# How X-Starshipit-Signature is made (Starshipit does not publish it): HMAC-SHA256 of the raw
# body in hex or base64 (``hmac-sha256`` accepts either), or the shared secret itself.
SIGNATURE_SCHEMES = ("hmac-sha256", "hmac-sha256-hex", "hmac-sha256-base64", "secret")

DEFAULTS: dict[str, Any] = {
    "DATABASE_URL": None,  # None: SQLite in the instance folder
    "STARSHIPIT_URL": "https://api.starshipit.com",
    "STARSHIPIT_API_KEY": None,
    "STARSHIPIT_SUBSCRIPTION_KEY": None,
    "STARSHIPIT_RATE_PER_SECOND": 2,
    "CARTONCLOUD_URL": "https://api.cartoncloud.com",
    "ALLOW_CUSTOM_UPSTREAMS": False,  # true: upstream hosts other than the documented ones (server/upstream_hosts.py)
    "CARTONCLOUD_CLIENT_ID": None,
    "CARTONCLOUD_CLIENT_SECRET": None,
    "CARTONCLOUD_TENANT_ID": None,
    "CARTONCLOUD_TENANT_SLUG": None,
    "HTTP_CONNECT_TIMEOUT": 3.0,
    "HTTP_READ_TIMEOUT": 20.0,
    # The longest wait before an upstream call's first retry, doubled for each next one (each wait
    # a random part of it: server/http/retry.py).
    "HTTP_RETRY_FIRST_SECONDS": 0.5,
    "WRITEBACK_MODE": "consignment",
    "ORDER_NUMBER_SOURCE": "customer_reference",
    "DEFAULT_PACKAGE_WEIGHT_KG": 1.0,
    "DEFAULT_PACKAGE_LENGTH_M": 0.3,
    "DEFAULT_PACKAGE_WIDTH_M": 0.2,
    "DEFAULT_PACKAGE_HEIGHT_M": 0.1,
    "SHIPPING_METHODS": {},  # CartonCloud requestedService -> Starshipit shipping method
    "REFERENCE_SOURCE": "other_identifier",  # or customer_reference, numeric_id, none
    "SKU_PACKAGES": {},  # SKU -> {"weight_kg", "length_m"?, "width_m"?, "height_m"?}
    "CARRIER_SERVICES": {},  # requestedService -> {"carrier", "service_code"?}
    "EXTRAS_PROPERTY": None,  # the CartonCloud custom property holding "signature required" etc.
    "PHONE_REQUIRED_CARRIERS": "StarTrack,DHL,DHLExpress,FedEx,TNT,UPS,Aramex",
    "VALIDATE_ADDRESSES": True,  # Starshipit's address validation before printing and in previews
    "LABEL_FORMAT": "pdf",
    "AUTO_PRINT": True,
    "PRINTER_ALLOW_ANY_PORT": False,  # true: printers on ports other than 9100, 515, 631
    "PRINTER_ALLOW_LOOPBACK": False,  # true: printers on this machine's loopback (printer simulators, tests)
    "PRINTER_TIMEOUT_SECONDS": 5.0,  # a network label printer's time to take a job (server/printing/network_printer.py)
    "SECRET_KEYS": None,  # Fernet keys, newest first; None: instance/secret.keys
    "RATE_LIMIT": "600 per minute",  # per token (per client address until a token is authenticated)
    "WEBHOOK_RATE_LIMIT": "600 per minute",  # per client address, for the two webhooks
    "TRUSTED_PROXIES": 0,  # how many proxies (load balancers) in front set X-Forwarded-For/-Proto
    "RATELIMIT_STORAGE_URI": "memory://",  # redis://… when several instances run
    "CORS_ORIGINS": "",  # comma-separated chrome-extension:// origins; empty: the bundled extension's id
    "ORDER_LOCK_SECONDS": 120.0,
    # Kept per process (server/cache.py): the saved settings and accounts until any process changes
    # them (checked at most this often), a token check this long at most (revocation's bound).
    "CACHE_CHECK_SECONDS": 1.0,
    "TOKEN_CACHE_SECONDS": 5.0,
    # PostgreSQL: what lookups and reprints read of an order, kept per process until the database
    # says it changed (server/orders/known_cache.py), this many megabytes at most; 0: nothing kept.
    "ORDER_CACHE_MB": 8.0,
    # A reprint's audit row waits in the process at most this long and is written with the others
    # (server/event_queue.py); 0: written with each reprint.
    "AUDIT_BATCH_SECONDS": 0.2,
    "RATES_KEEP_SECONDS": 300.0,  # Starshipit's rates for an order, kept per process (server/orders/rates.py)
    "ORDER_LOCK_WAIT_SECONDS": 60.0,
    "MAX_CONTENT_LENGTH": 1024 * 1024,
    "WORKER_POLL_SECONDS": 2.0,
    "WORKER_CLAIM_SECONDS": 300.0,
    "WORKER_RETRY_FIRST_SECONDS": 30.0,  # a failed writeback's first retry, doubled for each next one
    # Automatic transfer and tracking writeback (server/sync)
    "TRIGGER_STATUSES": "PACKED",  # comma-separated; orders at or past the earliest are transferred
    # true: a labelled sale order rejected (or moved back before PACKED) in CartonCloud has its label
    # voided by the transfer; false: it is listed under needs_attention (server/sync/cancellations.py)
    "AUTO_VOID": False,
    "TRIGGER_LOOKBACK_HOURS": 0.0,  # first poll: how far back to look for orders already there
    "CARTONCLOUD_POLL_SECONDS": 60.0,  # 0: no polling (webhook only)
    "STARSHIPIT_POLL_SECONDS": 120.0,  # 0: no polling (webhook only)
    "POLL_OVERLAP_SECONDS": 300.0,  # each poll reaches this far behind its cursor
    "CARTONCLOUD_WEBHOOK_SECRET": None,  # None: the CartonCloud webhook is switched off
    "STARSHIPIT_WEBHOOK_SECRET": None,  # None: the tracking webhook answers 403 (unless ..._INSECURE)
    "STARSHIPIT_WEBHOOK_INSECURE": False,  # true: accept unsigned tracking webhooks (start-up warns)
    "STARSHIPIT_SIGNATURE_SCHEME": "hmac-sha256",
    # Enrollment codes (server/enrollment.py)
    "ENROLL_RATE_LIMIT": "10 per minute",  # exchanges tried per client address, right or wrong
    "PUBLIC_URL": None,  # the backend's address as the benches reach it, put in enrollment links
    "METRICS_TOKEN": None,  # GET /metrics needs it as a bearer token; None: /metrics is off
    "LOG_FORMAT": "text",  # or json: one JSON object a line (server/logs.py)
    "TIMEZONE": "UTC",  # the warehouse's IANA time zone: where its day (the end-of-day manifest's) starts
}


class ConfigError(RuntimeError):
    """A setting is missing or invalid; the message names the LABELBRIDGE_ variable."""


MAX_BODY_BYTES = 100 * 1024 * 1024


def _number(value: Any, low: float, high: float, *, low_inclusive: bool) -> float:
    number = float(value)
    if not math.isfinite(number) or number > high or (number < low if low_inclusive else number <= low):
        relation = f"{low:g} or more" if low_inclusive else f"greater than {'zero' if low == 0 else f'{low:g}'}"
        raise ValueError(f"must be {relation} and at most {high:g}")
    return number


def _positive_number(high: float) -> Callable[[Any], float]:
    return lambda value: _number(value, 0, high, low_inclusive=False)


def _non_negative_number(high: float) -> Callable[[Any], float]:
    return lambda value: _number(value, 0, high, low_inclusive=True)


def _byte_count(value: Any) -> int:
    return int(_number(int(value), 1, MAX_BODY_BYTES, low_inclusive=True))


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


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text not in ("true", "false", "1", "0", "yes", "no"):
        raise ValueError("must be true or false")
    return text in ("true", "1", "yes")


def _string_map(value: Any) -> dict[str, str]:
    if isinstance(value, str):
        value = json.loads(value or "{}")
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ValueError('must be a JSON object of names to names, e.g. {"Express": "Express"}')
    return {str(k): v for k, v in value.items()}


def _mapping_setting(name: str) -> Callable[[Any], Any]:
    """A mapping setting given as JSON in the environment, checked by its run-time schema."""

    def check(value: Any) -> Any:
        from marshmallow import ValidationError

        from .settings import RuntimeSettingsSchema

        if isinstance(value, str):
            value = json.loads(value or "null")
        try:
            return RuntimeSettingsSchema(only=(name,)).load({name: value})[name]
        except ValidationError as error:
            raise ValueError(json.dumps(error.messages[name])) from None

    return check


def _names(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, (list, tuple)) else str(value).split(",")
    return tuple(str(item).strip() for item in items if str(item).strip())


def _optional_text(value: Any) -> str | None:
    return str(value).strip() or None if value is not None else None


def _trigger_statuses(value: Any) -> tuple[str, ...]:
    from .statuses import parse_trigger_statuses

    return parse_trigger_statuses(value)


def _webhook_secret(value: Any) -> str | None:
    if value is None or value == "":
        return None
    text = str(value)
    if len(text) < 16:
        raise ValueError(
            "must be at least 16 characters (e.g. python -c 'import secrets; print(secrets.token_urlsafe())')"
        )
    return text


def _rate_limit(value: Any) -> str:
    from limits import parse_many

    parse_many(str(value))  # raises ValueError naming what it could not read
    return str(value)


def _time_zone(value: Any) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError("must be an IANA time zone name, e.g. Australia/Brisbane or UTC") from None
    return str(value)


def _url(value: Any) -> str:
    text = str(value).rstrip("/")
    if not text.startswith(("http://", "https://")):
        raise ValueError("must start with http:// or https://")
    return text


CHECKS: dict[str, Callable[[Any], Any]] = {
    "STARSHIPIT_URL": _url,
    "CARTONCLOUD_URL": _url,
    "ALLOW_CUSTOM_UPSTREAMS": _boolean,
    "STARSHIPIT_RATE_PER_SECOND": _positive_number(MAX_RATE_PER_SECOND),
    "HTTP_CONNECT_TIMEOUT": _positive_number(MAX_TIMEOUT_SECONDS),
    "HTTP_READ_TIMEOUT": _positive_number(MAX_TIMEOUT_SECONDS),
    "HTTP_RETRY_FIRST_SECONDS": _non_negative_number(MAX_TIMEOUT_SECONDS),
    "DEFAULT_PACKAGE_WEIGHT_KG": _positive_number(MAX_PACKAGE_WEIGHT_KG),
    "DEFAULT_PACKAGE_LENGTH_M": _positive_number(MAX_PACKAGE_SIDE_M),
    "DEFAULT_PACKAGE_WIDTH_M": _positive_number(MAX_PACKAGE_SIDE_M),
    "DEFAULT_PACKAGE_HEIGHT_M": _positive_number(MAX_PACKAGE_SIDE_M),
    "SHIPPING_METHODS": _string_map,
    "REFERENCE_SOURCE": _choice(REFERENCE_SOURCES),
    "SKU_PACKAGES": _mapping_setting("sku_packages"),
    "CARRIER_SERVICES": _mapping_setting("carrier_services"),
    "EXTRAS_PROPERTY": _optional_text,
    "PHONE_REQUIRED_CARRIERS": _names,
    "VALIDATE_ADDRESSES": _boolean,
    "LABEL_FORMAT": _choice(LABEL_FORMATS),
    "AUTO_PRINT": _boolean,
    "PRINTER_TIMEOUT_SECONDS": _positive_number(MAX_TIMEOUT_SECONDS),
    "PRINTER_ALLOW_ANY_PORT": _boolean,
    "PRINTER_ALLOW_LOOPBACK": _boolean,
    "ORDER_LOCK_SECONDS": _positive_number(DAY_SECONDS),
    "CACHE_CHECK_SECONDS": _non_negative_number(MAX_CACHE_SECONDS),
    "TOKEN_CACHE_SECONDS": _non_negative_number(MAX_CACHE_SECONDS),
    "ORDER_CACHE_MB": _non_negative_number(1024),
    "AUDIT_BATCH_SECONDS": _non_negative_number(MAX_AUDIT_BATCH_SECONDS),
    "RATES_KEEP_SECONDS": _non_negative_number(DAY_SECONDS),
    "ORDER_LOCK_WAIT_SECONDS": _positive_number(DAY_SECONDS),
    "MAX_CONTENT_LENGTH": _byte_count,
    "RATE_LIMIT": _rate_limit,
    "WEBHOOK_RATE_LIMIT": _rate_limit,
    "TRUSTED_PROXIES": lambda value: int(_number(int(value), 0, 10, low_inclusive=True)),
    "WORKER_POLL_SECONDS": _positive_number(DAY_SECONDS),
    "WORKER_CLAIM_SECONDS": _positive_number(DAY_SECONDS),
    "WORKER_RETRY_FIRST_SECONDS": _positive_number(DAY_SECONDS),
    "WRITEBACK_MODE": _choice(WRITEBACK_MODES),
    "ORDER_NUMBER_SOURCE": _choice(ORDER_NUMBER_SOURCES),
    "CORS_ORIGINS": _origins,
    "TRIGGER_STATUSES": _trigger_statuses,
    "AUTO_VOID": _boolean,
    "TRIGGER_LOOKBACK_HOURS": _non_negative_number(MAX_LOOKBACK_HOURS),
    "CARTONCLOUD_POLL_SECONDS": _non_negative_number(DAY_SECONDS),
    "STARSHIPIT_POLL_SECONDS": _non_negative_number(DAY_SECONDS),
    "POLL_OVERLAP_SECONDS": _non_negative_number(DAY_SECONDS),
    "CARTONCLOUD_WEBHOOK_SECRET": _webhook_secret,
    "STARSHIPIT_WEBHOOK_SECRET": lambda value: str(value) if value else None,  # as set in Starshipit
    "STARSHIPIT_SIGNATURE_SCHEME": _choice(SIGNATURE_SCHEMES),
    "STARSHIPIT_WEBHOOK_INSECURE": _boolean,
    "ENROLL_RATE_LIMIT": _rate_limit,
    "PUBLIC_URL": lambda value: _url(value) if value else None,
    "METRICS_TOKEN": _webhook_secret,  # 16+ characters, like a webhook secret
    "LOG_FORMAT": _choice(("text", "json")),
    "TIMEZONE": _time_zone,
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
    _check_upstream_urls({**config, **checked})
    return checked


def _check_upstream_urls(config: Mapping[str, Any]) -> None:
    for name, service in (("STARSHIPIT_URL", "starshipit"), ("CARTONCLOUD_URL", "cartoncloud")):
        if config.get(name) is None:
            continue
        try:
            check_base_url(config[name], service, allow_custom=bool(config.get("ALLOW_CUSTOM_UPSTREAMS")))
        except ValueError as error:
            raise ConfigError(f"LABELBRIDGE_{name}={config[name]!r} is invalid: {error}") from None
