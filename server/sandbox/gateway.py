"""What happens to every call to a simulated API before and after its view: counting, faults,
and errors in the service's own shape (unknown routes and methods included).

Order for a call: received in full → counted → fault (if one fires) → the service's own checks
(keys, token, rate limit) → the view. So a fault needs no credentials and every call is counted,
refused or not; a call answered 429 (by a fault or a rate limit) is also counted under
`rate_limited`, and a Starshipit call whose API key names an account also under that account.

A call is counted once its body has arrived, as a real service acts only on a whole request: a
client that sends its headers and dies before its body (a killed worker) has made no call, and
a test that waits for the count knows the service holds the whole request.
"""

import re

from flask import Flask, Response, current_app, g, jsonify, request
from werkzeug.exceptions import HTTPException

from server.sandbox.envelopes import service_failure
from server.sandbox.faults import Fault
from server.sandbox.state import SandboxState

PREFIXES = {"/starshipit": "starshipit", "/cartoncloud": "cartoncloud"}
_ROUTE_VARIABLE = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")  # <int:order_id> -> {order_id}


def sandbox_state() -> SandboxState:
    return current_app.extensions["sandbox"]


def install(app: Flask) -> None:
    app.before_request(_count_and_fault)
    app.after_request(_count_rate_limited)
    app.register_error_handler(HTTPException, _http_error)


def _service_and_path() -> tuple[str, str] | tuple[None, None]:
    """Which simulated service a call is for, and its path as the real service would see it."""
    for prefix, service in PREFIXES.items():
        if request.path == prefix or request.path.startswith(prefix + "/"):
            return service, request.path[len(prefix) :] or "/"
    return None, None


def _endpoint(service_path: str) -> str:
    """ "POST /tenants/{tenant_id}/outbound-orders/search": the route template, or the raw path."""
    if request.url_rule is None:
        return f"{request.method} {service_path}"
    template = request.url_rule.rule[len(request.path) - len(service_path) :]
    return request.method + " " + _ROUTE_VARIABLE.sub(r"{\1}", template)


def _count_and_fault() -> Response | None:
    service, path = _service_and_path()
    if service is None:
        return None
    request.get_data(cache=True, parse_form_data=True)  # the whole request, or ClientDisconnected
    state = sandbox_state()
    g.sandbox_endpoint = (service, _endpoint(path))
    state.counters.count(*g.sandbox_endpoint, account=_starshipit_account_name(service, state))
    fault = state.faults.pick(service, request.method, path)
    return _apply(fault, service, state) if fault else None


def _starshipit_account_name(service: str, state: SandboxState) -> str | None:
    if service != "starshipit":
        return None
    account = state.starshipit_accounts.by_api_key(request.headers.get("StarShipIT-Api-Key"))
    return account.name if account else None


def _apply(fault: Fault, service: str, state: SandboxState) -> Response | None:
    if fault.latency_ms:
        state.hold(fault.latency_ms / 1000)
    if fault.timeout:
        state.hold(fault.timeout_seconds or state.settings.timeout_seconds)
    if fault.status is None:
        return None
    if fault.body is not None:
        response = Response(fault.body, mimetype="text/html") if isinstance(fault.body, str) else jsonify(fault.body)
        response.status_code = fault.status
        if fault.retry_after is not None:
            response.headers["Retry-After"] = str(fault.retry_after)
        return response
    return service_failure(service, fault.status, fault.message, retry_after=fault.retry_after)


def _count_rate_limited(response: Response) -> Response:
    endpoint = g.get("sandbox_endpoint")
    if endpoint and response.status_code == 429:
        sandbox_state().counters.count_rate_limited(*endpoint)
    return response


def _http_error(error: HTTPException) -> Response:
    service, path = _service_and_path()
    status = error.code or 500
    if service is not None:
        response = service_failure(service, status, _spring_wording(error, path) if service == "cartoncloud" else None)
    elif request.path.startswith("/_sandbox"):
        response = jsonify({"error": error.description})
        response.status_code = status
    else:
        return error.get_response()
    if status == 405 and getattr(error, "valid_methods", None):
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def _spring_wording(error: HTTPException, path: str) -> str | None:
    """CartonCloud runs on Spring, whose wording its 404s and 405s carry."""
    if error.code == 405:
        return f"Request method '{request.method}' is not supported"
    if error.code == 404:
        return f"No endpoint {request.method} {path}"
    return None
