"""Strict JSON request bodies, validated by a marshmallow schema."""
from __future__ import annotations

import json
import re
from typing import Any

from flask import request
from marshmallow import Schema

from ..errors import ApiError


# NUL, which PostgreSQL cannot store or even compare, and the halves of a surrogate pair alone
# (JSON's "\ud800"), which are no text at all: neither can be sent on, stored or looked up.
UNUSABLE_TEXT = re.compile("[\x00\ud800-\udfff]")
UNUSABLE_REFUSED = "The request holds a NUL character or a lone surrogate (\\u0000, \\ud800…): no sale order, account or key contains one."


def _has_unusable_text(value: Any) -> bool:
    if isinstance(value, str):
        return UNUSABLE_TEXT.search(value) is not None
    if isinstance(value, dict):
        return any(_has_unusable_text(key) or _has_unusable_text(item) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return any(_has_unusable_text(item) for item in value)
    return False


def refuse_unusable_path() -> None:
    """422 for a path parameter holding such text: it would otherwise end as a 500 wherever it
    reaches a query. (Bodies: ``json_object``; query strings: their schemas' ``no_nul``; werkzeug
    decodes a query string to valid text.)"""
    if _has_unusable_text(list((request.view_args or {}).values())):
        raise ApiError(422, "validation_error", UNUSABLE_REFUSED)


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def json_object() -> dict[str, Any]:
    """The body as a JSON object: 415 when it is not JSON, 400 when it does not parse (NaN and
    Infinity included: they are not JSON), 422 when it is not an object or holds a NUL or a lone
    surrogate."""
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type", "Send the body as JSON (Content-Type: application/json).")
    try:
        body = json.loads(request.get_data(cache=True), parse_constant=_refuse_constant)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "bad_request", "The request body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise ApiError(422, "validation_error", "The request body must be a JSON object.")
    if _has_unusable_text(body):
        raise ApiError(422, "validation_error", UNUSABLE_REFUSED)
    return body


def load_json(schema: Schema) -> dict[str, Any]:
    """The body validated by ``schema``; 422 with a message per invalid field."""
    return schema.load(json_object())
