"""The sandbox's control API under /_sandbox/: what tests, benchmarks and the demo use to look
inside the simulators and to steer them. JSON in and out; errors are `{"error": "..."}`.
"""

from flask import Blueprint, Response, jsonify, request

from server.sandbox import credentials
from server.sandbox.errors import CartonCloudError, StarshipitRefusal
from server.sandbox.gateway import sandbox_state

blueprint = Blueprint("sandbox_control", __name__, url_prefix="/_sandbox")


class ControlError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


@blueprint.errorhandler(ControlError)
def control_error(error: ControlError) -> Response:
    return _error(error.status, str(error))


@blueprint.errorhandler(CartonCloudError)
def cartoncloud_error(error: CartonCloudError) -> Response:
    where = f" ({error.field})" if error.field else ""
    return _error(error.status, f"{error.message}{where}")


@blueprint.errorhandler(StarshipitRefusal)
def starshipit_error(error: StarshipitRefusal) -> Response:
    return _error(error.status if error.status >= 400 else 409, str(error))


def _error(status: int, message: str) -> Response:
    response = jsonify({"error": message})
    response.status_code = status
    return response


def _object_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ControlError(400, "expected a JSON object")
    return body


def _base_url() -> str:
    return request.host_url.rstrip("/")


def page_url(numeric_id: str) -> str:
    return f"{_base_url()}/app/{credentials.TENANT_SLUG}/SaleOrders/view/{numeric_id}"


@blueprint.get("/info")
def info() -> Response:
    """Where everything is and how to log in: what `labelbridge demo` prints."""
    orders = sandbox_state().cartoncloud.sale_orders()
    return jsonify(
        {
            "starshipit_url": f"{_base_url()}/starshipit",
            "cartoncloud_url": f"{_base_url()}/cartoncloud",
            "app_url": f"{_base_url()}/app",
            "credentials": credentials.as_settings(),
            "tenant_slug": credentials.TENANT_SLUG,
            "starshipit_accounts": [account.as_json() for account in sandbox_state().starshipit_accounts],
            "sale_orders": [
                {
                    "id": order["id"],
                    "numeric_id": order["references"]["numericId"],
                    "customer_reference": order["references"]["customer"],
                    "status": order["status"],
                    "page_url": page_url(order["references"]["numericId"]),
                }
                for order in orders
            ],
        }
    )


@blueprint.post("/reset")
def reset() -> Response:
    sandbox_state().reset()
    return jsonify({"reset": True})


@blueprint.get("/options")
def options() -> Response:
    """The ⚠ readings in force (options.py)."""
    return jsonify(sandbox_state().options.as_json())


@blueprint.put("/options")
def set_options() -> Response:
    """`{"starshipit_not_found": 404, ...}`: some options changed until the next reset."""
    try:
        changed = sandbox_state().set_options(**_object_body())
    except (TypeError, ValueError) as error:
        raise ControlError(400, str(error)) from None
    return jsonify(changed.as_json())


# --- CartonCloud --------------------------------------------------------------------------


@blueprint.post("/sale-orders")
def create_sale_order() -> tuple[Response, int]:
    """A sale order from a partial order JSON (`status` allowed); 201 with the full order."""
    order = sandbox_state().cartoncloud.create_sale_order(_object_body())
    return jsonify(order), 201


@blueprint.post("/sale-orders/<key>/status")
def set_sale_order_status(key: str) -> Response:
    """`{"status": "PACKED"}` for the order with UUID or numericId `key`."""
    status = _object_body().get("status")
    return jsonify(sandbox_state().cartoncloud.set_status(key, status))


@blueprint.get("/cartoncloud/consignments")
def consignments() -> Response:
    return jsonify(sandbox_state().cartoncloud.consignments())


@blueprint.get("/cartoncloud/documents")
def documents() -> Response:
    """Documents uploaded to sale orders, with `data` (base64); `?sale_order_id=` filters."""
    return jsonify(sandbox_state().cartoncloud.documents(request.args.get("sale_order_id")))


@blueprint.post("/cartoncloud/tokens/expire")
def expire_tokens() -> Response:
    sandbox_state().cartoncloud.expire_tokens()
    return jsonify({"expired": True})


# --- Starshipit ---------------------------------------------------------------------------


@blueprint.get("/starshipit/orders")
def starshipit_orders() -> Response:
    """Every order with its `account` name; `?account=<name>` keeps one account's (404: no such account)."""
    state = sandbox_state()
    account = request.args.get("account")
    if account is not None and state.starshipit_accounts.named(account) is None:
        raise ControlError(404, f"no Starshipit account {account!r}")
    return jsonify(state.starshipit_orders(account))


@blueprint.post("/starshipit/orders/<int:order_id>/print")
def print_in_starshipit(order_id: int) -> Response:
    """Print as a user would in the Starshipit app; the shipment, like the API's answer."""
    return jsonify(sandbox_state().starshipit.print_in_app(order_id))


@blueprint.post("/starshipit/orders/<int:order_id>/relabel")
def relabel(order_id: int) -> Response:
    """New labels and tracking numbers for a printed order."""
    return jsonify(sandbox_state().starshipit.relabel(order_id))


@blueprint.post("/starshipit/orders/<int:order_id>/tracking")
def add_tracking_event(order_id: int) -> Response:
    """`{"status": "InTransit", "details"?: "..."}`: a carrier scan."""
    body = _object_body()
    return jsonify(sandbox_state().starshipit.set_tracking_status(order_id, body.get("status"), body.get("details")))


@blueprint.post("/starshipit/manifest-refusals")
def refuse_manifests() -> tuple[Response, int]:
    """`{"carrier": "<carrier name>", "message": "...", "details"?: "..."}`: Starshipit refuses
    (HTTP 200, `success: false`, these words) every manifest holding an order of that carrier,
    until the next reset; the other carriers' manifests go through."""
    body = _object_body()
    carrier, message, details = body.get("carrier"), body.get("message"), body.get("details", "")
    if not all(isinstance(value, str) and value for value in (carrier, message)) or not isinstance(details, str):
        raise ControlError(400, "give carrier and message (non-empty strings) and optionally details (a string)")
    sandbox_state().starshipit.refuse_manifests(carrier, message, details)
    return jsonify({"carrier": carrier, "message": message, "details": details}), 201


@blueprint.delete("/starshipit/manifest-refusals")
def accept_manifests() -> Response:
    """Every carrier's manifests are taken again."""
    sandbox_state().starshipit.accept_manifests()
    return jsonify({"manifest_refusals": []})


@blueprint.get("/starshipit/labels/<int:order_id>.pdf")
@blueprint.get("/starshipit/labels/<int:order_id>.zpl")
def label_document(order_id: int) -> Response:
    """The order's labels: a PDF, or ZPL for an account that prints ZPL."""
    document = sandbox_state().starshipit.label_document(order_id)
    if document is None:
        raise ControlError(404, f"order {order_id} has no label")
    return Response(document, mimetype="application/pdf" if document.startswith(b"%PDF") else "application/zpl")


@blueprint.put("/starshipit/rate-limit")
def set_rate_limit() -> Response:
    """`{"per_second": 20, "burst"?: 20}` for every subscription key."""
    body = _object_body()
    per_second, burst = body.get("per_second"), body.get("burst")
    try:
        sandbox_state().set_starshipit_rate_limit(float(per_second), None if burst is None else float(burst))
    except (TypeError, ValueError):
        raise ControlError(400, "per_second must be a positive number and burst at least 1") from None
    return jsonify({"per_second": float(per_second), "burst": burst})


# --- faults and counters ------------------------------------------------------------------


@blueprint.post("/faults")
def add_fault() -> tuple[Response, int]:
    """A fault (see faults.py for the fields); 201 with it, including its `id`."""
    try:
        fault = sandbox_state().faults.add(_object_body())
    except (TypeError, ValueError) as error:
        raise ControlError(400, str(error)) from None
    return jsonify(fault), 201


@blueprint.get("/faults")
def list_faults() -> Response:
    return jsonify(sandbox_state().faults.list())


@blueprint.delete("/faults")
def clear_faults() -> Response:
    sandbox_state().faults.clear()
    return jsonify({"cleared": True})


@blueprint.delete("/faults/<fault_id>")
def remove_fault(fault_id: str) -> Response:
    if not sandbox_state().faults.remove(fault_id):
        raise ControlError(404, f"no fault {fault_id}")
    return jsonify({"removed": fault_id})


@blueprint.get("/counters")
def counters() -> Response:
    return jsonify(sandbox_state().counters.snapshot())


@blueprint.post("/counters/reset")
def reset_counters() -> Response:
    sandbox_state().counters.reset()
    return jsonify({"reset": True})
