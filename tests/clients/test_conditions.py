"""The condition tree builders produce the JSON of CartonCloud's search reference."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from server.cartoncloud import conditions


def test_text_equals_matches_the_documented_example():
    assert conditions.all_of(conditions.text_equals(conditions.CUSTOMER_REFERENCE, "SO-10045")) == {
        "type": "AndCondition",
        "conditions": [
            {
                "type": "TextComparisonCondition",
                "field": {"type": "JsonField", "pointer": "/references/customer"},
                "value": {"type": "ValueField", "value": "SO-10045"},
                "method": "EQUAL_TO",
            }
        ],
    }


@pytest.mark.parametrize(
    ("condition", "kind", "pointer", "value", "method"),
    [
        (
            conditions.numeric_equals(conditions.NUMERIC_ID, 787061),
            "NumericComparisonCondition",
            "/references/numericId",
            787061,
            "EQUAL_TO",
        ),
        (
            conditions.text_equals(conditions.STATUS, "PACKED"),
            "TextComparisonCondition",
            "/status",
            "PACKED",
            "EQUAL_TO",
        ),
        (
            conditions.datetime_after(
                conditions.MODIFIED_TIME, datetime(2025, 6, 20, 20, 0, 0, 999, tzinfo=timezone(timedelta(hours=10)))
            ),
            "DateTimeComparisonCondition",
            "/timestamps/modified/time",
            "2025-06-20T10:00:00Z",
            "GREATER_THAN",
        ),
    ],
)
def test_comparisons(condition, kind, pointer, value, method):
    assert condition == {
        "type": kind,
        "field": {"type": "JsonField", "pointer": pointer},
        "value": {"type": "ValueField", "value": value},
        "method": method,
    }


def test_groups_nest():
    packed = conditions.text_equals(conditions.STATUS, "PACKED")
    dispatched = conditions.text_equals(conditions.STATUS, "DISPATCHED")
    tree = conditions.all_of(conditions.any_of(packed, dispatched))
    assert tree == {"type": "AndCondition", "conditions": [{"type": "OrCondition", "conditions": [packed, dispatched]}]}
    assert conditions.is_group(tree) and not conditions.is_group(packed)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        conditions.datetime_after(conditions.MODIFIED_TIME, datetime(2025, 6, 20))
