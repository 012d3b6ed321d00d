"""Reading Starshipit's two failure shapes, and the one refusal callers act on.

Starshipit answers ``{"success": false, "errors": [{"message", "details"}]}`` — sometimes with
HTTP 200 — while its API gateway answers ``{"statusCode": 401, "message": "..."}``. ⚠ Bad keys
come back as 401 or 403, in the HTTP status or only in a body's ``statusCode``: either way the
error says "Starshipit refused the API key or subscription key", followed by Starshipit's words.
"""

from __future__ import annotations

import re
from typing import Any

from server.http.errors import CREDENTIALS_REFUSED, Failure, UpstreamRejected

# Starshipit publishes no error codes, so the few refusals the client acts on are read from the
# words. Both patterns name the order/label so that "carrier not found" stays a plain refusal.
ORDER_NOT_FOUND = re.compile(
    r"order\b[^.;]*\b(not\s+(be\s+)?found|does\s+not\s+exist)|\bno\s+(such\s+)?orders?\b"
    r"|(could\s+not|unable\s+to)\s+find\s+(the\s+|an?\s+)?order",
    re.IGNORECASE,
)
ALREADY_PRINTED = re.compile(
    r"already\s+(been\s+)?(printed|shipped|labell?ed|manifested)|label\s+(has\s+)?already"
    r"|already\s+has\s+(a\s+)?label",
    re.IGNORECASE,
)


class AlreadyPrinted(UpstreamRejected):
    """Starshipit will not print a new label for an order that has one: ask for a reprint."""


def read_failure(status: int, body: Any) -> Failure | None:
    """The failure a Starshipit answer reports, whatever its HTTP status; None on success."""
    if not isinstance(body, dict):
        return None
    if "statusCode" in body and "success" not in body:
        return _keys_named(_gateway_failure(status, body))
    if status < 400 and _truthy(body.get("success", True)):
        return None
    message = error_message(body)
    if _body_status(body) in AUTH_STATUSES or status in AUTH_STATUSES:
        return _keys_named(Failure(status if status in AUTH_STATUSES else _body_status(body), message))
    if status <= 400:
        # Not found is reported as a refusal (even with HTTP 200): give it the class it means.
        return Failure(404 if ORDER_NOT_FOUND.search(message) else 400, message)
    return Failure(status, message)


def error_message(body: dict) -> str:
    """Starshipit's own words: each error's ``message`` and ``details``, joined."""
    errors = body.get("errors") or []
    parts = []
    for error in errors if isinstance(errors, list) else [errors]:
        if isinstance(error, dict):
            words = [str(error[key]) for key in ("message", "details") if error.get(key)]
            parts.append(": ".join(words))
        else:
            parts.append(str(error))
    text = "; ".join(part for part in parts if part)
    # ASP.NET's own errors (Starshipit runs on it) spell the key "Message".
    fallback = body.get("message") or body.get("Message")
    return text or str(fallback or "Starshipit reported a failure without saying why")


AUTH_STATUSES = (401, 403)


def _body_status(body: dict) -> int | None:
    try:
        return int(body["statusCode"])
    except (KeyError, TypeError, ValueError):
        return None


def _keys_named(failure: Failure | None) -> Failure | None:
    """A refusal of the keys, said in the same words whichever shape it came in."""
    if failure is None or failure.status not in AUTH_STATUSES:
        return failure
    return Failure(failure.status, f"{CREDENTIALS_REFUSED['starshipit']}: {failure.message}")


def _gateway_failure(status: int, body: dict) -> Failure | None:
    try:
        code = int(body["statusCode"])
    except (TypeError, ValueError):
        code = status
    effective = code if code in AUTH_STATUSES or status < 400 else status
    if effective < 400:
        return None
    return Failure(effective, str(body.get("message") or f"gateway refused the request ({effective})"))


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"true", "1", "yes"}
    return bool(value)
