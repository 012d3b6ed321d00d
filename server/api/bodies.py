"""Strict JSON request bodies, validated by a marshmallow schema."""
from __future__ import annotations

import json
from typing import Any

from flask import request
from marshmallow import Schema

from ..errors import ApiError


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def json_object() -> dict[str, Any]:
    """The body as a JSON object: 415 when it is not JSON, 400 when it does not parse (NaN and
    Infinity included: they are not JSON), 422 when it is not an object."""
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type", "Send the body as JSON (Content-Type: application/json).")
    try:
        body = json.loads(request.get_data(cache=True), parse_constant=_refuse_constant)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "bad_request", "The request body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise ApiError(422, "validation_error", "The request body must be a JSON object.")
    return body


def load_json(schema: Schema) -> dict[str, Any]:
    """The body validated by ``schema``; 422 with a message per invalid field."""
    return schema.load(json_object())
