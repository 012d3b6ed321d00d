"""Every status code the OpenAPI document gives an operation is real: for each one, a request
that gets it from the app, against the simulators, with a body that matches the documented
schema (and nothing unnamed in it). A documented status without such a request fails, and so does
a request here for a status the document does not give.

Statuses every operation of a kind shares (401 without a token, 403 from a foreign origin, 429,
400/413/415/422 for a body, 422 for a path parameter) are made the same way for each operation;
the others have a scenario of their own."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from printing.listener import PrinterListener  # tests/printing: a raw-printing printer on loopback
from sqlalchemy import update

from server.db import get_database
from server.models import SaleOrder
from server.orders import batch_runs, idempotency

from .conftest import WEBHOOK_SECRET, contract_app
from .openapi_checks import body_problems

SHOWCASE = {"numeric_id": "787061"}  # the sandbox's first seeded order, PACKED, ready to print
NO_STREET = {"customer_reference": "SO-10054"}  # the seeded order with no street
FOREIGN_ORIGIN = "https://evil.example"
STARSHIPIT_SECRET = "contract-tests-starshipit-secret"


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    body: Any = None
    query: dict[str, str] = field(default_factory=dict)
    public: bool = False
    rate_limited: bool = True


# One valid request per documented operation, named by its operationId; {label_id} and {name}
# are filled in by the scenario that needs a real one.
OPERATIONS = {
    "health": Operation("GET", "/api/v1/health", public=True, rate_limited=False),
    "whoami": Operation("GET", "/api/v1/whoami"),
    "print_label": Operation("POST", "/api/v1/labels", body={"sale_order": SHOWCASE}),
    "label_file": Operation("GET", "/api/v1/labels/{label_id}/file"),
    "redo_label": Operation("POST", "/api/v1/labels/{label_id}/redo", body={"confirm": True, "reason": "damaged"}),
    "void_label": Operation("POST", "/api/v1/labels/{label_id}/void", body={"reason": "Wrong box size"}),
    "lookup_order": Operation("GET", "/api/v1/orders/lookup", query=SHOWCASE),
    "get_settings": Operation("GET", "/api/v1/settings"),
    "put_settings": Operation("PUT", "/api/v1/settings", body={"auto_print": False}),
    "get_accounts": Operation("GET", "/api/v1/accounts"),
    "put_starshipit_account": Operation(
        "PUT",
        "/api/v1/accounts/starshipit/{name}",
        body={"api_key": "key-0123456789", "subscription_key": "sub-0123456789"},
    ),
    "delete_starshipit_account": Operation("DELETE", "/api/v1/accounts/starshipit/{name}"),
    "put_cartoncloud_connection": Operation(
        "PUT",
        "/api/v1/accounts/cartoncloud",
        body={
            "base_url": "http://127.0.0.1:9/cartoncloud",
            "tenant_id": str(uuid.uuid4()),
            "client_id": "client-1",
            "client_secret": "secret-0123456789",
        },
    ),
    "put_route": Operation(
        "PUT", "/api/v1/routes", body={"match_field": "customer_code", "match_value": "ACME", "account": "acme"}
    ),
    "run_connection_test": Operation("POST", "/api/v1/connection-test"),
    "list_events": Operation("GET", "/api/v1/events"),
    "get_sync_status": Operation("GET", "/api/v1/sync/status"),
    "cartoncloud_webhook": Operation(
        "POST",
        "/api/v1/webhooks/cartoncloud",
        public=True,
        body={"id": str(uuid.uuid4()), "status": "PACKED", "type": "OUTBOUND"},
    ),
    "starshipit_webhook": Operation(
        "POST",
        "/api/v1/webhooks/starshipit",
        public=True,
        body={"order_number": "SO-10045", "tracking_number": "LB000001AU"},
    ),
    "preview_order": Operation("GET", "/api/v1/orders/{sale_order_id}/preview"),
    "preview_order_by_query": Operation("GET", "/api/v1/orders/preview", query=SHOWCASE),
    "order_events": Operation("GET", "/api/v1/orders/{identifier}/events"),
    "order_rates": Operation("GET", "/api/v1/orders/787061/rates"),
    "import_sku_packages": Operation(
        "POST", "/api/v1/settings/sku-packages/import", body={"csv": "sku,weight_kg\nWIDGET-1,1.5\n"}
    ),
    "print_batch": Operation("POST", "/api/v1/labels/batch", body={"sale_orders": [SHOWCASE, NO_STREET]}),
    "batch_progress": Operation("GET", "/api/v1/labels/batches/{batch_id}"),
    "batch_file": Operation("GET", "/api/v1/labels/batches/{batch_id}/file"),
    "label_packing_slip": Operation("GET", "/api/v1/labels/{label_id}/packing-slip"),
    "get_workstation": Operation("GET", "/api/v1/workstation"),
    "put_workstation": Operation("PUT", "/api/v1/workstation", body={"label_layout": "4x6"}),
    "list_printers": Operation("GET", "/api/v1/printers"),
    "add_printer": Operation("POST", "/api/v1/printers", body={"name": "acme", "host": "127.0.0.1", "language": "pdf"}),
    "change_printer": Operation("PUT", "/api/v1/printers/{name}", body={"dpi": 300}),
    "remove_printer": Operation("DELETE", "/api/v1/printers/{name}"),
    "test_printer": Operation("POST", "/api/v1/printers/{name}/test"),
    "create_enrollment": Operation("POST", "/api/v1/enrollments", body={"name": "bench-9"}),
    "enroll": Operation("POST", "/api/v1/enroll", body={"code": "222-222-222"}, public=True),
    "return_label": Operation("POST", "/api/v1/labels/{label_id}/return"),
    "manifest_preview": Operation("GET", "/api/v1/manifests/preview"),
    "close_day": Operation("POST", "/api/v1/manifests", body={"confirm": True}),
    "list_manifests": Operation("GET", "/api/v1/manifests"),
    "manifest_file": Operation("GET", "/api/v1/manifests/{manifest_id}/file"),
}
PATH_VALUES = {
    "label_id": str(uuid.uuid4()),
    "name": "acme",
    "identifier": SHOWCASE["numeric_id"],
    "sale_order_id": str(uuid.uuid4()),
    "batch_id": str(uuid.uuid4()),
    "manifest_id": "999999",
}


@dataclass
class Api:
    """What a scenario needs: the app's client, tokens, the simulators, and other apps on the
    same database with some settings changed."""

    client: Any
    admin: dict[str, str]
    packer: dict[str, str]
    admin_name: str
    control: Any  # tests/conftest.py SandboxControl
    app_with: Callable[..., Any]
    sandbox: Any
    monkeypatch: pytest.MonkeyPatch

    def call(self, name: str, *, headers: dict | None = None, client=None, path: str | None = None, **overrides):
        operation = OPERATIONS[name]
        headers = {**(self.admin if not operation.public else {}), **self._own_headers(name), **(headers or {})}
        if "json" not in overrides and "data" not in overrides and operation.body is not None:
            overrides["json"] = operation.body
        return (client or self.client).open(
            path or operation.path.format(**PATH_VALUES),
            method=operation.method,
            query_string=operation.query,
            headers=headers,
            **overrides,
        )

    @staticmethod
    def _own_headers(name: str) -> dict[str, str]:
        return {"X-Labelbridge-Secret": WEBHOOK_SECRET} if name == "cartoncloud_webhook" else {}

    def print_showcase(self) -> dict:
        response = self.call("print_label")
        assert response.status_code in (200, 201), response.get_json()
        return response.get_json()

    def save_account(self, name: str = "acme"):
        response = self.call("put_starshipit_account", path=f"/api/v1/accounts/starshipit/{name}")
        assert response.status_code == 200, response.get_json()
        return response


# -- what every operation of a kind answers ------------------------------------------------------


def no_token(api: Api, name: str):
    return api.call(name, headers={"Authorization": ""})


def foreign_origin(api: Api, name: str):
    return api.call(name, headers={"Origin": FOREIGN_ORIGIN})


def over_rate_limit(api: Api, name: str):
    tight = api.app_with(RATE_LIMIT="1 per hour", WEBHOOK_RATE_LIMIT="1 per hour").test_client()
    api.call(name, client=tight)
    return api.call(name, client=tight)


def not_json(api: Api, name: str):
    return api.call(name, data="{", content_type="application/json")


def too_large(api: Api, name: str):
    small = api.app_with(MAX_CONTENT_LENGTH=64).test_client()
    return api.call(name, client=small, json={"padding": "x" * 200})


def not_sent_as_json(api: Api, name: str):
    return api.call(name, data="sale_order=1", content_type="text/plain")


def not_an_object(api: Api, name: str):
    return api.call(name, json=[])


def nul_in_path(api: Api, name: str):
    return api.call(name, path=OPERATIONS[name].path.format(**{key: "a%00b" for key in PATH_VALUES}))


def generic_scenario(name: str, status: int) -> Callable[[Api], Any] | None:
    operation = OPERATIONS[name]
    has_body = operation.body is not None
    rules = {
        401: None if operation.public else no_token,
        403: foreign_origin if operation.method in {"POST", "PUT", "DELETE"} else None,
        429: over_rate_limit if operation.rate_limited else None,
        400: not_json if has_body else None,
        413: too_large if has_body else None,
        415: not_sent_as_json if has_body else None,
        422: not_an_object
        if has_body
        else (
            nul_in_path
            if "{label_id}" in operation.path
            or "{name}" in operation.path
            or "{identifier}" in operation.path
            or "{batch_id}" in operation.path
            else None
        ),
    }
    scenario = rules.get(status)
    return None if scenario is None else (lambda api: scenario(api, name))


# -- what only one operation answers --------------------------------------------------------------


def printed_then_label_file(api: Api):
    return api.client.get(api.print_showcase()["label"]["url"], headers=api.admin)


def reprinted(api: Api):
    api.print_showcase()
    return api.call("print_label")


def same_key_in_flight(api: Api):
    key = str(uuid.uuid4())
    request_hash = idempotency.fingerprint("POST", "/api/v1/labels", OPERATIONS["print_label"].body)
    with get_database(api.client.application).sessions() as session:
        idempotency.begin(session, api.admin_name, key, request_hash, timedelta(minutes=5))
    return api.call("print_label", headers={"Idempotency-Key": key})


def starshipit_refuses_the_label(api: Api, name: str = "print_label", label_id: str | None = None):
    api.control.fault(service="starshipit", path="/api/orders/shipment", method="POST", status=400, count=1)
    return api.call(name, path=label_id and f"/api/v1/labels/{label_id}/redo")


def starshipit_down(api: Api, name: str = "print_label", label_id: str | None = None):
    api.control.fault(service="starshipit", path="/api/orders/shipment", method="POST", status=503, count=1)
    return api.call(name, path=label_id and f"/api/v1/labels/{label_id}/redo")


def redone(api: Api):
    label_id = api.print_showcase()["label"]["id"]
    return api.call("redo_label", path=f"/api/v1/labels/{label_id}/redo")


def redo_of_a_replaced_label(api: Api):
    label_id = api.print_showcase()["label"]["id"]
    assert api.call("redo_label", path=f"/api/v1/labels/{label_id}/redo").status_code == 201
    return api.call("redo_label", path=f"/api/v1/labels/{label_id}/redo")


def a_reference_two_sale_orders_share(api: Api, path: str = "/api/v1/orders/lookup?customer_reference=SO-10045"):
    """The simulator refuses a duplicate customer reference; CartonCloud itself does not."""
    store = api.sandbox.state.cartoncloud
    twins = store.sale_orders()[:2]
    api.monkeypatch.setattr(store, "search_sale_orders", lambda matches: twins)
    return api.client.get(path, headers=api.admin)


def cartoncloud_lookup_fails(api: Api, status: int, path: str = "/api/v1/orders/lookup?id={id}"):
    api.control.fault(service="cartoncloud", path="*/outbound-orders/*", status=status, rate=1.0)
    return api.client.get(path.format(id=uuid.uuid4()), headers=api.admin)


def rates_of(api: Api, identifier: str):
    return api.client.get(f"/api/v1/orders/{identifier}/rates", headers=api.admin)


def starshipit_rates_fail(api: Api, status: int):
    # A quote is retried on a 5xx: the fault lasts until the test's end clears it.
    api.control.fault(service="starshipit", path="/api/rates", status=status)
    return api.call("order_rates")


def preview_of_the_showcase(api: Api):
    sale_order_id = api.call("lookup_order").get_json()["sale_order"]["id"]
    return api.client.get(f"/api/v1/orders/{sale_order_id}/preview", headers=api.admin)


def route_to_saved_account(api: Api):
    api.save_account("acme")
    return api.call("put_route")


def delete_saved_account(api: Api):
    api.save_account("acme")
    return api.call("delete_starshipit_account")


def signed_wrongly(api: Api):
    signing = api.app_with(STARSHIPIT_WEBHOOK_SECRET=STARSHIPIT_SECRET).test_client()
    return api.call("starshipit_webhook", client=signing, headers={"X-Starshipit-Signature": "sha256=00"})


def signed_rightly(api: Api):
    signing = api.app_with(STARSHIPIT_WEBHOOK_SECRET=STARSHIPIT_SECRET).test_client()
    body = json.dumps(OPERATIONS["starshipit_webhook"].body).encode()
    signature = hmac.new(STARSHIPIT_SECRET.encode(), body, hashlib.sha256).hexdigest()
    return api.call(
        "starshipit_webhook",
        client=signing,
        data=body,
        headers={"Content-Type": "application/json", "X-Starshipit-Signature": signature},
    )


def batch_printed(api: Api, path: str = "") -> Any:
    body = api.call("print_batch").get_json()
    return api.client.get(f"/api/v1/labels/batches/{body['batch']['id']}{path}", headers=api.admin)


def batch_running(api: Api, name: str = "print_batch"):
    """A batch another request is printing right now."""
    body = {**OPERATIONS["print_batch"].body, "batch_id": str(uuid.uuid4())}
    request_hash = idempotency.fingerprint("POST", "/api/v1/labels/batch", body)
    with get_database(api.client.application).sessions() as session:
        batch_runs.claim(session, body["batch_id"], api.admin_name, request_hash, 2, timedelta(minutes=5))
    if name == "print_batch":
        return api.call(name, json=body)
    return api.call(name, path=f"/api/v1/labels/batches/{body['batch_id']}/file")


def printer_added(api: Api, then: str | None = None, port: int = 9100):
    """The printer "acme" registered (at ``port`` on loopback), then the operation ``then``."""
    assert api.call("add_printer", json={**OPERATIONS["add_printer"].body, "port": port}).status_code == 201
    return api.call(then) if then else None


def sent_a_test_page(api: Api):
    printer = PrinterListener()
    try:
        return printer_added(api, "test_printer", port=printer.port)
    finally:
        printer.close()


def sent_a_test_page_to_a_printer_that_is_off(api: Api):
    with socket.socket() as held:  # bound, never listening: refused, and no other test's server takes it
        held.bind(("127.0.0.1", 0))
        return printer_added(api, "test_printer", port=held.getsockname()[1])


def packing_slip_of_the_showcase(api: Api, client=None):
    url = f"/api/v1/labels/{api.print_showcase()['label']['id']}/packing-slip"
    return (client or api.client).get(url, headers=api.admin)


def enrolled(api: Api, times: int = 1):
    code = api.call("create_enrollment").get_json()["code"]
    for _ in range(times - 1):
        api.call("enroll", json={"code": code})
    return api.call("enroll", json={"code": code})


def void_of(api: Api, label_id: str):
    return api.call("void_label", path=f"/api/v1/labels/{label_id}/void")


def void_of_a_replaced_label(api: Api):
    label_id = api.print_showcase()["label"]["id"]
    assert api.call("redo_label", path=f"/api/v1/labels/{label_id}/redo").status_code == 201
    return void_of(api, label_id)


def starshipit_refuses_the_void(api: Api, status: int):
    label_id = api.print_showcase()["label"]["id"]
    refusal = {"success": False, "errors": [{"message": "Order has been manifested", "details": ""}]}
    # A 503 is retried (reading and archiving are safe to repeat): it stays down for every try.
    api.control.fault(service="starshipit", path="/api/orders*", status=status, count=None, body=refusal)
    return void_of(api, label_id)


def return_of_the_showcase(api: Api, times: int = 1):
    path = f"/api/v1/labels/{api.print_showcase()['label']['id']}/return"
    for _ in range(times - 1):
        api.call("return_label", path=path)
    return api.call("return_label", path=path)


def return_of_a_label_no_longer_current(api: Api):
    """The order's label stopped being its own (a redo cut short half way): nothing to return."""
    label_id = api.print_showcase()["label"]["id"]
    with get_database(api.client.application).sessions() as session:
        session.execute(update(SaleOrder).values(current_label_id=None))
        session.commit()
    return api.call("return_label", path=f"/api/v1/labels/{label_id}/return")


def return_while_starshipit(api: Api, status: int):
    api.control.fault(service="starshipit", path="/api/orders/shipment/clone", method="POST", status=status, count=1)
    return return_of_the_showcase(api)


def day_closed(api: Api):
    api.print_showcase()
    return api.call("close_day")


def manifest_downloaded(api: Api):
    (manifest,) = day_closed(api).get_json()["manifests"]
    return api.client.get(manifest["file"]["url"], headers=api.packer)


def packer(name: str):
    return lambda api: api.call(name, headers=api.packer)


SCENARIOS: dict[tuple[str, int], Callable[[Api], Any]] = {
    ("health", 200): lambda api: api.call("health"),
    ("whoami", 200): lambda api: api.call("whoami"),
    ("print_label", 201): lambda api: api.call("print_label"),
    ("print_label", 200): reprinted,
    ("print_label", 404): lambda api: api.call("print_label", json={"sale_order": {"numeric_id": "999999999"}}),
    ("print_label", 409): same_key_in_flight,
    ("print_label", 422): lambda api: api.call("print_label", json={"sale_order": NO_STREET}),
    ("print_label", 502): starshipit_refuses_the_label,
    ("print_label", 503): starshipit_down,
    ("label_file", 200): printed_then_label_file,
    ("label_file", 404): lambda api: api.call("label_file"),
    ("redo_label", 201): redone,
    ("redo_label", 404): lambda api: api.call("redo_label"),
    ("redo_label", 409): redo_of_a_replaced_label,
    ("redo_label", 422): lambda api: api.call("redo_label", json={"confirm": False, "reason": "damaged"}),
    ("redo_label", 502): lambda api: starshipit_refuses_the_label(
        api, "redo_label", api.print_showcase()["label"]["id"]
    ),
    ("redo_label", 503): lambda api: starshipit_down(api, "redo_label", api.print_showcase()["label"]["id"]),
    ("void_label", 200): lambda api: void_of(api, api.print_showcase()["label"]["id"]),
    ("void_label", 404): lambda api: api.call("void_label"),
    ("void_label", 409): void_of_a_replaced_label,
    ("void_label", 502): lambda api: starshipit_refuses_the_void(api, 200),
    ("void_label", 503): lambda api: starshipit_refuses_the_void(api, 503),
    ("lookup_order", 200): lambda api: api.call("lookup_order"),
    ("lookup_order", 404): lambda api: api.client.get("/api/v1/orders/lookup?numeric_id=999999999", headers=api.admin),
    ("lookup_order", 409): a_reference_two_sale_orders_share,
    ("lookup_order", 422): lambda api: api.client.get("/api/v1/orders/lookup", headers=api.admin),
    ("lookup_order", 502): lambda api: cartoncloud_lookup_fails(api, 400),
    ("lookup_order", 503): lambda api: cartoncloud_lookup_fails(api, 503),
    ("get_settings", 200): lambda api: api.call("get_settings"),
    ("get_settings", 403): packer("get_settings"),
    ("put_settings", 200): lambda api: api.call("put_settings"),
    ("get_accounts", 200): lambda api: api.call("get_accounts"),
    ("get_accounts", 403): packer("get_accounts"),
    ("put_starshipit_account", 200): lambda api: api.save_account(),
    ("put_starshipit_account", 422): lambda api: api.call("put_starshipit_account", json={"api_key": "key-0123456789"}),
    ("delete_starshipit_account", 200): delete_saved_account,
    ("delete_starshipit_account", 404): lambda api: api.call("delete_starshipit_account"),
    ("put_cartoncloud_connection", 200): lambda api: api.call("put_cartoncloud_connection"),
    ("put_route", 200): route_to_saved_account,
    ("put_route", 422): lambda api: api.call("put_route"),
    ("run_connection_test", 200): lambda api: api.call("run_connection_test"),
    ("list_events", 200): lambda api: api.call("list_events"),
    ("list_events", 403): packer("list_events"),
    ("list_events", 404): lambda api: api.client.get("/api/v1/events?sale_order=SO-NONE", headers=api.packer),
    ("list_events", 422): lambda api: api.client.get("/api/v1/events?limit=0", headers=api.admin),
    ("get_sync_status", 200): lambda api: api.call("get_sync_status"),
    ("cartoncloud_webhook", 202): lambda api: api.call("cartoncloud_webhook"),
    ("cartoncloud_webhook", 401): lambda api: api.call(
        "cartoncloud_webhook", headers={"X-Labelbridge-Secret": "wrong"}
    ),
    ("starshipit_webhook", 200): signed_rightly,
    ("starshipit_webhook", 401): signed_wrongly,
    ("starshipit_webhook", 403): lambda api: api.call("starshipit_webhook", client=api.app_with().test_client()),
    ("preview_order", 200): preview_of_the_showcase,
    ("preview_order", 404): lambda api: api.call("preview_order"),
    ("preview_order", 502): lambda api: cartoncloud_lookup_fails(api, 400, "/api/v1/orders/{id}/preview"),
    ("preview_order", 503): lambda api: cartoncloud_lookup_fails(api, 503, "/api/v1/orders/{id}/preview"),
    ("preview_order_by_query", 200): lambda api: api.call("preview_order_by_query"),
    ("preview_order_by_query", 404): lambda api: api.client.get(
        "/api/v1/orders/preview?numeric_id=999999999", headers=api.admin
    ),
    ("preview_order_by_query", 409): lambda api: a_reference_two_sale_orders_share(
        api, "/api/v1/orders/preview?customer_reference=SO-10045"
    ),
    ("preview_order_by_query", 422): lambda api: api.client.get("/api/v1/orders/preview", headers=api.admin),
    ("preview_order_by_query", 502): lambda api: cartoncloud_lookup_fails(api, 400, "/api/v1/orders/preview?id={id}"),
    ("preview_order_by_query", 503): lambda api: cartoncloud_lookup_fails(api, 503, "/api/v1/orders/preview?id={id}"),
    ("order_events", 200): lambda api: api.call("order_events"),
    ("order_rates", 200): lambda api: api.call("order_rates"),
    ("order_rates", 404): lambda api: rates_of(api, "999999999"),
    ("order_rates", 409): lambda api: a_reference_two_sale_orders_share(api, "/api/v1/orders/SO-10045/rates"),
    ("order_rates", 422): lambda api: rates_of(api, NO_STREET["customer_reference"]),
    ("order_rates", 502): lambda api: starshipit_rates_fail(api, 400),
    ("order_rates", 503): lambda api: starshipit_rates_fail(api, 503),
    ("import_sku_packages", 200): lambda api: api.call("import_sku_packages"),
    ("import_sku_packages", 422): lambda api: api.call(
        "import_sku_packages", json={"csv": "sku,weight_kg\nWIDGET-1,heavy\n"}
    ),
    ("print_batch", 200): lambda api: api.call("print_batch"),
    ("print_batch", 409): batch_running,
    ("print_batch", 422): lambda api: api.call("print_batch", json={"sale_orders": [SHOWCASE, SHOWCASE]}),
    ("print_batch", 503): lambda api: api.call(
        "print_batch", client=api.app_with(CARTONCLOUD_CLIENT_ID=None).test_client()
    ),
    ("batch_progress", 200): batch_printed,
    ("batch_progress", 404): lambda api: api.call("batch_progress"),
    ("batch_file", 200): lambda api: batch_printed(api, "/file"),
    ("batch_file", 404): lambda api: api.call("batch_file"),
    ("batch_file", 409): lambda api: batch_running(api, "batch_file"),
    ("label_packing_slip", 200): packing_slip_of_the_showcase,
    ("label_packing_slip", 404): lambda api: api.call("label_packing_slip"),
    ("label_packing_slip", 502): lambda api: (
        api.control.fault(service="starshipit", path="/api/orders/packingslips", status=400, count=1),
        packing_slip_of_the_showcase(api),
    )[1],
    ("label_packing_slip", 503): lambda api: packing_slip_of_the_showcase(
        api, api.app_with(STARSHIPIT_API_KEY=None).test_client()
    ),
    ("get_workstation", 200): lambda api: api.call("get_workstation"),
    ("put_workstation", 200): lambda api: api.call("put_workstation"),
    ("put_workstation", 422): lambda api: api.call("put_workstation", json={"printer": "nope"}),
    ("list_printers", 200): lambda api: api.call("list_printers"),
    ("add_printer", 201): lambda api: api.call("add_printer"),
    ("add_printer", 403): packer("add_printer"),
    ("add_printer", 409): lambda api: printer_added(api, "add_printer"),
    ("change_printer", 200): lambda api: printer_added(api, "change_printer"),
    ("change_printer", 403): packer("change_printer"),
    ("change_printer", 404): lambda api: api.call("change_printer"),
    ("remove_printer", 204): lambda api: printer_added(api, "remove_printer"),
    ("remove_printer", 403): packer("remove_printer"),
    ("remove_printer", 404): lambda api: api.call("remove_printer"),
    ("test_printer", 200): sent_a_test_page,
    ("test_printer", 404): lambda api: api.call("test_printer"),
    ("test_printer", 503): sent_a_test_page_to_a_printer_that_is_off,
    ("create_enrollment", 201): lambda api: api.call("create_enrollment"),
    ("create_enrollment", 403): packer("create_enrollment"),
    ("create_enrollment", 409): lambda api: api.call("create_enrollment", json={"name": api.admin_name}),
    ("enroll", 200): enrolled,
    ("enroll", 404): lambda api: api.call("enroll"),
    ("enroll", 409): lambda api: enrolled(api, times=2),
    ("return_label", 201): return_of_the_showcase,
    ("return_label", 200): lambda api: return_of_the_showcase(api, times=2),
    ("return_label", 404): lambda api: api.call("return_label"),
    ("return_label", 409): return_of_a_label_no_longer_current,
    ("return_label", 502): lambda api: return_while_starshipit(api, 400),
    ("return_label", 503): lambda api: return_while_starshipit(api, 503),
    ("manifest_preview", 200): lambda api: api.call("manifest_preview", headers=api.packer),
    ("close_day", 201): day_closed,
    ("close_day", 403): packer("close_day"),
    ("close_day", 422): lambda api: api.call("close_day", json={"confirm": False}),
    ("list_manifests", 200): lambda api: (day_closed(api), api.call("list_manifests", headers=api.packer))[1],
    ("list_manifests", 422): lambda api: api.client.get("/api/v1/manifests?limit=0", headers=api.admin),
    ("manifest_file", 200): manifest_downloaded,
    ("manifest_file", 404): lambda api: api.call("manifest_file"),
}


def scenario_for(name: str, status: int) -> Callable[[Api], Any] | None:
    return SCENARIOS.get((name, status)) or generic_scenario(name, status)


def reproducible() -> list[tuple[str, int]]:
    """Every (operation, status) this file can make happen."""
    statuses = {status for _, status in SCENARIOS} | {400, 401, 403, 413, 415, 422, 429}
    return sorted({(name, status) for name in OPERATIONS for status in statuses if scenario_for(name, status)})


def documented(document: dict) -> list[tuple[str, int]]:
    return sorted(
        (operation["operationId"], int(status))
        for item in document["paths"].values()
        for operation in item.values()
        for status in operation["responses"]
    )


@pytest.fixture
def api(app, client, make_token, control, sandbox, database_url, monkeypatch) -> Api:
    def app_with(**config):
        other = contract_app(sandbox, database_url, **config)
        created.append(other)
        return other

    app.config["STARSHIPIT_WEBHOOK_INSECURE"] = True  # so its body scenarios reach the body (403: app_with())
    created: list = []
    admin_name = "contract-admin"
    api = Api(
        client,
        {"Authorization": f"Bearer {make_token(admin_name, role='admin')}"},
        {"Authorization": f"Bearer {make_token('contract-packer')}"},
        admin_name,
        control,
        app_with,
        sandbox,
        monkeypatch,
    )
    yield api
    control.clear_faults()
    for other in created:
        get_database(other).dispose()


def test_every_documented_status_has_a_request_that_gets_it(document):
    assert sorted(set(documented(document)) - set(reproducible())) == []


def test_no_request_here_gets_an_undocumented_status(document):
    assert sorted(set(reproducible()) - set(documented(document))) == []


@pytest.mark.parametrize(("name", "status"), reproducible())
def test_documented_status_is_real(api, document, strict_document, name, status):
    operation = next(
        item for path in document["paths"].values() for item in path.values() if item["operationId"] == name
    )
    response = scenario_for(name, status)(api)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    documented_response = operation["responses"][str(status)]
    content = documented_response.get("content", {})
    if "application/json" in content:
        assert response.mimetype == "application/json"
        assert body_problems(strict_document, documented_response, response.get_json()) == []
    elif not content:  # an answer documented without a body (204) has none
        assert response.data == b"" and "Content-Type" not in response.headers
    else:
        assert response.mimetype in content, f"{response.mimetype} is not among {sorted(content)}"
    for header, spec in documented_response.get("headers", {}).items():
        assert not spec.get("required") or header in response.headers
