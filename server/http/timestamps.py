"""Timestamps in the form both upstream APIs accept."""

from __future__ import annotations

from datetime import UTC, datetime


def rfc3339_utc(when: datetime) -> str:
    """``2025-06-22T01:02:03Z``. Floored to the second, which only ever widens a "since" window."""
    if when.tzinfo is None:
        raise ValueError("a timezone-aware datetime is needed: a naive one is ambiguous")
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
