"""The OpenAPI document at /api/v1/openapi.json and its docs page at /api/v1/docs."""

from __future__ import annotations

import re

from jsonschema import Draft202012Validator

DOCS_ENDPOINTS = {"api.openapi_document", "api.docs", "api.docs_asset"}


def test_document_is_openapi_3_1_and_needs_no_token(client, document):
    assert document["openapi"] == "3.1.0"
    assert client.get("/api/v1/openapi.json").status_code == 200


def test_every_api_route_is_documented(app, document):
    """Each route of the API is an operation of the document, named by its endpoint; the
    document and its docs page are the only routes that are not."""
    operations = {
        (path, method.upper()): operation["operationId"]
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method != "parameters"
    }
    undocumented = set()
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api."):
            continue
        path = re.sub(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", r"{\1}", rule.rule)  # <int(max=9):id> too
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if operations.get((path, method)) != rule.endpoint.removeprefix("api."):
                undocumented.add(rule.endpoint)
    assert undocumented == DOCS_ENDPOINTS


def test_every_schema_in_the_document_is_json_schema_2020_12(document):
    for schema in document["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)


def test_operation_ids_are_unique(document):
    ids = [operation["operationId"] for item in document["paths"].values() for operation in item.values()]
    assert len(ids) == len(set(ids))


def test_errors_have_the_one_error_shape(document):
    for item in document["paths"].values():
        for operation in item.values():
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}


def test_request_bodies_carry_the_shared_examples(document):
    media = document["paths"]["/api/v1/labels"]["post"]["requestBody"]["content"]["application/json"]
    assert media["examples"]["numeric-id"]["value"] == {
        "sale_order": {"numeric_id": "787061"},
        "tenant_slug": "demo-warehouse",
    }


def test_docs_page_loads_nothing_from_elsewhere(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    html = page.get_data(as_text=True)
    assert not re.search(r"(src|href)=\"(https?:)?//", html)
    assets = re.findall(r"(?:src|href)=\"(/api/v1/docs/[^\"]+)\"", html)
    assert len(assets) == 4
    for asset in assets:
        with client.get(asset) as response:  # a file: closed, or it warns
            assert response.status_code == 200


def test_docs_serve_only_their_own_files(client):
    assert client.get("/api/v1/docs/swagger-editor.js").status_code == 404
    assert client.get("/api/v1/docs/..%2F..%2Fconfig.py").status_code == 404
