"""Logging: plain text by default, one JSON object a line with LOG_FORMAT=json (request id, token
name, sale order and Starshipit order in every line of a request), and one filter, on every
handler, that removes secrets from whatever is logged: the configured keys and secrets, bearer
tokens, API tokens and enrollment codes."""

from __future__ import annotations

import json
import logging
import random
import re
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from flask import g, has_request_context

REDACTED = "[redacted]"
# What a secret looks like wherever it comes from: a bearer header, a labelbridge token, an
# enrollment code (server/enrollment.py's alphabet), a Fernet key.
_SHAPES = re.compile(
    r"(?i:bearer)\s+\S+"
    r"|\blb_[A-Za-z0-9_-]{16,}"
    r"|\b[2-9A-HJKMNP-TV-Z]{3}-[2-9A-HJKMNP-TV-Z]{3}-[2-9A-HJKMNP-TV-Z]{3}\b"
    r"|\b[A-Za-z0-9_-]{43}="
)
SECRET_SETTINGS = (
    "STARSHIPIT_API_KEY",
    "STARSHIPIT_SUBSCRIPTION_KEY",
    "CARTONCLOUD_CLIENT_SECRET",
    "CARTONCLOUD_WEBHOOK_SECRET",
    "STARSHIPIT_WEBHOOK_SECRET",
    "METRICS_TOKEN",
    "SECRET_KEYS",
)
CONTEXT_FIELDS = ("request_id", "token_name", "sale_order", "starshipit_order")
_context: dict[str, ContextVar[str | None]] = {name: ContextVar(name, default=None) for name in CONTEXT_FIELDS}


class RedactSecrets(logging.Filter):
    """The one place secrets are taken out of log records: the message with its arguments, and
    the traceback, before any handler formats them."""

    def __init__(self) -> None:
        super().__init__()
        self._secrets: set[str] = set()

    def remember(self, values: Iterable[str]) -> None:
        # Short values would redact ordinary words; every real secret here is longer.
        self._secrets.update(value for value in values if value and len(value) >= 8)

    def redact(self, text: str) -> str:
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, REDACTED)
        return _SHAPES.sub(REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = self.redact(record.getMessage()), None
        if record.exc_info:
            record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


REDACTOR = RedactSecrets()


def remember_secrets(config: Mapping[str, Any]) -> None:
    """Teach the filter this app's configured secrets (create_app calls it)."""
    for name in SECRET_SETTINGS:
        value = config.get(name)
        if isinstance(value, str):
            REDACTOR.remember(part.strip() for part in value.split(","))


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({name: value for name in CONTEXT_FIELDS if (value := _context[name].get()) is not None})
        if "token_name" not in line and has_request_context() and g.get("token_name"):
            line["token_name"] = g.token_name
        if record.exc_text:
            line["exception"] = record.exc_text
        return json.dumps(line, ensure_ascii=False)


def configure(log_format: str = "text", level: int = logging.INFO, stream=None) -> logging.Handler:
    """One handler on the root logger (stderr), with the redacting filter, in the format asked for."""
    handler = logging.StreamHandler(stream)
    handler.addFilter(REDACTOR)
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "labelbridge", False)]:
        root.removeHandler(old)
    handler.labelbridge = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    return handler


def set_context(**values: str | None) -> None:
    """Set fields every later line of this request (or job) carries."""
    for name, value in values.items():
        _context[name].set(None if value is None else str(value))


def current(name: str) -> str | None:
    return _context[name].get()


def start_context(**values: str | None) -> None:
    """Begin a request's (or job's) fields: these, and none of an earlier one's."""
    for name, variable in _context.items():
        value = values.get(name)
        variable.set(None if value is None else str(value))


_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def request_id(presented: str | None) -> str:
    """The caller's X-Request-Id when it is a sane one, else a new one: 128 random bits in hex,
    as unique as a uuid4 but not from the operating system (``os.urandom`` is a system call, and
    a thread that makes one waits for the interpreter again after it among the server's busy
    threads). An id only ties log lines together; it guards nothing."""
    return presented if presented and _REQUEST_ID.match(presented) else f"{random.getrandbits(128):032x}"
