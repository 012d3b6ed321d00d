"""Printing labels: POST /labels, the label file, and a deliberate redo."""
from __future__ import annotations

from datetime import timedelta

from flask import Response, current_app, g, request

from .. import idempotency
from ..db import get_session
from ..errors import ApiError
from ..models import Label
from ..printing.identifiers import SaleOrderRef
from ..printing.labels import CONTENT_TYPES
from ..openapi import Binary, operation
from . import api
from .bodies import load_json
from .presenters import print_response, with_label_content
from .schemas import PrintRequestSchema, PrintResponseSchema, RedoRequestSchema
from .services import print_service

_print_request = PrintRequestSchema()
_redo_request = RedoRequestSchema()


def _status(reprint: bool) -> int:
    return 200 if reprint else 201


_UPSTREAM_ERRORS = {
    502: "Starshipit (or CartonCloud) refused, in its own words, or did not accept labelbridge's keys.",
    503: "Starshipit or CartonCloud is busy or down (with Retry-After), or no account is set up.",
}


@api.post("/labels")
@operation(
    request=PrintRequestSchema,
    headers={"Idempotency-Key": "Any key up to 255 characters, new per click: a retry with the same key and body "
                                "gets the first answer again."},
    responses={201: (PrintResponseSchema, "Printed now: a new shipment."),
               200: (PrintResponseSchema, "The order already had a label: the stored one, no new shipment.")},
    errors={404: "The sale order is not in CartonCloud.",
            409: "This order (or this Idempotency-Key) is being printed right now, or the identifier matches several "
                 "sale orders.",
            422: "The sale order cannot be shipped (each reason under `errors`), the page is from another tenant, or "
                 "the Idempotency-Key was used for another body.",
            **_UPSTREAM_ERRORS},
)  # fmt: skip
def print_label():
    """Print (201) or reprint (200) a sale order's label. Errors: 404 unknown sale order,
    422 invalid body or unshippable order, 409 same Idempotency-Key in flight, 502 Starshipit
    refused, 503 upstream busy or down (with Retry-After)."""
    body = load_json(_print_request)
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return _print(body)
    session, token = get_session(), g.token_name
    key = idempotency.check_key(key)
    request_hash = idempotency.fingerprint("POST", request.path, request.get_json())
    lease = timedelta(seconds=current_app.config["ORDER_LOCK_SECONDS"])
    replay = idempotency.begin(session, token, key, request_hash, lease)
    if replay is not None:
        label = session.get(Label, replay.label_id)
        return with_label_content(replay.body, label), replay.status
    try:
        response, status = _print(body)
    except BaseException:
        idempotency.release(session, token, key)
        raise
    stored = {**response, "label": {k: v for k, v in response["label"].items() if k != "content_base64"}}
    idempotency.finish(session, token, key, status, stored, response["label"]["id"])
    return response, status


def _print(body: dict) -> tuple[dict, int]:
    ref = SaleOrderRef.from_mapping({k: str(v) for k, v in body["sale_order"].items()})
    outcome = print_service().print_label(ref, body.get("tenant_slug"))
    return print_response(outcome), _status(outcome.reprint)


@api.get("/labels/<label_id>/file")
@operation(
    path={"label_id": "`label.id` from a print."},
    responses={200: (Binary(tuple(dict.fromkeys(CONTENT_TYPES.values()))), "The label's bytes.")},
    errors={404: "There is no such label."},
)
def label_file(label_id: str):
    """The stored label bytes with their content type. 404 when there is no such label."""
    label = get_session().get(Label, label_id)
    if label is None:
        raise ApiError(404, "not_found", f"Label {label_id} does not exist.")
    return Response(
        label.content,
        content_type=CONTENT_TYPES.get(label.format, "application/octet-stream"),
        headers={"Content-Disposition": f'inline; filename="label-{label.id}.{label.format}"'},
    )


@api.post("/labels/<label_id>/redo")
@operation(
    request=RedoRequestSchema,
    path={"label_id": "The order's current label."},
    responses={201: (PrintResponseSchema, "A new label, a new shipment; the old one is recorded as replaced.")},
    errors={404: "There is no such label.", 409: "That label was replaced already, or the order is being printed.",
            422: "`confirm` is not true, or the reason is missing.", **_UPSTREAM_ERRORS},
)  # fmt: skip
def redo_label(label_id: str):
    """A new label (a new shipment) replacing ``label_id``; needs ``confirm: true`` and a reason.
    Errors: 404 unknown label, 409 label already replaced, 502/503 as for printing."""
    body = load_json(_redo_request)
    outcome = print_service().redo(label_id, body["reason"])
    return print_response(outcome), 201
