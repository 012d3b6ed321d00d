"""CartonCloud condition trees, applied to plain JSON documents."""

import pytest

from server.sandbox.conditions import ConditionError, compile_search, resolve_pointer

ORDER = {
    "status": "PACKED",
    "references": {"customer": "SO-10045", "numericId": "787061"},
    "customer": {"id": "c-1", "name": "Acme Outdoor Supplies"},
    "timestamps": {"modified": {"time": "2025-06-20T10:00:00+10:00"}, "packed": None},
    "items": [{"code": "A"}, {"code": "B"}],
    "a/b": {"~x": 1},
}


def field(pointer):
    return {"type": "JsonField", "pointer": pointer}


def value(v):
    return {"type": "ValueField", "value": v}


def matches(*conditions, kind="AndCondition", allow_numeric=True) -> bool:
    return compile_search({"condition": {"type": kind, "conditions": list(conditions)}}, allow_numeric=allow_numeric)(
        ORDER
    )


def text(pointer, v, method):
    return {"type": "TextComparisonCondition", "field": field(pointer), "value": value(v), "method": method}


@pytest.mark.parametrize(
    "method, v, expected",
    [
        ("EQUAL_TO", "SO-10045", True),
        ("EQUAL_TO", "so-10045", False),
        ("NOT_EQUAL_TO", "SO-1", True),
        ("CONTAINS", "1004", True),
        ("NOT_CONTAINS", "1004", False),
        ("STARTS_WITH", "SO-", True),
        ("ENDS_WITH", "45", True),
        ("ENDS_WITH", "SO", False),
    ],
)
def test_text_methods(method, v, expected):
    assert matches(text("/references/customer", v, method)) is expected


@pytest.mark.parametrize(
    "kind, method, v, expected",
    [
        ("NumericComparisonCondition", "EQUAL_TO", 787061, True),
        ("NumericComparisonCondition", "GREATER_THAN", 787060, True),
        ("NumericComparisonCondition", "LESS_THAN_OR_EQUAL_TO", "787060", False),
        ("DateTimeComparisonCondition", "GREATER_THAN", "2025-06-20T00:00:00Z", False),
        ("DateTimeComparisonCondition", "GREATER_THAN_OR_EQUAL_TO", "2025-06-20T00:00:00Z", True),
        ("DateTimeComparisonCondition", "LESS_THAN", "2025-06-20T00:00:01Z", True),
    ],
)
def test_ordered_comparisons(kind, method, v, expected):
    pointer = "/references/numericId" if kind.startswith("Numeric") else "/timestamps/modified/time"
    assert matches({"type": kind, "field": field(pointer), "value": value(v), "method": method}) is expected


def test_missing_fields_match_only_not_equal():
    assert matches(text("/timestamps/packed/time", "x", "EQUAL_TO")) is False
    assert matches(text("/nothing", "x", "NOT_EQUAL_TO")) is True
    after = {
        "type": "DateTimeComparisonCondition",
        "field": field("/timestamps/packed/time"),
        "value": value("2025-01-01T00:00:00Z"),
        "method": "GREATER_THAN",
    }
    assert matches(after) is False


def test_and_or_nest():
    yes, no = text("/status", "PACKED", "EQUAL_TO"), text("/status", "DRAFT", "EQUAL_TO")
    assert matches(yes, no, kind="OrCondition") is True
    assert matches(yes, no) is False
    assert matches(yes, {"type": "OrCondition", "conditions": [no, yes]}) is True
    assert matches() is True and matches(kind="OrCondition") is False


@pytest.mark.parametrize(
    "body, message",
    [
        (None, "Missing field: condition"),
        ({"condition": text("/status", "PACKED", "EQUAL_TO")}, "Missing field: conditions"),
        ({"condition": {"type": "AndCondition"}}, "Missing field: conditions"),
        ({"condition": {"type": "AndCondition", "conditions": ["x"]}}, "Condition must be an object"),
        ({"condition": {"type": "AndCondition", "conditions": [text("status", "P", "EQUAL_TO")]}}, "field.pointer"),
        (
            {"condition": {"type": "AndCondition", "conditions": [text("/status", 5, "EQUAL_TO")]}},
            "TextComparisonCondition value",
        ),
        (
            {
                "condition": {
                    "type": "AndCondition",
                    "conditions": [
                        {
                            "type": "TextComparisonCondition",
                            "field": {"type": "Other", "pointer": "/a"},
                            "value": value("x"),
                            "method": "EQUAL_TO",
                        }
                    ],
                }
            },
            "Missing field: field",
        ),
        (
            {
                "condition": {
                    "type": "AndCondition",
                    "conditions": [
                        {
                            "type": "DateTimeComparisonCondition",
                            "field": field("/a"),
                            "value": value("soon"),
                            "method": "LESS_THAN",
                        }
                    ],
                }
            },
            "DateTimeComparisonCondition value",
        ),
    ],
)
def test_malformed_trees_are_refused(body, message):
    with pytest.raises(ConditionError, match=message):
        compile_search(body)


def test_numeric_conditions_can_be_refused():
    numeric = {
        "type": "NumericComparisonCondition",
        "field": field("/references/numericId"),
        "value": value(1),
        "method": "EQUAL_TO",
    }
    with pytest.raises(ConditionError, match="Unsupported condition type: NumericComparisonCondition"):
        matches(numeric, allow_numeric=False)


@pytest.mark.parametrize(
    "pointer, expected",
    [("/items/1/code", "B"), ("/items/5/code", None), ("/a~1b/~0x", 1), ("/status/deeper", None), ("", ORDER)],
)
def test_json_pointers(pointer, expected):
    assert resolve_pointer(ORDER, pointer) == expected
