"""Printing labels: POST /labels, the label file and packing slip, and a deliberate redo.

A print answers with the label laid out as the workstation prefers, sends it to the network
printer chosen (the request's ``printer``, else the workstation's), and offers the packing slip
when the workstation wants it. A printer that fails never fails the print: the label is stored,
and the answer says what went wrong so the browser can print it instead."""
from __future__ import annotations

from datetime import timedelta

from flask import Response, current_app, g, request

from .. import idempotency
from ..db import get_session
from ..errors import ApiError
from ..models import Label, Printer
from ..printing.identifiers import SaleOrderRef
from ..printing.labels import CONTENT_TYPES
from ..printing.layouts import apply_layout, effective_layout
from ..printing.packing_slips import packing_slip
from ..printing.printer_jobs import send_label
from ..printing.service import PrintOutcome
from ..printing.workstation import UNSET, Workstation, choose_printer, workstation_for
from ..openapi import Binary, operation
from ..upstreams import get_upstreams
from . import api
from .bodies import load_json
from .presenters import print_response, with_label_content
from .printing_schemas import LayoutQuerySchema
from .schemas import PrintRequestSchema, PrintResponseSchema, RedoRequestSchema
from .services import print_service, runtime_config

_print_request = PrintRequestSchema()
_redo_request = RedoRequestSchema()
_layout_query = LayoutQuerySchema()


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
            422: "The sale order cannot be shipped (each reason under `errors`), the page is from another tenant, "
                 "there is no printer of that name (`errors.printer`), or the Idempotency-Key was used for another "
                 "body.",
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
        # The same click retried (its answer was lost on the way): the first answer again, and
        # not another copy from the network printer, which printed it the first time.
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
    workstation, printer = _bench(body)
    outcome = print_service().print_label(ref, body.get("tenant_slug"))
    return _answer(outcome, workstation, printer), _status(outcome.reprint)


def _bench(body: dict) -> tuple[Workstation, Printer | None]:
    """The caller's preferences and the printer for this print: an unknown printer is refused
    (422) before anything is printed."""
    session = get_session()
    workstation = workstation_for(session, g.token_name)
    printer = choose_printer(session, workstation, body.get("printer", UNSET))
    session.commit()  # no transaction stays open across the upstream calls
    return workstation, printer


def _answer(outcome: PrintOutcome, workstation: Workstation, printer: Printer | None) -> dict:
    label = outcome.label
    content = apply_layout(label.content, label.format, workstation.label_layout)
    delivery = None
    if printer is not None:
        delivery = send_label(get_session(), printer, content, label.format, runtime_config()["PRINTER_TIMEOUT_SECONDS"],
                              record=outcome.record, actor=g.token_name, label_id=label.id)  # fmt: skip
    return print_response(outcome, workstation.label_layout, content, delivery, workstation.packing_slip)


def _label(label_id: str) -> Label:
    label = get_session().get(Label, label_id)
    if label is None:
        raise ApiError(404, "not_found", f"Label {label_id} does not exist.")
    return label


@api.get("/labels/<label_id>/file")
@operation(
    path={"label_id": "`label.id` from a print."},
    query=LayoutQuerySchema,
    responses={200: (Binary(tuple(dict.fromkeys(CONTENT_TYPES.values()))), "The label's bytes, laid out.")},
    errors={404: "There is no such label."},
)
def label_file(label_id: str):
    """The label's bytes with their content type, laid out as ``layout`` asks (default: the
    workstation's layout; ZPL as Starshipit made it). 404 when there is no such label."""
    query = _layout_query.load(request.args.to_dict())
    session = get_session()
    label = _label(label_id)
    layout = effective_layout(label.format, query.get("layout") or workstation_for(session, g.token_name).label_layout)
    session.commit()
    return Response(
        apply_layout(label.content, label.format, layout),
        content_type=CONTENT_TYPES.get(label.format, "application/octet-stream"),
        headers={"Content-Disposition": f'inline; filename="label-{label.id}.{label.format}"'},
    )


@api.get("/labels/<label_id>/packing-slip")
@operation(
    path={"label_id": "`label.id` from a print."},
    responses={200: (Binary(("application/pdf",)), "The order's packing slip, as Starshipit makes it.")},
    errors={404: "There is no such label.", **_UPSTREAM_ERRORS},
)
def label_packing_slip(label_id: str):
    """The packing slip of the label's order (PDF): made by Starshipit on the first ask, kept
    after. 404 unknown label, 502/503 when Starshipit cannot make it."""
    label = _label(label_id)
    content = packing_slip(get_session(), get_upstreams(current_app), label, g.token_name)
    return Response(content, content_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="packing-slip-{label.id}.pdf"'})  # fmt: skip


@api.post("/labels/<label_id>/redo")
@operation(
    request=RedoRequestSchema,
    path={"label_id": "The order's current label."},
    responses={201: (PrintResponseSchema, "A new label, a new shipment; the old one is recorded as replaced.")},
    errors={404: "There is no such label.", 409: "That label was replaced already, or the order is being printed.",
            422: "`confirm` is not true, the reason is missing, or there is no printer of that name.",
            **_UPSTREAM_ERRORS},
)  # fmt: skip
def redo_label(label_id: str):
    """A new label (a new shipment) replacing ``label_id``; needs ``confirm: true`` and a reason.
    Errors: 404 unknown label, 409 label already replaced, 502/503 as for printing."""
    body = load_json(_redo_request)
    workstation, printer = _bench(body)
    outcome = print_service().redo(label_id, body["reason"])
    return _answer(outcome, workstation, printer), 201
