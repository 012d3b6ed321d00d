"""Reading a response against the OpenAPI document, for the contract tests."""

from __future__ import annotations

import copy
from typing import Any

from jsonschema import Draft202012Validator


def strict(document: dict) -> dict:
    """The document with ``additionalProperties: false`` wherever an object schema leaves it
    open: the document lets readers ignore new fields, but this server must send none unnamed."""
    document = copy.deepcopy(document)

    def close(node):
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" in node:
                node.setdefault("additionalProperties", False)
            for value in node.values():
                close(value)
        elif isinstance(node, list):
            for item in node:
                close(item)

    close(document["components"])
    return document


def body_problems(strict_document: dict, documented_response: dict, body: Any) -> list[str]:
    """Where a JSON body breaks its documented schema, or sends a field it does not name."""
    schema = documented_response["content"]["application/json"]["schema"]
    validator = Draft202012Validator({**strict_document, **schema})
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '(body)'}: {error.message}"
        for error in validator.iter_errors(body)
    ]
