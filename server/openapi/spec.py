"""The OpenAPI 3.1 document of /api/v1, generated from the views' ``@operation`` descriptions and
their marshmallow schemas by apispec's marshmallow plugin.

The answers every operation shares are added here from facts about the route, in the one error
shape (``server/errors.py``): 401 for a route that takes the bearer token (``auth.PUBLIC_ENDPOINTS``
take none), 403 for a state-changing call from a foreign browser origin and for a packer token on
an admin route, 415/400/413/422 for a JSON body, 422 for a query or a path parameter, 429 over
the rate limit.
"""

from __future__ import annotations

import inspect
import re
from collections import defaultdict
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_cls
from apispec.ext.marshmallow.openapi import OpenAPIConverter
from flask import Flask
from marshmallow import fields, validate
from werkzeug.routing import Rule

from ..access import PUBLIC_ENDPOINTS, STATE_CHANGING
from ..version import __version__
from .operations import Binary, Operation, described

OPENAPI_VERSION = "3.1.0"
API_BLUEPRINT = "api."
BEARER = "bearerToken"
ERROR_SCHEMA = "Error"

# Schemes a public route may name in @operation(security=...) instead of the bearer token.
SECURITY_SCHEMES: dict[str, dict[str, Any]] = {
    BEARER: {"type": "http", "scheme": "bearer", "description": "A token from `labelbridge token create NAME`."},
    "cartoncloudWebhookSecret": {
        "type": "apiKey",
        "in": "header",
        "name": "X-Labelbridge-Secret",
        "description": "LABELBRIDGE_CARTONCLOUD_WEBHOOK_SECRET, in this header only (never in the URL).",
    },
}

COMMON_ERRORS = {
    400: "The body is not valid JSON.",
    401: "No valid API token: missing, unknown, expired or revoked.",
    413: "The body is larger than LABELBRIDGE_MAX_CONTENT_LENGTH.",
    415: "The body is not sent in a media type this operation takes.",
    422: "A field is invalid; `errors` names each one and says why.",
    429: "Too many requests from this token (or address); wait `Retry-After` seconds.",
}
FOREIGN_ORIGIN = "A browser page of another origin than the extension's sent this state-changing request."
NOT_ADMIN = "This needs an admin token; packer tokens print and look up only."
NUL_IN_PATH = "A path parameter holds a NUL character or a lone surrogate."
# What Flask's URL converters accept, as JSON Schema.
CONVERTERS = {"uuid": {"type": "string", "format": "uuid"}, "int": {"type": "integer", "minimum": 0}}
PATH_VARIABLE = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
RETRY_AFTER = {409, 429, 503}

DESCRIPTION = """\
The labelbridge backend: what the browser extension (and anything else holding a token) calls.

Every route but `GET /api/v1/health` and the webhooks takes `Authorization: Bearer <token>`.
Every answer that is not 2xx has one shape, `Error`: `message` is a sentence a packer can act on,
`errors` names the fields at fault. Request bodies are parsed strictly (unknown fields refused);
answers may gain fields within v1, so readers ignore fields they do not know."""


class _Converter(OpenAPIConverter):
    """apispec's converter, plus each schema class's own docstring as its description, the
    JSON Schema a marshmallow validator cannot say (``class Meta: json_schema = {...}``), and
    exclusive bounds, which apispec drops (it would document 0 where the server refuses it)."""

    def init_attribute_functions(self) -> None:
        super().init_attribute_functions()
        self.add_attribute_function(exclusive_bounds)

    def schema2jsonschema(self, schema):
        jsonschema = super().schema2jsonschema(schema)
        schema_cls = resolve_schema_cls(schema)
        if schema_cls.__dict__.get("__doc__"):
            jsonschema["description"] = inspect.cleandoc(schema_cls.__doc__)
        jsonschema.update(getattr(getattr(schema_cls, "Meta", None), "json_schema", {}))
        return jsonschema


def exclusive_bounds(self, field, ret: dict[str, Any], **_kwargs) -> dict[str, Any]:
    """``Range(min=0, min_inclusive=False)`` as ``exclusiveMinimum: 0`` (and the same for max)."""
    for validator in field.validators:
        if isinstance(validator, validate.Range):
            if validator.min is not None and not validator.min_inclusive:
                ret.pop("minimum", None)
                ret["exclusiveMinimum"] = validator.min
            if validator.max is not None and not validator.max_inclusive:
                ret.pop("maximum", None)
                ret["exclusiveMaximum"] = validator.max
    return {}


class SchemaPlugin(MarshmallowPlugin):
    Converter = _Converter

    def init_spec(self, spec: APISpec) -> None:
        super().init_spec(spec)
        self.map_to_openapi_type(fields.Url, "string", "uri")  # apispec says "url", no JSON Schema format


def new_spec(**options: Any) -> APISpec:
    """An empty OpenAPI 3.1 document that turns marshmallow schemas into JSON Schema."""
    return APISpec(
        title="labelbridge", version=__version__, openapi_version=OPENAPI_VERSION, plugins=[SchemaPlugin()], **options
    )


def openapi_path(rule: Rule) -> str:
    """Flask's ``/labels/<label_id>/file`` as OpenAPI's ``/labels/{label_id}/file``."""
    return PATH_VARIABLE.sub(r"{\2}", rule.rule)


def _summary_and_description(view) -> tuple[str, str]:
    doc = inspect.cleandoc(view.__doc__ or "")
    doc = doc.replace("``", "`")  # the docstrings' reStructuredText literals, as Markdown
    first = re.split(r"(?<=\.)\s", doc, maxsplit=1)[0].strip()
    return first, doc


def _error_response(description: str, status: int) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": ERROR_SCHEMA}},
    }
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
    from .contract import BODIES

    schema_cls = resolve_schema_cls(schema)
    return {
        name: {"value": value} for body in BODIES if body.schema is schema_cls for name, value in body.valid.items()
    }


def _json_content(schema) -> dict[str, Any]:
    media: dict[str, Any] = {"schema": schema}
    if examples := _examples(schema):
        media["examples"] = examples
    return {"application/json": media}


def _success_response(body, description: str) -> dict[str, Any]:
    if body is None:
        return {"description": description}
    if isinstance(body, Binary):
        return {"description": description, "content": {media_type: {} for media_type in body.media_types}}
    return {"description": description, "content": _json_content(body)}


def _errors(rule: Rule, method: str, described_op: Operation) -> dict[int, str]:
    """This operation's error answers: its own plus those every route like it shares."""
    shared: dict[int, list[str]] = defaultdict(list)
    if rule.endpoint not in PUBLIC_ENDPOINTS:
        shared[401].append(COMMON_ERRORS[401])
    if method in STATE_CHANGING:
        shared[403].append(FOREIGN_ORIGIN)
    if described_op.admin:
        shared[403].append(NOT_ADMIN)
    if described_op.request is not None:
        for status in (400, 413, 415, 422):
            shared[status].append(COMMON_ERRORS[status])
    if described_op.query is not None:
        shared[422].append(COMMON_ERRORS[422])
    if any(not converter for converter, _name in PATH_VARIABLE.findall(rule.rule)):  # a plain string
        shared[422].append(NUL_IN_PATH)
    shared[429].append(COMMON_ERRORS[429])
    for status, description in described_op.errors.items():
        shared[status].insert(0, description)
    return {status: " ".join(dict.fromkeys(texts)) for status, texts in sorted(shared.items())}


def _parameters(rule: Rule, described_op: Operation) -> list[dict[str, Any]]:
    converters = {name: converter for converter, name in PATH_VARIABLE.findall(rule.rule)}
    parameters: list[dict[str, Any]] = [
        {
            "in": "path",
            "name": name,
            "required": True,
            "schema": CONVERTERS.get(converters.get(name), {"type": "string", "minLength": 1}),
            **({"description": described_op.path[name]} if name in described_op.path else {}),
        }
        for name in sorted(rule.arguments)
    ]
    parameters += [
        {"in": "header", "name": name, "required": False, "schema": {"type": "string"}, "description": text}
        for name, text in described_op.headers.items()
    ]
    if described_op.query is not None:
        parameters.append({"in": "query", "schema": described_op.query})
    return parameters


def _operation(app: Flask, rule: Rule, operation_id: str, method: str) -> dict[str, Any] | None:
    view = app.view_functions[rule.endpoint]
    described_op = described(view)
    if described_op is None:
        return None
    summary, description = _summary_and_description(view)
    responses: dict[str, Any] = {
        str(status): _success_response(body, text) for status, (body, text) in described_op.responses.items()
    }
    for status, text in _errors(rule, method, described_op).items():
        responses[str(status)] = _error_response(text, status)
    body: dict[str, Any] = {
        "operationId": operation_id,
        "summary": summary,
        "description": description,
        "tags": [view.__module__.rsplit(".", 1)[-1]],
        "parameters": _parameters(rule, described_op),
        "responses": dict(sorted(responses.items())),
    }
    if described_op.request is not None:
        content = _json_content(described_op.request)
        content.update({media_type: {"schema": {"type": "string"}} for media_type in described_op.request_text})
        body["requestBody"] = {"required": True, "content": content}
    if described_op.security is not None:
        body["security"] = [{name: []} for name in described_op.security]
    elif rule.endpoint in PUBLIC_ENDPOINTS:
        body["security"] = []
    return body


def _operation_id(rule: Rule, rules: list[Rule]) -> str:
    """The endpoint's name; where one view serves several paths, the path's parameters added."""
    name = rule.endpoint.removeprefix(API_BLUEPRINT)
    if sum(other.endpoint == rule.endpoint for other in rules) > 1 and rule.arguments:
        name += "".join(f"_by_{argument}" for argument in sorted(rule.arguments))
    return name


def build_spec(app: Flask) -> dict[str, Any]:
    """The whole document, as a JSON-ready dict."""
    from ..schemas.labels import ErrorSchema

    spec = new_spec(info={"description": DESCRIPTION}, security=[{BEARER: []}])
    for name, scheme in SECURITY_SCHEMES.items():
        spec.components.security_scheme(name, scheme)
    spec.components.schema(ERROR_SCHEMA, schema=ErrorSchema)
    rules = sorted(
        (rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith(API_BLUEPRINT)),
        key=lambda rule: rule.rule,
    )
    for rule in rules:
        methods = set(rule.methods or ()) - {"HEAD", "OPTIONS"}
        operations = {}
        for method in sorted(methods):
            operation_id = _operation_id(rule, rules)
            operation_id += "" if len(methods) == 1 else f"_{method.lower()}"
            described_operation = _operation(app, rule, operation_id, method)
            if described_operation is not None:
                operations[method.lower()] = described_operation
        if operations:
            spec.path(path=openapi_path(rule), operations=operations)
    return spec.to_dict()


def undocumented_endpoints(app: Flask) -> set[str]:
    """API endpoints with no ``@operation`` (the document's own routes should be the only ones)."""
    return {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith(API_BLUEPRINT) and described(app.view_functions[rule.endpoint]) is None
    }
