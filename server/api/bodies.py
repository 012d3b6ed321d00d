"""Strict request bodies: JSON read as JSON (no NaN, nothing nested past MAX_DEPTH, no NUL or lone
surrogate), text (CSV) decoded strictly; the parser (``parser.py``) hands them to the schemas."""

from __future__ import annotations

import json
import re
from typing import Any

from flask import request

from ..errors import ApiError

# NUL, which PostgreSQL cannot store or even compare, and the halves of a surrogate pair alone
# (JSON's "\ud800"), which are no text at all: neither can be sent on, stored or looked up.
UNUSABLE_TEXT = re.compile("[\x00\ud800-\udfff]")
UNUSABLE_REFUSED = "The request holds a NUL character or a lone surrogate (\\u0000, \\ud800…): no sale order, account or key contains one."


MAX_DEPTH = 32  # objects and arrays inside each other; no body labelbridge takes comes near it
TOO_DEEP = f"The request body nests objects and arrays more than {MAX_DEPTH} deep."


class _TooDeep(Exception):
    pass


def _strings_within_depth(value: Any) -> list[str]:
    """Every string (keys included) in ``value``, walked without recursion; raises _TooDeep past
    MAX_DEPTH levels of objects and arrays."""
    strings: list[str] = []
    pending = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, str):
            strings.append(item)
        elif isinstance(item, (dict, list, tuple)):
            if depth >= MAX_DEPTH:
                raise _TooDeep()
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            pending.extend((child, depth + 1) for child in children)
    return strings


def _has_unusable_text(value: Any) -> bool:
    return any(UNUSABLE_TEXT.search(text) for text in _strings_within_depth(value))


def refuse_unusable_path() -> None:
    """422 for a path parameter holding such text: it would otherwise end as a 500 wherever it
    reaches a query. (Bodies: ``json_object``; query strings: their schemas' ``no_nul``; werkzeug
    decodes a query string to valid text.)"""
    if request.view_args and _has_unusable_text(list(request.view_args.values())):
        raise ApiError(422, "validation_error", UNUSABLE_REFUSED)


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def json_object() -> dict[str, Any]:
    """The body as a JSON object: 415 when it is not JSON, 400 ``invalid_json`` when it does not
    parse (NaN and Infinity included: they are not JSON) or nests past MAX_DEPTH, 422 when it is
    not an object or holds a NUL or a lone surrogate."""
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type", "Send the body as JSON (Content-Type: application/json).")
    try:
        body = json.loads(request.get_data(cache=True), parse_constant=_refuse_constant)
        strings = _strings_within_depth(body)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "invalid_json", "The request body is not valid JSON.") from None
    except (RecursionError, _TooDeep):  # the parser's own limit, far past ours, is no 500 either
        raise ApiError(400, "invalid_json", TOO_DEEP) from None
    if not isinstance(body, dict):
        raise ApiError(422, "validation_error", "The request body must be a JSON object.")
    if any(UNUSABLE_TEXT.search(text) for text in strings):
        raise ApiError(422, "validation_error", UNUSABLE_REFUSED)
    return body


def text_body() -> str:
    """The body as text in its declared ``charset`` (UTF-8 when none), decoded strictly: 415 for
    a charset that is no text encoding, 422 ``invalid_text`` naming the line of the first byte that
    is not in it, 422 for a NUL or a lone surrogate (as in JSON bodies)."""
    charset = request.mimetype_params.get("charset", "utf-8")
    data = request.get_data(cache=True)
    try:
        text = data.decode(charset)
    except LookupError:
        raise ApiError(
            415,
            "unsupported_media_type",
            f"'{charset}' is not a text encoding labelbridge knows: send the file as UTF-8.",
        ) from None
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        message = f"Byte {error.start + 1} is not valid {charset}: save the file as UTF-8 (or name its charset)."
        raise ApiError(
            422, "invalid_text", f"The body is not valid {charset} text.", errors={f"line {line}": [message]}
        ) from None
    if UNUSABLE_TEXT.search(text):
        raise ApiError(422, "validation_error", UNUSABLE_REFUSED)
    return text
