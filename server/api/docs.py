"""The OpenAPI document and its docs page. Both answer without a token (auth.PUBLIC_ENDPOINTS):
they describe the API's shape, which is no secret, and a browser cannot send a bearer token to
open a page. The page is Swagger UI from the swagger-ui-py package: nothing comes from a CDN."""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

from flask import render_template_string, send_from_directory, url_for
from flask_smorest import current_api

from ..errors import ApiError
from .blueprint import api, undocumented

OWN_ASSETS = Path(__file__).resolve().parent.parent / "openapi" / "static"
# Found, not imported: the package's own code is not needed to serve its files (half a MB a process).
SWAGGER_UI_ASSETS = Path(find_spec("swagger_ui").origin).parent / "static"
# Only what the page loads; the package also ships an editor this page does not use.
ASSETS = {
    "docs.js": OWN_ASSETS,
    "swagger-ui-bundle.js": SWAGGER_UI_ASSETS,
    "swagger-ui.css": SWAGGER_UI_ASSETS,
    "favicon-32x32.png": SWAGGER_UI_ASSETS,
}
# Swagger UI styles elements inline and shows its logo as a data: image; nothing else is allowed.
CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'"


@api.get("/openapi.json")
@undocumented
def openapi_document():
    """The OpenAPI 3.1 document of this API, as flask-smorest built it from the views' schemas."""
    return current_api.document()


@api.get("/docs")
@undocumented
def docs():
    """The document, readable: Swagger UI, served from this package."""
    page = render_template_string(
        (OWN_ASSETS / "docs.html").read_text(encoding="utf-8"),
        asset=lambda name: url_for("api.docs_asset", filename=name),
        spec_url=url_for("api.openapi_document"),
    )
    return page, 200, {"Content-Security-Policy": CSP}


@api.get("/docs/<filename>")
@undocumented
def docs_asset(filename: str):
    """One of the page's files. 404 for anything else."""
    folder = ASSETS.get(filename)
    if folder is None:
        raise ApiError(404, "not_found", f"The docs page has no file {filename}.")
    return send_from_directory(str(folder), filename, max_age=3600)
