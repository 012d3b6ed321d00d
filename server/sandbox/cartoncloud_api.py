"""The simulated CartonCloud API, served under /cartoncloud (docs/cartoncloud-api-notes.md).

Every call needs `Accept-Version: 1` (missing → 400, another value → 406) and, except the token
endpoint, `Authorization: Bearer <token>` with a live token (else 401 and
`WWW-Authenticate: Bearer error="invalid_token"`). A tenant other than the demo tenant is 403.
Errors are arrays: `[{"message": ...}]`, validation `[{"field", "message", "type"}]` (422).
"""

import base64
import binascii
from urllib.parse import urlencode

from flask import Blueprint, Response, jsonify, request

from server.sandbox import catalog, credentials
from server.sandbox.cartoncloud_store import RateLimited
from server.sandbox.conditions import ConditionError, UnsupportedCondition, compile_search
from server.sandbox.envelopes import cartoncloud_failure
from server.sandbox.errors import CartonCloudError
from server.sandbox.gateway import sandbox_state
from server.sandbox.paging import page_of

blueprint = Blueprint("cartoncloud", __name__, url_prefix="/cartoncloud")

MAX_PAGE_SIZE = 100
TOKEN_PATH = "/cartoncloud/uaa/oauth/token"


@blueprint.before_request
def admit() -> Response | None:
    version = request.headers.get("Accept-Version")
    if version is None:
        return cartoncloud_failure(400, "Missing request header 'Accept-Version'")
    if version.strip() != "1":
        return cartoncloud_failure(406, f"Unsupported API version '{version}'; supported versions: 1")
    if request.path == TOKEN_PATH:
        return None
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip() or sandbox_state().cartoncloud.token_user(token.strip()) is None:
        response = cartoncloud_failure(401, "Full authentication is required to access this resource")
        response.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
        return response
    tenant = (request.view_args or {}).get("tenant_id")
    if tenant is not None and tenant != credentials.CARTONCLOUD_TENANT_ID:
        return cartoncloud_failure(403, "Access is denied")
    return None


@blueprint.errorhandler(CartonCloudError)
def refused(error: CartonCloudError) -> Response:
    response = cartoncloud_failure(error.status, error.message, field=error.field, kind=error.kind)
    if isinstance(error, RateLimited):
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def _json_body() -> object:
    body = request.get_json(silent=True)
    if body is None:
        raise CartonCloudError(400, "Required request body is missing or is not valid JSON")
    return body


def _user() -> str:
    _, _, token = request.headers["Authorization"].partition(" ")
    return sandbox_state().cartoncloud.token_user(token.strip()) or ""


# --- OAuth2 -------------------------------------------------------------------------------


@blueprint.post("/uaa/oauth/token")
def token() -> Response:
    """Client credentials with HTTP Basic; 401 for anything else."""
    if request.form.get("grant_type") != "client_credentials":
        return cartoncloud_failure(400, "Unsupported grant type: expected client_credentials")
    scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
    try:
        client_id, _, secret = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        client_id, secret = "", ""
    issued = sandbox_state().cartoncloud.issue_token(client_id, secret) if scheme.lower() == "basic" else None
    if issued is None:
        response = cartoncloud_failure(401, "Bad credentials")
        response.headers["WWW-Authenticate"] = 'Basic realm="oauth2/client"'
        return response
    return jsonify(issued)


@blueprint.get("/uaa/userinfo")
def userinfo() -> Response:
    return jsonify(
        {
            "id": credentials.CARTONCLOUD_USER_ID,
            "name": credentials.CARTONCLOUD_USER_NAME,
            "email": credentials.CARTONCLOUD_USER_EMAIL,
            "tenants": [{"id": credentials.CARTONCLOUD_TENANT_ID, "name": credentials.TENANT_NAME}],
        }
    )


# --- sale orders --------------------------------------------------------------------------


@blueprint.get("/tenants/<tenant_id>/outbound-orders/<order_id>")
def get_sale_order(tenant_id: str, order_id: str) -> Response:
    """By UUID only (the numeric id is not an API key); 404 otherwise."""
    order = sandbox_state().cartoncloud.sale_order(order_id)
    if order["id"] != order_id:
        raise CartonCloudError(404, f"Outbound order {order_id} not found")
    return jsonify(order)


@blueprint.post("/tenants/<tenant_id>/outbound-orders/search")
def search_sale_orders(tenant_id: str) -> Response:
    """A date-time condition is refused (400 or 422) when the `cartoncloud_datetime_search` option says so."""
    state = sandbox_state()
    store = state.cartoncloud
    refusal = state.options.cartoncloud_datetime_search
    return _search_page(
        store.search_sale_orders(
            _predicate(store.options.numeric_search, allow_datetime=refusal is None, refusal_status=refusal or 400)
        )
    )


@blueprint.post("/tenants/<tenant_id>/outbound-orders")
def create_sale_order(tenant_id: str) -> tuple[Response, int]:
    """201 with the new order; 422 for invalid fields; 429 past 30 creates a minute per user."""
    body = _json_body()
    if not isinstance(body, dict):
        raise CartonCloudError(400, "Request body must be a JSON object")
    partial = {key: value for key, value in body.items() if key != "status"}  # the API cannot pick a status
    order = sandbox_state().cartoncloud.create_sale_order(partial, user=_user())
    return jsonify(order), 201


@blueprint.post("/tenants/<tenant_id>/outbound-orders/<order_id>/documents")
def add_document(tenant_id: str, order_id: str) -> tuple[Response, int]:
    document = sandbox_state().cartoncloud.add_document(order_id, _json_body())
    return jsonify(document), 201


@blueprint.get("/tenants/<tenant_id>/outbound-orders/<order_id>/documents")
def list_documents(tenant_id: str, order_id: str) -> Response:
    """The order's documents, oldest first; `Prefer: return=minimal` keeps `id`, `type` and `content.name`."""
    minimal = "return=minimal" in request.headers.get("Prefer", "").replace(" ", "").lower()
    response = jsonify(sandbox_state().cartoncloud.sale_order_documents(order_id, minimal=minimal))
    if minimal:
        response.headers["Preference-Applied"] = "return=minimal"
    return response


@blueprint.get("/tenants/<tenant_id>/outbound-orders/<order_id>/documents/<document_id>/download")
def download_document(tenant_id: str, order_id: str, document_id: str) -> Response:
    """The file's bytes, typed by its name's extension."""
    name, data = sandbox_state().cartoncloud.document_file(order_id, document_id)
    mimetype = {"pdf": "application/pdf", "zpl": "application/zpl"}.get(
        name.rsplit(".", 1)[-1].lower(), "application/octet-stream"
    )
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- customers ----------------------------------------------------------------------------


@blueprint.get("/tenants/<tenant_id>/customers")
def customers(tenant_id: str) -> Response:
    """The tenant's customers, paged like a search (`page`, `size`)."""
    return _search_page(list(catalog.CUSTOMERS))


# --- consignments -------------------------------------------------------------------------


@blueprint.post("/tenants/<tenant_id>/consignments/search")
def search_consignments(tenant_id: str) -> Response:
    return _search_page(sandbox_state().cartoncloud.search_consignments(_predicate(True)))


@blueprint.get("/tenants/<tenant_id>/consignments/<consignment_id>")
def get_consignment(tenant_id: str, consignment_id: str) -> Response:
    consignment = sandbox_state().cartoncloud.consignment(consignment_id)
    return _with_etag(jsonify(consignment), consignment["version"])


@blueprint.put("/tenants/<tenant_id>/consignments/<consignment_id>")
def update_consignment(tenant_id: str, consignment_id: str) -> Response:
    """Full entity with `If-Match: <version>`: 412 if it is not the current version, 409 if the
    body's `version` is stale."""
    consignment = sandbox_state().cartoncloud.update_consignment(
        consignment_id, _json_body(), request.headers.get("If-Match")
    )
    return _with_etag(jsonify(consignment), consignment["version"])


def _with_etag(response: Response, version: int) -> Response:
    response.headers["ETag"] = f'"{version}"'
    return response


# --- search paging ------------------------------------------------------------------------


def _predicate(allow_numeric: bool, *, allow_datetime: bool = True, refusal_status: int = 400):
    """`refusal_status` answers a condition type the tenant does not search by: 400, or 422 in
    the validation shape (`field`, `type`)."""
    try:
        return compile_search(_json_body(), allow_numeric=allow_numeric, allow_datetime=allow_datetime)
    except UnsupportedCondition as error:
        if refusal_status == 422:
            raise CartonCloudError(422, f"{error.kind} is not supported", field="/condition", kind="INVALID") from None
        raise CartonCloudError(400, str(error)) from None
    except ConditionError as error:
        raise CartonCloudError(400, str(error)) from None


def _page_arg(name: str, default: int, maximum: int | None = None) -> int:
    raw = request.args.get(name, str(default))
    if not raw.isdigit() or int(raw) < 1 or (maximum is not None and int(raw) > maximum):
        limit = f" and at most {maximum}" if maximum else ""
        raise CartonCloudError(400, f"Parameter '{name}' must be a whole number of at least 1{limit}")
    return int(raw)


def _search_page(items: list[dict]) -> Response:
    """One page as a JSON array; totals and links in headers, as CartonCloud does."""
    page = _page_arg("page", 1)
    size = _page_arg("size", MAX_PAGE_SIZE, MAX_PAGE_SIZE)
    content, total_pages = page_of(items, page, size)
    response = jsonify(content)
    response.headers.update(
        {
            "Total-Pages": str(total_pages),
            "Page-Size": str(size),
            "Page-Number": str(page),
            "Total-Elements": str(len(items)),
        }
    )
    links = _links(page, size, total_pages)
    if links:
        response.headers["Link"] = links
    return response


def _links(page: int, size: int, total_pages: int) -> str:
    def url(number: int) -> str:
        return f"<{request.base_url}?{urlencode({'page': number, 'size': size})}>"

    rels = [("first", 1)] if total_pages else []
    if page > 1 and total_pages:
        rels.append(("prev", min(page - 1, total_pages)))
    if page < total_pages:
        rels.append(("next", page + 1))
    if total_pages:
        rels.append(("last", total_pages))
    return ", ".join(f'{url(number)}; rel="{rel}"' for rel, number in rels)
