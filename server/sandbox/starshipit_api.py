"""The simulated Starshipit REST API, served under /starshipit (docs/starshipit-api-notes.md).

Authentication, checked in the gateway's order:
1. `Ocp-Apim-Subscription-Key` missing or wrong → 401 from the API gateway,
   `{"statusCode": 401, "message": "Access denied due to missing|invalid subscription key. ..."}`;
2. rate limit per subscription key (token bucket) → 429 from the gateway,
   `{"statusCode": 429, "message": "Rate limit is exceeded. Try again in N seconds."}` + `Retry-After`;
3. `StarShipIT-Api-Key` missing or wrong → 401 from Starshipit itself, in its envelope:
   `{"success": false, "errors": [{"message": "Unauthorized", "details": "..."}]}` — the gateway
   knows subscriptions, not accounts, so the account key is Starshipit's own check.
The API key picks the account (accounts.py): every view sees only that account's orders. An
account without couriers gets empty `rates` and `services` lists (`success: true`) and has its
prints refused (starshipit_store.NO_COURIERS).
"""

from datetime import datetime, timedelta

from flask import Blueprint, Response, g, jsonify, request

from server.sandbox import addresses, carriers
from server.sandbox.accounts import StarshipitAccount
from server.sandbox.envelopes import (
    INVALID_SUBSCRIPTION_KEY,
    MISSING_SUBSCRIPTION_KEY,
    rate_limited_message,
    starshipit_failure,
    starshipit_gateway,
)
from server.sandbox.errors import StarshipitRefusal
from server.sandbox.gateway import sandbox_state
from server.sandbox.paging import page_of
from server.sandbox.timeutil import parse_timestamp

blueprint = Blueprint("starshipit", __name__, url_prefix="/starshipit")

MAX_LIMIT = 250
DEFAULT_LIMIT = 50


@blueprint.before_request
def admit() -> Response | None:
    state = sandbox_state()
    subscription_key = request.headers.get("Ocp-Apim-Subscription-Key")
    if not subscription_key:
        return starshipit_gateway(401, MISSING_SUBSCRIPTION_KEY)
    if not state.starshipit_accounts.knows_subscription_key(subscription_key):
        return starshipit_gateway(401, INVALID_SUBSCRIPTION_KEY)
    wait = state.starshipit_limits.take(subscription_key)
    if wait is not None:
        response = starshipit_gateway(429, rate_limited_message(wait))
        response.headers["Retry-After"] = str(wait)
        return response
    account = state.starshipit_accounts.by_api_key(request.headers.get("StarShipIT-Api-Key"))
    if account is None:
        return starshipit_failure(401, "Unauthorized", "The StarShipIT-Api-Key header is missing or not valid.")
    g.starshipit_account = account
    return None


def _account() -> StarshipitAccount:
    """The account the call's API key picked (set by `admit`)."""
    return g.starshipit_account


def _account_name() -> str:
    return _account().name


@blueprint.errorhandler(StarshipitRefusal)
def refused(refusal: StarshipitRefusal) -> Response:
    response = jsonify({"success": False, "errors": [{"message": m, "details": d} for m, d in refusal.errors]})
    response.status_code = refusal.status
    return response


def _ok(**body: object) -> Response:
    return jsonify({**body, "success": True})


def _body() -> object:
    return request.get_json(silent=True)


def _body_field(name: str) -> object:
    """`name` of a JSON object body (`{"order": {...}}`); None for any other body."""
    body = _body()
    return body.get(name) if isinstance(body, dict) else None


def _public(order: dict) -> dict:
    """Label URLs made absolute for the caller."""
    base = request.host_url.rstrip("/")
    for package in order.get("packages", []):
        for label in package["labels"]:
            if label["label_url"] and label["label_url"].startswith("/"):
                label["label_url"] = base + label["label_url"]
    return order


def _int_arg(name: str, default: int, maximum: int | None = None) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or int(raw) < 1 or (maximum is not None and int(raw) > maximum):
        upper = f" and {maximum}" if maximum else ""
        raise StarshipitRefusal.one(400, f"The field {name} must be between 1{upper}.", f"{name}={raw}")
    return int(raw)


def _order_id_arg() -> int:
    raw = request.args.get("order_id")
    if not raw:
        raise StarshipitRefusal.one(400, "The order_id field is required.", "order_id")
    if not raw.isdigit():
        raise StarshipitRefusal.one(400, "The field order_id must be a number.", f"order_id={raw}")
    return int(raw)


def _since(name: str) -> datetime:
    raw = request.args.get(name)
    if not raw:
        return sandbox_state().now() - timedelta(hours=24)
    try:
        return parse_timestamp(raw)
    except ValueError:
        raise StarshipitRefusal.one(400, f"The field {name} must be a valid date.", f"{name}={raw}") from None


def _paged(key: str, items: list) -> Response:
    page, total_pages = page_of(items, _int_arg("page", 1), _int_arg("limit", DEFAULT_LIMIT, MAX_LIMIT))
    return _ok(**{key: page, "total_pages": total_pages})


# --- orders -------------------------------------------------------------------------------


@blueprint.post("/api/orders")
def create_order() -> Response:
    """Create one order; 400 (`success: false`) names every invalid field."""
    return _ok(order=_public(sandbox_state().starshipit.create(_body_field("order"), account=_account_name())))


@blueprint.get("/api/orders")
def get_order() -> Response:
    """By `order_id` or `order_number`; unknown: "Unable to find order number" (HTTP 200 or 404)."""
    store = sandbox_state().starshipit
    if request.args.get("order_id"):
        return _ok(order=_public(store.get(_order_id_arg(), account=_account_name())))
    if request.args.get("order_number"):
        return _ok(order=_public(store.find_by_number(request.args["order_number"], account=_account_name())))
    raise StarshipitRefusal.one(400, "The order_id or order_number field is required.", "")


@blueprint.put("/api/orders")
def update_order() -> Response:
    return _ok(order=_public(sandbox_state().starshipit.update(_body_field("order"), account=_account_name())))


@blueprint.post("/api/orders/import")
def import_orders() -> Response:
    """Up to 50 orders per request."""
    orders = sandbox_state().starshipit.import_orders(_body_field("orders"), account=_account_name())
    return _ok(orders=[_public(order) for order in orders])


@blueprint.get("/api/orders/search")
def search_orders() -> Response:
    phrase = request.args.get("phrase", "")
    if not phrase.strip():
        raise StarshipitRefusal.one(400, "The phrase field is required.", "phrase")
    return _paged("orders", sandbox_state().starshipit.search(phrase, account=_account_name()))


@blueprint.get("/api/orders/unshipped")
def unshipped_orders() -> Response:
    return _listing(shipped=False)


@blueprint.get("/api/orders/shipped")
def shipped_orders() -> Response:
    return _listing(shipped=True)


def _listing(*, shipped: bool) -> Response:
    """Orders updated since `since_last_updated` (default: the last 24 hours), paged."""
    orders = sandbox_state().starshipit.listing(
        shipped=shipped, since=_since("since_last_updated"), account=_account_name()
    )
    return _paged("orders", [_public(order) for order in orders])


@blueprint.get("/api/orders/shipments")
def recent_shipments() -> Response:
    """Only `status=recently_printed` is simulated."""
    if request.args.get("status") != "recently_printed":
        raise StarshipitRefusal.one(
            400, "The field status must be recently_printed.", f"status={request.args.get('status')}"
        )
    orders = sandbox_state().starshipit.recently_printed(_since("since_created_date"), account=_account_name())
    return _paged("orders", orders)


@blueprint.delete("/api/orders/delete")
def delete_order() -> Response:
    """Unshipped orders only."""
    sandbox_state().starshipit.delete(_order_id_arg(), account=_account_name())
    return _ok()


@blueprint.post("/api/orders/archive")
def archive_order() -> Response:
    """Printed or shipped orders only."""
    sandbox_state().starshipit.archive(_order_id_arg(), account=_account_name())
    return _ok()


# --- labels and tracking ------------------------------------------------------------------


@blueprint.post("/api/orders/shipment")
def print_label() -> Response:
    """Book and print; refusals (already printed, bad address, no courier) are HTTP 200 `success: false`."""
    return jsonify(sandbox_state().starshipit.print_label(_body(), account=_account_name()))


@blueprint.post("/api/orders/shipment/clone")
def clone_shipment() -> Response:
    """`{order_id, to_return_shipment?}` → `{order, success}`: the new order (a return with `true`)."""
    return _ok(order=_public(sandbox_state().starshipit.clone(_body(), account=_account_name())))


@blueprint.post("/api/orders/manifest")
def manifest() -> Response:
    """`{order_ids}` → `{label_type: "Manifest", pdf: <base64>, success}`; unprinted orders refused (HTTP 200)."""
    return jsonify(sandbox_state().starshipit.manifest(_body(), account=_account_name()))


@blueprint.post("/api/orders/packingslips")
def packing_slips() -> Response:
    """`{order_ids, summary?}` → `{label_type: "PackingSlip", pdf: <base64>, success}`."""
    return jsonify(sandbox_state().starshipit.packing_slips(_body(), account=_account_name()))


@blueprint.get("/api/track")
def track() -> Response:
    results = sandbox_state().starshipit.track(
        account=_account_name(),
        tracking_number=request.args.get("tracking_number"),
        order_number=request.args.get("order_number"),
    )
    return _ok(results=results)


# --- couriers and addresses ---------------------------------------------------------------


def _quote_request() -> tuple[bool, float]:
    """(domestic?, total weight) of a rates / delivery services request."""
    body = _body()
    destination = body.get("destination") if isinstance(body, dict) else None
    if not isinstance(destination, dict):
        raise StarshipitRefusal.one(400, "The destination field is required.", "destination")
    country = destination.get("country_code") or destination.get("country")
    iso2 = addresses.country_iso2(country)
    if iso2 is None:
        raise StarshipitRefusal.one(400, "The field destination.country_code must be a valid country.", str(country))
    packages = body.get("packages")
    if not isinstance(packages, list) or not packages:
        raise StarshipitRefusal.one(400, "The packages field is required.", "packages")
    weights = [p.get("weight") for p in packages if isinstance(p, dict)]
    if len(weights) != len(packages) or any(isinstance(w, bool) or not isinstance(w, (int, float)) for w in weights):
        raise StarshipitRefusal.one(400, "The field packages[].weight must be a number.", "packages")
    return iso2 == "AU", float(sum(weights))


def _offers(domestic: bool, weight: float) -> list[tuple[carriers.Carrier, carriers.Service, float]]:
    """What the account's couriers offer: nothing at all for an account without couriers."""
    if not _account().has_couriers:
        return []
    return [
        (carrier, service, carriers.price(service, weight))
        for carrier in carriers.CARRIERS.values()
        for service in carrier.services
        if service.domestic == domestic
    ]


@blueprint.post("/api/rates")
def rates() -> Response:
    """Prices only with `include_pricing: true`; an account without couriers gets an empty list."""
    domestic, weight = _quote_request()
    priced = _body().get("include_pricing") is True
    return _ok(
        rates=[
            {"service_name": service.name, "service_code": service.code, **({"total_price": total} if priced else {})}
            for _, service, total in _offers(domestic, weight)
        ]
    )


@blueprint.post("/api/deliveryservices")
def delivery_services() -> Response:
    domestic, weight = _quote_request()
    return _ok(
        services=[
            {
                "carrier": carrier.code,
                "carrier_name": carrier.name,
                "service_name": service.name,
                "service_code": service.code,
                "total_price": total,
                "currency": "AUD",
            }
            for carrier, service, total in _offers(domestic, weight)
        ]
    )


@blueprint.get("/api/address/validate")
def validate_address() -> Response:
    """Simple rules (see addresses.py): a wrong Australian state comes with suggestions."""
    fields = {key: request.args.get(key) for key in ("street", "suburb", "city", "state", "post_code", "country")}
    valid, suggestions = addresses.validate(fields)
    return _ok(valid=valid, suggestions=suggestions)
