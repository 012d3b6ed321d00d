"""CartonCloud's search condition trees, checked once and then applied to JSON documents.

Supported (docs/cartoncloud-api-notes.md, "Sale orders"):
- `AndCondition` / `OrCondition` with `conditions: [...]`, nestable; the top level must be one
  of them (a bare comparison gets CartonCloud's "Missing field: conditions");
- `TextComparisonCondition`: EQUAL_TO, NOT_EQUAL_TO, CONTAINS, NOT_CONTAINS, STARTS_WITH,
  ENDS_WITH (case-sensitive);
- `NumericComparisonCondition` and `DateTimeComparisonCondition`: EQUAL_TO, NOT_EQUAL_TO,
  GREATER_THAN, GREATER_THAN_OR_EQUAL_TO, LESS_THAN, LESS_THAN_OR_EQUAL_TO.
Fields are `{"type": "JsonField", "pointer": "/a/b"}` (RFC 6901), values `{"type": "ValueField",
"value": ...}`. A pointer to a missing field yields null, which matches only NOT_EQUAL_TO.
Numeric and date-time conditions can be refused altogether (`allow_numeric=False`,
`allow_datetime=False`, raising UnsupportedCondition): public clients disagree on whether
CartonCloud supports them, so callers must cope with both.
"""

import operator
from collections.abc import Callable
from datetime import datetime
from typing import Any

from server.sandbox.timeutil import parse_timestamp


class ConditionError(ValueError):
    """The condition tree is malformed; the message is what CartonCloud says (HTTP 400)."""


class UnsupportedCondition(ConditionError):
    """A well-formed condition of a type this tenant does not search by (`kind`)."""

    def __init__(self, kind: str):
        super().__init__(f"Unsupported condition type: {kind}")
        self.kind = kind


Predicate = Callable[[dict], bool]

_ORDERINGS = {
    "EQUAL_TO": operator.eq,
    "NOT_EQUAL_TO": operator.ne,
    "GREATER_THAN": operator.gt,
    "GREATER_THAN_OR_EQUAL_TO": operator.ge,
    "LESS_THAN": operator.lt,
    "LESS_THAN_OR_EQUAL_TO": operator.le,
}

_TEXT_METHODS: dict[str, Callable[[str, str], bool]] = {
    "EQUAL_TO": operator.eq,
    "NOT_EQUAL_TO": operator.ne,
    "CONTAINS": lambda field, value: value in field,
    "NOT_CONTAINS": lambda field, value: value not in field,
    "STARTS_WITH": str.startswith,
    "ENDS_WITH": str.endswith,
}


def compile_search(body: Any, *, allow_numeric: bool = True, allow_datetime: bool = True) -> Predicate:
    """The predicate for a search request body `{"condition": {...}}`."""
    if not isinstance(body, dict) or "condition" not in body:
        raise ConditionError("Missing field: condition")
    condition = body["condition"]
    if not isinstance(condition, dict) or condition.get("type") not in ("AndCondition", "OrCondition"):
        raise ConditionError("Missing field: conditions")
    refused = {
        kind
        for kind, allowed in (
            ("NumericComparisonCondition", allow_numeric),
            ("DateTimeComparisonCondition", allow_datetime),
        )
        if not allowed
    }
    return _compile(condition, refused)


def resolve_pointer(document: Any, pointer: str) -> Any:
    """The value at a JSON pointer, or None when any step is missing."""
    if pointer == "":
        return document
    value = document
    for token in pointer[1:].split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(value, dict):
            value = value.get(token)
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return None
    return value


def _compile(condition: Any, refused: set[str]) -> Predicate:
    if not isinstance(condition, dict):
        raise ConditionError("Condition must be an object")
    kind = condition.get("type")
    if kind in refused:
        raise UnsupportedCondition(kind)
    if kind in ("AndCondition", "OrCondition"):
        children = condition.get("conditions")
        if not isinstance(children, list):
            raise ConditionError("Missing field: conditions")
        predicates = [_compile(child, refused) for child in children]
        combine = all if kind == "AndCondition" else any
        return lambda document: combine(p(document) for p in predicates)
    if kind == "TextComparisonCondition":
        return _text(condition)
    if kind == "NumericComparisonCondition":
        return _ordered(condition, _as_number, "a number")
    if kind == "DateTimeComparisonCondition":
        return _ordered(condition, parse_timestamp, "an ISO-8601 date-time")
    raise ConditionError(f"Unknown condition type: {kind}")


def _pointer_and_value(condition: dict) -> tuple[str, Any]:
    field, value = condition.get("field"), condition.get("value")
    if not isinstance(field, dict) or field.get("type") != "JsonField":
        raise ConditionError("Missing field: field (expected a JsonField)")
    pointer = field.get("pointer")
    if not isinstance(pointer, str) or not pointer.startswith("/"):
        raise ConditionError("field.pointer must be a JSON pointer starting with '/'")
    if not isinstance(value, dict) or value.get("type") != "ValueField" or "value" not in value:
        raise ConditionError("Missing field: value (expected a ValueField)")
    return pointer, value["value"]


def _method(condition: dict, allowed: dict) -> Callable:
    method = condition.get("method")
    if method not in allowed:
        raise ConditionError(
            f"Unsupported method '{method}' for {condition['type']}; expected one of {', '.join(allowed)}"
        )
    return allowed[method]


def _text(condition: dict) -> Predicate:
    pointer, expected = _pointer_and_value(condition)
    compare = _method(condition, _TEXT_METHODS)
    if not isinstance(expected, str):
        raise ConditionError("TextComparisonCondition value must be a string")
    negative = condition["method"].startswith("NOT_")

    def predicate(document: dict) -> bool:
        actual = resolve_pointer(document, pointer)
        if actual is None or isinstance(actual, (dict, list)):
            return negative
        return compare(str(actual), expected)

    return predicate


def _as_number(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError("not a number")
    return float(value)


def _ordered(condition: dict, convert: Callable[[Any], float | datetime], what: str) -> Predicate:
    pointer, expected = _pointer_and_value(condition)
    compare = _method(condition, _ORDERINGS)
    try:
        wanted = convert(expected)
    except (TypeError, ValueError):
        raise ConditionError(f"{condition['type']} value must be {what}") from None
    negative = condition["method"] == "NOT_EQUAL_TO"

    def predicate(document: dict) -> bool:
        try:
            actual = convert(resolve_pointer(document, pointer))
        except (TypeError, ValueError):
            return negative
        return compare(actual, wanted)

    return predicate
