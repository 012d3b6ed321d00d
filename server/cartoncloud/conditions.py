"""Builders for CartonCloud's search condition tree. Pure: they only make JSON."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from server.http.timestamps import rfc3339_utc

CUSTOMER_REFERENCE = "/references/customer"
NUMERIC_ID = "/references/numericId"
STATUS = "/status"
MODIFIED_TIME = "/timestamps/modified/time"
GENERATED_FROM_TASK = "/generatedFromTask/id"
# Time zones reach 14 hours either side of UTC; CartonCloud writes times in the tenant's.
WIDEST_OFFSET = timedelta(hours=14)


def text_equals(pointer: str, value: str) -> dict:
    return _comparison("TextComparisonCondition", pointer, value, "EQUAL_TO")


def numeric_equals(pointer: str, value: int | float) -> dict:
    return _comparison("NumericComparisonCondition", pointer, value, "EQUAL_TO")


def datetime_after(pointer: str, when: datetime) -> dict:
    return _comparison("DateTimeComparisonCondition", pointer, rfc3339_utc(when), "GREATER_THAN")


def text_starts_with(pointer: str, prefix: str) -> dict:
    return _comparison("TextComparisonCondition", pointer, prefix, "STARTS_WITH")


def on_days(pointer: str, since: datetime, until: datetime) -> dict:
    """The times from ``since`` to ``until`` as day prefixes (``"2026-12-01"``), STARTS_WITH in
    an OrCondition: the search of a tenant that refuses date-time comparisons. The tenant's
    time zone is not known, so the days reach 14 hours past both ends; the caller keeps the
    exact times it wants (``modified_since``)."""
    first = (since.astimezone(UTC) - WIDEST_OFFSET).date()
    last = (until.astimezone(UTC) + WIDEST_OFFSET).date()
    days = [first + timedelta(days=offset) for offset in range((last - first).days + 1)]
    return any_of(*(text_starts_with(pointer, day.isoformat()) for day in days))


def any_of(*conditions: dict) -> dict:
    return {"type": "OrCondition", "conditions": list(conditions)}


def all_of(*conditions: dict) -> dict:
    return {"type": "AndCondition", "conditions": list(conditions)}


def is_group(condition: dict) -> bool:
    """Only an AND/OR group may stand at the top of a search."""
    return condition.get("type") in {"AndCondition", "OrCondition"}


def _comparison(kind: str, pointer: str, value: object, method: str) -> dict:
    return {
        "type": kind,
        "field": {"type": "JsonField", "pointer": pointer},
        "value": {"type": "ValueField", "value": value},
        "method": method,
    }
