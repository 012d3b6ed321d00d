"""Strict JSON request bodies, validated by a marshmallow schema."""
from __future__ import annotations

from typing import Any

from flask import request
from marshmallow import Schema

from ..errors import ApiError


def load_json(schema: Schema) -> dict[str, Any]:
    """The validated body; 415 when it is not JSON, 400 when it does not parse, 422 per field."""
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type", "Send the body as JSON (Content-Type: application/json).")
    body = request.get_json(silent=True)
    if body is None:
        raise ApiError(400, "bad_request", "The request body is not valid JSON.")
    if not isinstance(body, dict):
        raise ApiError(422, "validation_error", "The request body must be a JSON object.")
    return schema.load(body)
