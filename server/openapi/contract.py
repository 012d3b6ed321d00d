"""The bodies the extension and the backend exchange, each with the marshmallow schema it comes
from and examples that must pass (``valid``) or fail (``invalid``) both that schema and its
exported JSON Schema. ``labelbridge schemas export`` writes them into shared-schemas/; pytest and
vitest check the same example files."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from marshmallow import Schema

from ..schemas.batch import BatchRequestSchema, BatchResponseSchema
from ..schemas.labels import (
    ConnectionTestResponseSchema,
    ErrorSchema,
    HealthSchema,
    LookupResponseSchema,
    PrintRequestSchema,
    PrintResponseSchema,
    RedoRequestSchema,
    WhoamiSchema,
)
from ..schemas.manifests import CloseDayRequestSchema, ManifestListSchema, ManifestPreviewSchema
from ..schemas.printing import PrinterListSchema, WorkstationSchema, WorkstationUpdateSchema
from ..schemas.rates import RatesResponseSchema
from ..schemas.returns import ReturnResponseSchema
from ..schemas.voids import VoidRequestSchema, VoidResponseSchema


@dataclass(frozen=True)
class SharedBody:
    name: str
    schema: type[Schema]
    used_by: str
    valid: dict[str, Any] = field(default_factory=dict)
    invalid: dict[str, Any] = field(default_factory=dict)


SALE_ORDER = {
    "id": "5f0c8a9e-2a43-4c1e-9d55-3d0f4a1b7c21",
    "numeric_id": "787061",
    "customer_reference": "SO-10045",
    "status": "PACKED",
}
LABEL_ID = "7a2c9f4e-1b7d-4f0a-9a61-0c2b9d8e5f13"
LABEL_REF = {"id": LABEL_ID, "format": "pdf", "url": f"/api/v1/labels/{LABEL_ID}/file"}
RATE = {
    "carrier": "AusPost",
    "carrier_name": "Australia Post",
    "service_name": "Express Post",
    "carrier_service_code": "7J55",
    "price": 13.95,
    "currency": "AUD",
    "eta": None,
    "rules_choice": False,
}
PRINTED = {
    "sale_order": SALE_ORDER,
    "starshipit_order": {"order_id": 1001, "order_number": "SO-10045"},
    "carrier": "Australia Post",
    "tracking_numbers": ["LB000001AU"],
    "reprint": False,
    "label": {**LABEL_REF, "layout": "original", "content_base64": "JVBERi0xLjQKJcfs"},
    "writeback": "queued",
    "printer": None,
    "packing_slip": None,
    "after_void": None,
}
AFTER_VOID = {"label_id": "5c0a7e2d-3f1b-4d9a-8e6c-2b7f1a9d0e4c", "tracking_numbers": ["LB000000AU"]}
PRINTER = {"id": 1, "name": "bench-1", "host": "10.0.0.5", "port": 9100, "language": "zpl", "dpi": 203}
SENT = {"name": "bench-1", "status": "sent", "bytes": 2048, "message": None, "warnings": []}
PRINTER_OFFLINE = {
    **SENT,
    "status": "failed",
    "bytes": 0,
    "message": "Printer 'bench-1' (10.0.0.5:9100) could not be reached within 5 s: check that it is on, "
    "connected and takes raw print jobs on port 9100. The label is saved: print it from the "
    "browser.",
}
WORKSTATION = {"name": "bench-1", "label_layout": "4x6", "printer": PRINTER, "packing_slip": True}
LABELLED = {
    "sale_order": SALE_ORDER,
    "state": "labelled",
    "starshipit_order": {"order_id": 1001, "order_number": "SO-10045"},
    "carrier": "Australia Post",
    "tracking_numbers": ["LB000001AU"],
    "label": LABEL_REF,
    "writeback": "done",
    "last_error": None,
}
NOT_YET = {
    **LABELLED,
    "state": "new",
    "starshipit_order": None,
    "carrier": None,
    "tracking_numbers": [],
    "label": None,
    "writeback": None,
}
VOIDED_LABEL = {
    "id": LABEL_ID,
    "voided_at": "2026-11-25T10:05:00+00:00",
    "voided_by": "supervisor-1",
    "reason": "Wrong box size",
    "action": "archived",
    "tracking_numbers": ["LB000001AU"],
}
VOIDED = {**NOT_YET, "state": "voided", "voided_label": VOIDED_LABEL}
VOID_ANSWER = {
    "sale_order": SALE_ORDER,
    "label": VOIDED_LABEL,
    "already_void": False,
    "explanation": "The shipment was archived in Starshipit, so it will not be manifested with the day's parcels.",
    "writeback": "queued",
}


def _without(body: dict[str, Any], key: str) -> dict[str, Any]:
    return {name: value for name, value in body.items() if name != key}


BATCH_ID = "0d6f3c2e-8b1a-4c55-9e0f-2a7b6c1d9e84"
BATCH_PRINTED = {
    "index": 0,
    "sale_order": {"numeric_id": "787061"},
    "status": "printed",
    "label": {**LABEL_REF, "layout": "original"},
    "carrier": "Australia Post",
    "tracking_numbers": ["LB000001AU"],
    "after_void": None,
    "error": None,
}
BATCH_FAILED = {
    "index": 1,
    "sale_order": {"customer_reference": "SO-10054"},
    "status": "failed",
    "label": None,
    "carrier": None,
    "tracking_numbers": [],
    "after_void": None,
    "error": {
        "code": "sale_order_not_shippable",
        "message": "This sale order cannot be shipped: Delivery address has no street (address line 1).",
        "errors": {"details.deliver.address.address1": ["Delivery address has no street (address line 1)."]},
    },
}
BATCH_FINISHED = {
    "batch": {"id": BATCH_ID, "state": "finished", "total": 2, "done": 2, "printed": 1, "reprinted": 0, "failed": 1},
    "results": [BATCH_PRINTED, BATCH_FAILED],
    "file": {"url": f"/api/v1/labels/batches/{BATCH_ID}/file", "format": "pdf", "layout": "original", "pages": 1},
    "file_error": None,
    "printer": None,
}
RETURN_LABEL_ID = "3b9e1d7c-5a2f-4e8b-b6c0-9d1f2e3a4b5c"
RETURNED = {
    "sale_order": SALE_ORDER,
    "return_order": {"order_id": 1002},
    "carrier": "Australia Post",
    "tracking_numbers": ["LB000002AU"],
    "reprint": False,
    "label": {
        "id": RETURN_LABEL_ID,
        "format": "pdf",
        "url": f"/api/v1/labels/{RETURN_LABEL_ID}/file",
        "layout": "original",
        "content_base64": "JVBERi0xLjQKJcfs",
    },
}
MANIFESTED = {
    "id": 7,
    "carrier": "Australia Post",
    "account": None,
    "manifest_number": None,
    "state": "done",
    "error": None,
    "orders": 12,
    "created_by": "office",
    "created_at": "2026-12-02T06:55:00+00:00",
    "file": {"url": "/api/v1/manifests/7/file"},
}
MANIFEST_REFUSED = {
    **MANIFESTED,
    "id": 8,
    "carrier": "StarTrack",
    "state": "failed",
    "error": "Starshipit refused manifesting the StarTrack shipments: Manifest failed: StarTrack is closed today",
    "orders": 3,
    "file": None,
}


BODIES = (
    SharedBody(
        "print-request",
        PrintRequestSchema,
        "POST /api/v1/labels (request)",
        valid={
            "numeric-id": {"sale_order": {"numeric_id": "787061"}, "tenant_slug": "demo-warehouse"},
            "customer-reference": {"sale_order": {"customer_reference": "SO-10045"}},
            "uuid": {"sale_order": {"id": SALE_ORDER["id"]}, "tenant_slug": "demo-warehouse"},
            "to-a-printer": {"sale_order": {"numeric_id": "787061"}, "printer": "bench-1"},
            "no-printer": {"sale_order": {"numeric_id": "787061"}, "printer": None},
            "chosen-service": {
                "sale_order": {"numeric_id": "787061"},
                "service": {"carrier": "StarTrack", "carrier_service_code": "PRM"},
            },
            "service-code-only": {"sale_order": {"numeric_id": "787061"}, "service": {"carrier_service_code": "PRM"}},
        },
        invalid={
            "no-identifier": {"sale_order": {}},
            "two-identifiers": {"sale_order": {"numeric_id": "787061", "customer_reference": "SO-10045"}},
            "numeric-id-with-letters": {"sale_order": {"numeric_id": "78706a"}},
            "numeric-id-in-other-digits": {"sale_order": {"numeric_id": "٧٨٧٠٦١"}},
            "numeric-id-trailing-newline": {"sale_order": {"numeric_id": "787061\n"}},
            "numeric-id-as-number": {"sale_order": {"numeric_id": 787061}},
            "id-not-a-uuid": {"sale_order": {"id": "787061"}},
            "unknown-field": {"sale_order": {"numeric_id": "787061"}, "copies": 2},
            "no-sale-order": {"tenant_slug": "demo-warehouse"},
            "printer-empty": {"sale_order": {"numeric_id": "787061"}, "printer": ""},
            "printer-as-number": {"sale_order": {"numeric_id": "787061"}, "printer": 1},
            "service-without-code": {"sale_order": {"numeric_id": "787061"}, "service": {"carrier": "StarTrack"}},
            "service-as-text": {"sale_order": {"numeric_id": "787061"}, "service": "PRM"},
        },
    ),
    SharedBody(
        "print-response",
        PrintResponseSchema,
        "POST /api/v1/labels and POST /api/v1/labels/{label_id}/redo (200, 201)",
        valid={
            "printed": PRINTED,
            "reprint": {**PRINTED, "reprint": True, "writeback": "done"},
            "no-content": {**PRINTED, "label": {**LABEL_REF, "layout": "4x6"}, "carrier": None, "tracking_numbers": []},
            "unknown-field-ignored": {**PRINTED, "added_in_a_later_v1": {"any": "thing"}},
            "sent-to-a-printer": {
                **PRINTED,
                "printer": {
                    **SENT,
                    "warnings": [
                        "This label is 203 dpi ZPL and printer 'bench-1' is 300 dpi: it will print smaller than intended."
                    ],
                },
                "packing_slip": {"url": f"/api/v1/labels/{LABEL_ID}/packing-slip"},
            },
            "printer-offline": {**PRINTED, "printer": PRINTER_OFFLINE},
            "replaces-a-voided-label": {**PRINTED, "after_void": AFTER_VOID},
            "from-an-older-backend": _without(PRINTED, "after_void"),
        },
        invalid={
            "no-label": _without(PRINTED, "label"),
            "writeback-unknown": {**PRINTED, "writeback": "sent"},
            "tracking-numbers-not-a-list": {**PRINTED, "tracking_numbers": "LB000001AU"},
            "reprint-as-text": {**PRINTED, "reprint": "false"},
            "order-id-as-text": {**PRINTED, "starshipit_order": {"order_id": "1001", "order_number": "SO-10045"}},
            "label-without-url": {**PRINTED, "label": _without(PRINTED["label"], "url")},
            "label-without-layout": {**PRINTED, "label": _without(PRINTED["label"], "layout")},
            "layout-unknown": {**PRINTED, "label": {**PRINTED["label"], "layout": "letter"}},
            "no-printer-field": _without(PRINTED, "printer"),
            "printer-status-unknown": {**PRINTED, "printer": {**SENT, "status": "queued"}},
            "packing-slip-without-url": {**PRINTED, "packing_slip": {}},
            "after-void-without-tracking": {**PRINTED, "after_void": _without(AFTER_VOID, "tracking_numbers")},
        },
    ),
    SharedBody(
        "lookup-response",
        LookupResponseSchema,
        "GET /api/v1/orders/lookup (200)",
        valid={
            "labelled": LABELLED,
            "not-printed-yet": NOT_YET,
            "voided": VOIDED,
            "last-error": {
                **NOT_YET,
                "last_error": {
                    "code": "sale_order_not_shippable",
                    "at": "2026-11-25T10:00:00+00:00",
                    "message": "This sale order cannot be shipped: no street.",
                },
            },
        },
        invalid={
            "state-unknown": {**LABELLED, "state": "printed"},
            "no-sale-order": _without(LABELLED, "sale_order"),
            "label-without-id": {**LABELLED, "label": _without(LABEL_REF, "id")},
            "last-error-at-not-a-time": {**NOT_YET, "last_error": {"code": "x", "message": "y", "at": "yesterday"}},
            "sale-order-id-null": {**LABELLED, "sale_order": {**SALE_ORDER, "id": None}},
            "voided-label-action-unknown": {**VOIDED, "voided_label": {**VOIDED_LABEL, "action": "cancelled"}},
        },
    ),
    SharedBody(
        "void-request",
        VoidRequestSchema,
        "POST /api/v1/labels/{label_id}/void (request)",
        valid={"wrong-box": {"reason": "Wrong box size"}},
        invalid={
            "no-reason": {},
            "empty-reason": {"reason": ""},
            "reason-too-long": {"reason": "x" * 501},
            "reason-as-number": {"reason": 7},
            "unknown-field": {"reason": "Wrong box size", "confirm": True},
        },
    ),
    SharedBody(
        "void-response",
        VoidResponseSchema,
        "POST /api/v1/labels/{label_id}/void (200)",
        valid={"archived": VOID_ANSWER, "already-void": {**VOID_ANSWER, "already_void": True}},
        invalid={
            "no-explanation": _without(VOID_ANSWER, "explanation"),
            "already-void-as-text": {**VOID_ANSWER, "already_void": "no"},
            "label-without-voided-at": {**VOID_ANSWER, "label": _without(VOIDED_LABEL, "voided_at")},
        },
    ),
    SharedBody(
        "redo-request",
        RedoRequestSchema,
        "POST /api/v1/labels/{label_id}/redo (request)",
        valid={
            "damaged": {"confirm": True, "reason": "The label was damaged in the printer."},
            "another-service": {
                "confirm": True,
                "reason": "Paid for Premium.",
                "service": {"carrier_service_code": "PRM"},
            },
        },
        invalid={
            "not-confirmed": {"confirm": False, "reason": "damaged"},
            "confirm-as-text": {"confirm": "yes", "reason": "damaged"},
            "confirm-as-number": {"confirm": 1, "reason": "damaged"},
            "no-reason": {"confirm": True},
            "empty-reason": {"confirm": True, "reason": ""},
            "unknown-field": {"confirm": True, "reason": "damaged", "carrier": "DHL"},
        },
    ),
    SharedBody(
        "rates-response",
        RatesResponseSchema,
        "GET /api/v1/orders/{identifier}/rates (200)",
        valid={
            "priced": {"rates": [RATE], "rules_choice": None, "cached": False, "message": None},
            "rules-choice-marked": {
                "rates": [{**RATE, "rules_choice": True}],
                "rules_choice": {"carrier": "AusPost", "carrier_service_code": "7J55"},
                "cached": True,
                "message": None,
            },
            "unpriced": {
                "rates": [{**RATE, "price": None, "carrier": None}],
                "rules_choice": None,
                "cached": False,
                "message": None,
            },
            "none": {"rates": [], "rules_choice": None, "cached": False, "message": "Starshipit offered no services."},
        },
        invalid={
            "rate-without-code": {
                "rates": [_without(RATE, "carrier_service_code")],
                "rules_choice": None,
                "cached": False,
                "message": None,
            },
            "rules-choice-as-text": {
                "rates": [{**RATE, "rules_choice": "yes"}],
                "rules_choice": None,
                "cached": False,
                "message": None,
            },
            "no-rates": {"rules_choice": None, "cached": False, "message": None},
        },
    ),
    SharedBody(
        "workstation-response",
        WorkstationSchema,
        "GET and PUT /api/v1/workstation (200)",
        valid={
            "thermal-bench": WORKSTATION,
            "browser-prints": {**WORKSTATION, "label_layout": "original", "printer": None, "packing_slip": False},
        },
        invalid={
            "layout-unknown": {**WORKSTATION, "label_layout": "letter"},
            "printer-by-name": {**WORKSTATION, "printer": "bench-1"},
            "printer-language-unknown": {**WORKSTATION, "printer": {**PRINTER, "language": "epl"}},
            "no-packing-slip": _without(WORKSTATION, "packing_slip"),
        },
    ),
    SharedBody(
        "workstation-request",
        WorkstationUpdateSchema,
        "PUT /api/v1/workstation (request)",
        valid={
            "everything": {"label_layout": "a4", "printer": "bench-1", "packing_slip": True},
            "no-printer": {"printer": None},
            "layout-only": {"label_layout": "4x6"},
        },
        invalid={
            "empty": {},
            "layout-unknown": {"label_layout": "letter"},
            "packing-slip-as-text": {"packing_slip": "yes"},
            "printer-empty": {"printer": ""},
            "unknown-field": {"label_layout": "4x6", "copies": 2},
        },
    ),
    SharedBody(
        "printers-response",
        PrinterListSchema,
        "GET /api/v1/printers (200)",
        valid={
            "two": {
                "printers": [
                    PRINTER,
                    {
                        **PRINTER,
                        "id": 2,
                        "name": "office-laser",
                        "host": "printer.local",
                        "language": "pdf",
                        "dpi": 600,
                    },
                ]
            },
            "none": {"printers": []},
        },
        invalid={
            "dpi-unknown": {"printers": [{**PRINTER, "dpi": 150}]},
            "port-as-text": {"printers": [{**PRINTER, "port": "9100"}]},
            "no-list": {},
        },
    ),
    SharedBody(
        "whoami-response",
        WhoamiSchema,
        "GET /api/v1/whoami (200)",
        valid={"bench": {"token": {"name": "bench-1"}}},
        invalid={"name-only": {"token": "bench-1"}, "empty": {}},
    ),
    SharedBody(
        "health-response",
        HealthSchema,
        "GET /api/v1/health (200)",
        valid={"ok": {"status": "ok", "version": "0.1.0"}},
        invalid={"down": {"status": "down", "version": "0.1.0"}, "no-version": {"status": "ok"}},
    ),
    SharedBody(
        "connection-test-response",
        ConnectionTestResponseSchema,
        "POST /api/v1/connection-test (200)",
        valid={
            "all-passed": {
                "ok": True,
                "checks": [
                    {"name": "CartonCloud", "ok": True, "message": "Signed in to CartonCloud; tenant 1 is reachable."},
                    {
                        "name": "Starshipit account 'environment'",
                        "ok": True,
                        "message": "The keys work; couriers set up: Australia Post.",
                    },
                ],
            },
            "one-failed": {
                "ok": False,
                "checks": [
                    {"name": "CartonCloud", "ok": False, "message": "CartonCloud refused the credentials: check them."}
                ],
            },
        },
        invalid={
            "no-checks": {"ok": True},
            "check-ok-as-text": {"ok": False, "checks": [{"name": "CartonCloud", "ok": "no", "message": "Refused."}]},
            "check-without-message": {"ok": True, "checks": [{"name": "CartonCloud", "ok": True}]},
        },
    ),
    SharedBody(
        "batch-request",
        BatchRequestSchema,
        "POST /api/v1/labels/batch (request)",
        valid={
            "from-the-list-page": {
                "batch_id": BATCH_ID,
                "tenant_slug": "demo-warehouse",
                "sale_orders": [{"numeric_id": "787061"}, {"numeric_id": "787062"}],
            },
            "any-identifiers": {"sale_orders": [{"id": SALE_ORDER["id"]}, {"customer_reference": "SO-10046"}]},
            "to-a-printer": {"sale_orders": [{"numeric_id": "787061"}], "printer": "bench-1"},
            "no-printer": {"sale_orders": [{"numeric_id": "787061"}], "printer": None},
        },
        invalid={
            "no-sale-orders": {"batch_id": BATCH_ID},
            "empty": {"sale_orders": []},
            "over-100": {"sale_orders": [{"numeric_id": str(787000 + n)} for n in range(101)]},
            "repeated": {"sale_orders": [{"numeric_id": "787061"}, {"numeric_id": "787061"}]},
            "two-identifiers": {"sale_orders": [{"numeric_id": "787061", "customer_reference": "SO-10045"}]},
            "batch-id-not-a-uuid": {"batch_id": "batch-1", "sale_orders": [{"numeric_id": "787061"}]},
            "unknown-field": {"sale_orders": [{"numeric_id": "787061"}], "copies": 2},
        },
    ),
    SharedBody(
        "batch-response",
        BatchResponseSchema,
        "POST /api/v1/labels/batch and GET /api/v1/labels/batches/{batch_id} (200)",
        valid={
            "finished": BATCH_FINISHED,
            "running": {
                **BATCH_FINISHED,
                "batch": {**BATCH_FINISHED["batch"], "state": "running", "done": 1, "failed": 0},
                "results": [BATCH_PRINTED],
                "file": None,
            },
            "sent-to-a-printer": {**BATCH_FINISHED, "printer": SENT},
            "replaces-a-voided-label": {**BATCH_FINISHED, "results": [{**BATCH_PRINTED, "after_void": AFTER_VOID}]},
            "zpl": {**BATCH_FINISHED, "file": {**BATCH_FINISHED["file"], "format": "zpl", "pages": None}},
            "no-file": {
                **BATCH_FINISHED,
                "file": None,
                "file_error": "The labels came from Starshipit in different formats (pdf, zpl), so they cannot "
                "be printed as one document: print each order's label on its own.",
            },
        },
        invalid={
            "no-results": _without(BATCH_FINISHED, "results"),
            "state-unknown": {**BATCH_FINISHED, "batch": {**BATCH_FINISHED["batch"], "state": "done"}},
            "done-as-text": {**BATCH_FINISHED, "batch": {**BATCH_FINISHED["batch"], "done": "2"}},
            "result-status-unknown": {**BATCH_FINISHED, "results": [{**BATCH_PRINTED, "status": "queued"}]},
            "label-without-layout": {**BATCH_FINISHED, "results": [{**BATCH_PRINTED, "label": LABEL_REF}]},
            "file-as-png": {**BATCH_FINISHED, "file": {**BATCH_FINISHED["file"], "format": "png"}},
            "no-printer-field": _without(BATCH_FINISHED, "printer"),
            "after-void-label-id-as-number": {
                **BATCH_FINISHED,
                "results": [{**BATCH_PRINTED, "after_void": {**AFTER_VOID, "label_id": 7}}],
            },
        },
    ),
    SharedBody(
        "return-response",
        ReturnResponseSchema,
        "POST /api/v1/labels/{label_id}/return (201, 200)",
        valid={"made": RETURNED, "reprinted": {**RETURNED, "reprint": True}},
        invalid={
            "no-return-order": _without(RETURNED, "return_order"),
            "order-id-as-text": {**RETURNED, "return_order": {"order_id": "1002"}},
            "label-without-url": {**RETURNED, "label": _without(RETURNED["label"], "url")},
        },
    ),
    SharedBody(
        "manifest-preview-response",
        ManifestPreviewSchema,
        "GET /api/v1/manifests/preview (200)",
        valid={
            "two-carriers": {
                "day_start": "2026-12-02T00:00:00+10:00",
                "carriers": [
                    {"carrier": "Australia Post", "account": None, "orders": 12},
                    {"carrier": "StarTrack", "account": None, "orders": 3},
                ],
                "total": 15,
            },
            "nothing-due": {"day_start": "2026-12-02T00:00:00+00:00", "carriers": [], "total": 0},
        },
        invalid={
            "count-as-text": {
                "day_start": "2026-12-02T00:00:00+00:00",
                "carriers": [{"carrier": "StarTrack", "account": None, "orders": "3"}],
                "total": 3,
            },
            "no-total": {"day_start": "2026-12-02T00:00:00+00:00", "carriers": []},
        },
    ),
    SharedBody(
        "close-day-request",
        CloseDayRequestSchema,
        "POST /api/v1/manifests (request)",
        valid={"confirmed": {"confirm": True}},
        invalid={"not-confirmed": {"confirm": False}, "empty": {}, "confirm-as-text": {"confirm": "yes"}},
    ),
    SharedBody(
        "manifests-response",
        ManifestListSchema,
        "POST /api/v1/manifests (201) and GET /api/v1/manifests (200)",
        valid={
            "one-done-one-refused": {"manifests": [MANIFESTED, MANIFEST_REFUSED]},
            "number-known": {"manifests": [{**MANIFESTED, "manifest_number": "M000123"}]},
            "nothing-due": {"manifests": []},
        },
        invalid={
            "state-unknown": {"manifests": [{**MANIFESTED, "state": "sent"}]},
            "no-file-field": {"manifests": [_without(MANIFESTED, "file")]},
            "no-list": {},
        },
    ),
    SharedBody(
        "error",
        ErrorSchema,
        "every answer that is not 2xx",
        valid={
            "not-shippable": {
                "code": "sale_order_not_shippable",
                "status": 422,
                "message": "This sale order cannot be shipped: Delivery address has no street (address line 1).",
                "errors": {"details.deliver.address.address1": ["Delivery address has no street (address line 1)."]},
            },
            "unauthorized": {
                "code": "unauthorized",
                "status": 401,
                "message": "Send the API token as 'Authorization: Bearer <token>'.",
            },
            "nested-field-errors": {
                "code": "validation_error",
                "status": 422,
                "message": "The request has invalid fields.",
                "errors": {"sale_order": {"numeric_id": ["Must be the order's number (digits)."]}},
            },
        },
        invalid={
            "no-message": {"code": "not_found", "status": 404},
            "status-as-text": {"code": "not_found", "status": "404", "message": "Label 1 does not exist."},
            "errors-as-list": {
                "code": "validation_error",
                "status": 422,
                "message": "Invalid.",
                "errors": ["numeric_id"],
            },
        },
    ),
)
