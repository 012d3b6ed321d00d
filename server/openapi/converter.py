"""How the marshmallow schemas become JSON Schema, for the OpenAPI document (flask-smorest's
apispec underneath, ``server/api/document.py``) and for shared-schemas/ (``export.py``) alike:
apispec's marshmallow plugin with the few things it does not say by itself."""

from __future__ import annotations

import inspect
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_cls
from apispec.ext.marshmallow.openapi import OpenAPIConverter
from marshmallow import fields, validate

from ..version import __version__

OPENAPI_VERSION = "3.1.0"


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


def new_spec() -> APISpec:
    """An empty OpenAPI 3.1 document that turns marshmallow schemas into JSON Schema."""
    return APISpec(title="labelbridge", version=__version__, openapi_version=OPENAPI_VERSION, plugins=[SchemaPlugin()])
