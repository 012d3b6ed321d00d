"""The request parser behind ``@api.arguments``: webargs reading bodies with the strict rules of
``bodies.py``, each schema's own ``unknown`` setting in every location (unknown fields are
refused unless a schema says otherwise), and a refusal raised as marshmallow's ValidationError,
which ``server/errors.py`` answers in the one error shape (422, a message per field)."""

from __future__ import annotations

from functools import cache
from typing import Any, NoReturn

from flask import Request
from marshmallow import Schema, ValidationError
from webargs.flaskparser import FlaskParser

from .bodies import json_object, text_body

CSV = "text/csv"


class StrictParser(FlaskParser):
    DEFAULT_UNKNOWN_BY_LOCATION: dict[str, str | None] = {}  # None everywhere: the schema decides

    def _get_schema(self, argmap: Any, req: Request) -> Schema:
        """One instance per schema class, made once: webargs makes a new one for every request,
        and a marshmallow schema's construction cost more than its load. Loading keeps no state
        on the instance, so threads share it."""
        if isinstance(argmap, type) and issubclass(argmap, Schema):
            return _instance_of(argmap)
        return super()._get_schema(argmap, req)

    def load_json(self, req: Request, schema: Schema) -> dict[str, Any]:
        return json_object()

    def handle_error(self, error: ValidationError, req, schema, *, error_status_code, error_headers) -> NoReturn:
        """webargs files the messages under their location (``{"json": {...}}``); the API names the
        fields alone."""
        (messages,) = error.messages.values()
        raise ValidationError(messages) from error


@cache
def _instance_of(schema_class: type[Schema]) -> Schema:
    return schema_class()


parser = StrictParser()


@parser.location_loader("json_or_csv")
def load_json_or_csv(req: Request, schema: Schema) -> dict[str, Any]:
    """A JSON body, or a ``text/csv`` one as ``{"csv": text}``."""
    return {"csv": text_body()} if req.mimetype == CSV else json_object()
