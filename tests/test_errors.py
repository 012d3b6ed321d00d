"""Every error under /api/ has the one JSON shape; none is an HTML page."""

import pytest


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/api/v1/nowhere", 404, "not_found"),
        ("DELETE", "/api/v1/health", 405, "method_not_allowed"),
        ("GET", "/api/v1/whoami", 401, "unauthorized"),
    ],
)
def test_http_errors_use_the_json_shape(client, method, path, status, code):
    response = client.open(path, method=method)
    assert response.status_code == status
    assert response.is_json
    body = response.get_json()
    assert body["code"] == code and body["status"] == status and body["message"]


def test_body_that_is_not_json(client, auth):
    response = client.post("/api/v1/labels", data="sale_order=1", headers=auth)
    assert response.status_code == 415
    assert response.get_json()["code"] == "unsupported_media_type"


def test_body_that_does_not_parse(client, auth):
    response = client.post("/api/v1/labels", data="{not json", content_type="application/json", headers=auth)
    assert response.status_code == 400
    assert response.get_json()["message"] == "The request body is not valid JSON."


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"sale_order": ["Missing data for required field."]}),
        ({"sale_order": {}}, {"sale_order": {"_schema": ["Give exactly one of id, numeric_id, customer_reference."]}}),
        (
            {"sale_order": {"numeric_id": "78x"}},
            {"sale_order": {"numeric_id": ["Must be the order's number (digits)."]}},
        ),
        ({"sale_order": {"id": "not-a-uuid"}}, {"sale_order": {"id": ["Not a valid UUID."]}}),
        (
            {"sale_order": {"numeric_id": "1", "customer_reference": "SO-1"}},
            {"sale_order": {"_schema": ["Give exactly one of id, numeric_id, customer_reference."]}},
        ),
        ({"sale_order": {"numeric_id": "1"}, "colour": "red"}, {"colour": ["Unknown field."]}),
    ],
)
def test_invalid_bodies_get_field_level_messages(client, auth, body, errors):
    response = client.post("/api/v1/labels", json=body, headers=auth)
    assert response.status_code == 422
    assert response.get_json() == {
        "code": "validation_error",
        "status": 422,
        "message": "The request has invalid fields.",
        "errors": errors,
    }


def test_unexpected_errors_are_json_and_logged(app, client, caplog):
    @app.get("/api/_boom")
    def boom():
        raise RuntimeError("internal detail")

    response = client.get("/api/_boom")
    assert response.status_code == 500
    body = response.get_json()
    assert body["code"] == "internal_error"
    assert "internal detail" not in body["message"]
    assert "internal detail" in caplog.text
