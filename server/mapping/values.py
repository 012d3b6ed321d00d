"""Safe reads from CartonCloud JSON, which may lack keys or carry unexpected types.

Every read goes through these helpers so a malformed sale order yields mapping issues,
never a KeyError or TypeError.
"""

import math


def dig(data: object, *path: str) -> object:
    """The value at `path` through nested objects; None where a step is missing or not an object.
    Parsed JSON objects are dicts (a check against the Mapping ABC cost a twentieth of a mapping)."""
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def text(value: object) -> str | None:
    """The value as trimmed text; None for null, blank or non-text values.

    Integers count as text: identifiers such as `numericId` may arrive as JSON numbers.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return value.strip() or None
    return None


def number(value: object) -> int | float | None:
    """The value if it is a finite JSON number, else None (booleans are not numbers)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def without_empty(fields: dict) -> dict:
    """`fields` minus the ones with no value: Starshipit gets absent keys, not nulls."""
    return {key: value for key, value in fields.items() if value is not None}


def currency_code(value: str) -> str | None:
    """`value` as an ISO 4217 style code ("aud" -> "AUD"); None unless it is three letters."""
    code = value.strip().upper()
    return code if len(code) == 3 and code.isascii() and code.isalpha() else None
