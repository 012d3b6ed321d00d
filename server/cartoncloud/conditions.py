"""Builders for CartonCloud's search condition tree. Pure: they only make JSON."""
from __future__ import annotations

from datetime import datetime

from server.upstream.timestamps import rfc3339_utc

CUSTOMER_REFERENCE = "/references/customer"
NUMERIC_ID = "/references/numericId"
STATUS = "/status"
MODIFIED_TIME = "/timestamps/modified/time"
GENERATED_FROM_TASK = "/generatedFromTask/id"


def text_equals(pointer: str, value: str) -> dict:
    return _comparison("TextComparisonCondition", pointer, value, "EQUAL_TO")


def numeric_equals(pointer: str, value: int | float) -> dict:
    return _comparison("NumericComparisonCondition", pointer, value, "EQUAL_TO")


def datetime_after(pointer: str, when: datetime) -> dict:
    return _comparison("DateTimeComparisonCondition", pointer, rfc3339_utc(when), "GREATER_THAN")


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
