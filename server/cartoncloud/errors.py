"""Reading CartonCloud's failure shape: ``[{"message": ...}]``, with ``field`` on a 422."""

from __future__ import annotations

from typing import Any

from server.http.errors import Failure


def read_failure(status: int, body: Any) -> Failure | None:
    """The failure a CartonCloud answer reports; None on success (its status says which)."""
    if status < 400:
        return None
    entries = body if isinstance(body, list) else [body]
    message = "; ".join(filter(None, (_entry_message(entry) for entry in entries)))
    return Failure(status, message) if message else None


def _entry_message(entry: Any) -> str:
    if isinstance(entry, str):
        return entry
    if not isinstance(entry, dict):
        return ""
    # The token endpoint answers in OAuth2's shape instead: {"error", "error_description"}.
    message = entry.get("message") or entry.get("error_description") or entry.get("error") or ""
    return f"{entry['field']}: {message}" if entry.get("field") and message else str(message)
