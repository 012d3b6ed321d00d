"""What a view says about itself for the OpenAPI document: its bodies, parameters and errors.

``@operation(...)`` only attaches that description to the view function and returns the same
function, so it changes nothing about how the view runs. ``spec.py`` reads it back. The answers
every operation shares (401 without a token, 429 over the rate limit, 415/400/422 for a body...)
are added there, from facts about the route, so a view lists only its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from marshmallow import Schema

ATTRIBUTE = "__openapi_operation__"

SchemaRef = type[Schema] | Schema


@dataclass(frozen=True)
class Binary:
    """A body that is bytes, not JSON, in one of ``media_types``."""

    media_types: tuple[str, ...]


@dataclass(frozen=True)
class Operation:
    responses: Mapping[int, tuple[SchemaRef | Binary | None, str]]
    errors: Mapping[int, str] = field(default_factory=dict)
    request: SchemaRef | None = None
    request_text: tuple[str, ...] = ()
    query: SchemaRef | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    path: Mapping[str, str] = field(default_factory=dict)
    security: tuple[str, ...] | None = None
    admin: bool = False


def operation(
    *,
    responses: Mapping[int, tuple[SchemaRef | Binary | None, str]],
    errors: Mapping[int, str] | None = None,
    request: SchemaRef | None = None,
    request_text: tuple[str, ...] = (),
    query: SchemaRef | None = None,
    headers: Mapping[str, str] | None = None,
    path: Mapping[str, str] | None = None,
    security: tuple[str, ...] | None = None,
    admin: bool = False,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Describe a view: ``responses`` are its successes ``{status: (schema, description)}``,
    ``errors`` its own error answers ``{status: description}`` (all in the one error shape),
    ``request`` its JSON body, ``request_text`` other media types it takes as plain text
    instead, ``query`` its query string, ``headers`` and ``path`` the
    descriptions of its optional request headers and path parameters, ``security`` the schemes
    it takes instead of the bearer token, ``admin`` whether a packer token gets 403."""
    described = Operation(
        responses=dict(responses),
        errors=dict(errors or {}),
        request=request,
        request_text=request_text,
        query=query,
        headers=dict(headers or {}),
        path=dict(path or {}),
        security=security,
        admin=admin,
    )

    def attach(view: Callable[..., Any]) -> Callable[..., Any]:
        setattr(view, ATTRIBUTE, described)
        return view

    return attach


def described(view: Callable[..., Any]) -> Operation | None:
    return getattr(view, ATTRIBUTE, None)
