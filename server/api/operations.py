"""What the OpenAPI document says of an operation beyond flask-smorest's own decorators, added as
the route is registered (``blueprint.py``): its id (the view's name), summary and description
(its docstring), tag (its module), the examples of shared-schemas/ on its bodies, and every error
answer, in the one error shape (``server/errors.py``).

A view declares only its own errors, once, with ``@errors({status: description})``; the answers
every route like it shares are added here from facts about the route: 401 for a route that takes
the bearer token (``access.PUBLIC_ENDPOINTS`` take none), 403 for a state-changing call from a
foreign browser origin and for a token without the route's role, 415/400/413/422 for a body, 422
for a query or a path parameter, 429 over the rate limit."""

from __future__ import annotations

import inspect
import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from copy import deepcopy
from typing import Any

from apispec.ext.marshmallow.common import resolve_schema_cls
from flask_smorest import Blueprint

from ..access import PUBLIC_ENDPOINTS, STATE_CHANGING, UNCOUNTED_ENDPOINTS
from ..openapi.contract import BODIES
from .auth import refusal_words, roles_needed

ERROR_SCHEMA = "Error"
OWN_ERRORS = "labelbridge_errors"
BODY_LOCATIONS = {"json", "json_or_csv"}
COMMON_ERRORS = {
    400: "The body is not valid JSON.",
    401: "No valid API token: missing, unknown, expired or revoked.",
    413: "The body is larger than LABELBRIDGE_MAX_CONTENT_LENGTH.",
    415: "The body is not sent in a media type this operation takes.",
    422: "A field is invalid; `errors` names each one and says why.",
    429: "Too many requests from this token (or address); wait `Retry-After` seconds.",
}
FOREIGN_ORIGIN = "A browser page of another origin than the extension's sent this state-changing request."
NUL_IN_PATH = "A path parameter holds a NUL character or a lone surrogate."
PLAIN_PATH_VARIABLE = re.compile(r"<(\w+)>")  # a string: any text, NUL included, reaches the view
RETRY_AFTER = {409, 429, 503}


def errors(own: Mapping[int, str]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare the view's own error answers ``{status: description}``; the view runs unchanged."""

    def attach(view: Callable[..., Any]) -> Callable[..., Any]:
        setattr(view, OWN_ERRORS, dict(own))
        return view

    return attach


def binary(status: int, media_types: tuple[str, ...], description: str):
    """Document an answer of bytes (not JSON) in one of ``media_types``."""
    return Blueprint.doc(responses={status: {"description": description, "content": {t: {} for t in media_types}}})


def path_parameter(name: str, description: str) -> dict[str, Any]:
    return {"in": "path", "name": name, "description": description}


def header_parameter(name: str, description: str) -> dict[str, Any]:
    return {"in": "header", "name": name, "required": False, "schema": {"type": "string"}, "description": description}


def complete(view: Callable[..., Any], endpoint: str, rule: str, method: str) -> None:
    """Add to ``view``'s flask-smorest documentation what this module says; ``endpoint`` is
    the full one (``api.print_label``)."""
    apidoc = deepcopy(getattr(view, "_apidoc", {}))
    summary, description = _summary_and_description(view)
    manual = apidoc.setdefault("manual_doc", {})
    manual.update(
        operationId=endpoint.split(".", 1)[1],
        summary=summary,
        description=description,
        tags=[view.__module__.rsplit(".", 1)[-1]],
    )
    if endpoint in PUBLIC_ENDPOINTS:
        manual.setdefault("security", [])
    arguments = apidoc.get("arguments", {}).get("parameters", [])
    responses = apidoc.setdefault("response", {}).setdefault("responses", {})
    locations = {argument["in"] for argument in arguments}
    for status, text in _errors(view, endpoint, rule, method, locations).items():
        responses[status] = [_error_response(text, status)]
    for documented in [*arguments, *(doc for docs in responses.values() for doc in docs)]:
        if documented.get("schema") is not None and (examples := _examples(documented["schema"])):
            documented["examples"] = examples
    view._apidoc = apidoc


def _summary_and_description(view: Callable[..., Any]) -> tuple[str, str]:
    doc = inspect.cleandoc(view.__doc__ or "")
    doc = doc.replace("``", "`")  # the docstrings' reStructuredText literals, as Markdown
    return re.split(r"(?<=\.)\s", doc, maxsplit=1)[0].strip(), doc


def _errors(view, endpoint: str, rule: str, method: str, locations: set[str]) -> dict[int, str]:
    shared: dict[int, list[str]] = defaultdict(list)
    if endpoint not in PUBLIC_ENDPOINTS:
        shared[401].append(COMMON_ERRORS[401])
    if method in STATE_CHANGING:
        shared[403].append(FOREIGN_ORIGIN)
    if (roles := roles_needed(view)) is not None:
        shared[403].append(refusal_words(roles))
    if locations & BODY_LOCATIONS:
        for status in (400, 413, 415, 422):
            shared[status].append(COMMON_ERRORS[status])
    if "query" in locations:
        shared[422].append(COMMON_ERRORS[422])
    if PLAIN_PATH_VARIABLE.search(rule):
        shared[422].append(NUL_IN_PATH)
    if endpoint not in UNCOUNTED_ENDPOINTS:
        shared[429].append(COMMON_ERRORS[429])
    for status, description in getattr(view, OWN_ERRORS, {}).items():
        shared[status].insert(0, description)
    return {status: " ".join(dict.fromkeys(texts)) for status, texts in sorted(shared.items())}


def _error_response(description: str, status: int) -> dict[str, Any]:
    response: dict[str, Any] = {"description": description, "schema": ERROR_SCHEMA, "content_type": None}
    if status in RETRY_AFTER:
        response["headers"] = {
            "Retry-After": {
                "description": "Seconds to wait before trying again.",
                "required": status == 429,
                "schema": {"type": "integer", "minimum": 1},
            }
        }
    return response


def _examples(schema) -> dict[str, Any]:
    """The valid examples of shared-schemas/ for this schema, if it is one of the shared bodies."""
    if isinstance(schema, str):
        return {}
    schema_cls = resolve_schema_cls(schema)
    return {
        name: {"value": value} for body in BODIES if body.schema is schema_cls for name, value in body.valid.items()
    }
