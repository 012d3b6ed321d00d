"""Printing labels: POST /labels, the label file and packing slip, and a deliberate redo.

The views parse and present; the order core (``server/orders/``) prints, sends to the network
printer, and answers a retried click (same Idempotency-Key) with its first answer."""

from __future__ import annotations

import base64

from flask import Response, current_app, g, request

from ..clients import get_upstreams
from ..db import get_session
from ..errors import ApiError
from ..models import Label
from ..orders import idempotency
from ..orders.bench import Answer, Printed
from ..orders.chosen_service import ChosenService
from ..orders.identifiers import SaleOrderRef
from ..printing.labels import CONTENT_TYPES
from ..printing.layouts import apply_layout, effective_layout
from ..printing.packing_slips import packing_slip
from ..printing.workstation import UNSET, workstation_for
from ..request_headers import request_header
from ..schemas.labels import PrintRequestSchema, PrintResponseSchema, RedoRequestSchema
from ..schemas.printing import LayoutQuerySchema
from .blueprint import api
from .operations import binary, errors, header_parameter, path_parameter
from .presenters import print_response, with_label_content
from .services import bench


def _status(reprint: bool) -> int:
    return 200 if reprint else 201


_LABEL_ID = [path_parameter("label_id", "`label.id` from a print.")]
UPSTREAM_ERRORS = {
    502: "Starshipit (or CartonCloud) refused, in its own words, or did not accept labelbridge's keys.",
    503: "Starshipit or CartonCloud is busy or down (with Retry-After), or no account is set up.",
}


@api.post(
    "/labels",
    parameters=[
        header_parameter(
            "Idempotency-Key",
            "Any key up to 255 characters, new per click: a retry with the same key and body "
            "gets the first answer again.",
        )
    ],
)
@api.arguments(PrintRequestSchema)
# Answers are dumped as they are kept for a retried click (presenters.print_response).
@api.alt_response(201, schema=PrintResponseSchema, description="Printed now: a new shipment.", success=True)
@api.alt_response(
    200,
    schema=PrintResponseSchema,
    description="The order already had a label: the stored one, no new shipment.",
    success=True,
)
@errors(
    {
        404: "The sale order is not in CartonCloud.",
        409: "This order (or this Idempotency-Key) is being printed right now, the identifier matches several "
        "sale orders, or `service` differs from the service of the label the order has (a new shipment: redo).",
        422: "The sale order cannot be shipped (each reason under `errors`), the page is from another tenant, "
        "there is no printer of that name (`errors.printer`), or the Idempotency-Key was used for another "
        "body.",
        **UPSTREAM_ERRORS,
    }
)
def print_label(body):
    """Print (201) or reprint (200) a sale order's label."""
    ref = SaleOrderRef.from_mapping({k: str(v) for k, v in body["sale_order"].items()})
    workstation = bench()
    printed: list[Printed] = []

    def answer() -> Answer:
        service = ChosenService.from_mapping(body.get("service"))
        printed.append(workstation.print_label(ref, body.get("tenant_slug"), body.get("printer", UNSET), service))
        return _answer(printed[0], _status(printed[0].outcome.reprint))

    request_hash = idempotency.fingerprint("POST", request.path, request.get_json())
    return _with_label(workstation.once(request_header("Idempotency-Key"), request_hash, answer), printed)


def _answer(printed: Printed, status: int) -> Answer:
    """The answer to keep for a retry: everything but the label's bytes."""
    response = print_response(printed.outcome, printed.layout, printed.delivery, printed.packing_slip)
    return Answer(status, response, printed.outcome.label.id)


def _with_label(answer: Answer, printed: list[Printed]) -> tuple[dict, int]:
    """The answer with the label's bytes: as just laid out, or read again for a replay (which
    the network printer does not print again)."""
    if answer.replayed:
        return with_label_content(answer.body, get_session().get(Label, answer.label_id)), answer.status
    label = {**answer.body["label"], "content_base64": base64.b64encode(printed[0].content).decode()}
    return {**answer.body, "label": label}, answer.status


def _label(label_id: str) -> Label:
    label = get_session().get(Label, label_id)
    if label is None:
        raise ApiError(404, "not_found", f"Label {label_id} does not exist.")
    return label


@api.get("/labels/<label_id>/file", parameters=_LABEL_ID)
@api.arguments(LayoutQuerySchema, location="query")
@binary(200, tuple(dict.fromkeys(CONTENT_TYPES.values())), "The label's bytes, laid out.")
@errors({404: "There is no such label."})
def label_file(query, label_id: str):
    """The label's bytes with their content type, laid out as ``layout`` asks (default: the
    workstation's layout; ZPL as Starshipit made it)."""
    session = get_session()
    label = _label(label_id)
    layout = effective_layout(label.format, query.get("layout") or workstation_for(session, g.token_name).label_layout)
    session.commit()
    return Response(
        apply_layout(label.content, label.format, layout),
        content_type=CONTENT_TYPES.get(label.format, "application/octet-stream"),
        headers={"Content-Disposition": f'inline; filename="label-{label.id}.{label.format}"'},
    )


@api.get("/labels/<label_id>/packing-slip", parameters=_LABEL_ID)
@binary(200, ("application/pdf",), "The order's packing slip, as Starshipit makes it.")
@errors({404: "There is no such label.", **UPSTREAM_ERRORS})
def label_packing_slip(label_id: str):
    """The packing slip of the label's order (PDF): made by Starshipit on the first ask, kept
    after."""
    label = _label(label_id)
    content = packing_slip(get_session(), get_upstreams(current_app), label, g.token_name)
    return Response(
        content,
        content_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="packing-slip-{label.id}.pdf"'},
    )


@api.post("/labels/<label_id>/redo", parameters=[path_parameter("label_id", "The order's current label.")])
@api.arguments(RedoRequestSchema)
@api.alt_response(
    201,
    schema=PrintResponseSchema,
    description="A new label, a new shipment; the old one is recorded as replaced.",
    success=True,
)
@errors(
    {
        404: "There is no such label.",
        409: "That label was replaced already, or the order is being printed.",
        422: "`confirm` is not true, the reason is missing, or there is no printer of that name.",
        **UPSTREAM_ERRORS,
    }
)
def redo_label(body, label_id: str):
    """A new label (a new shipment) replacing ``label_id``; needs ``confirm: true`` and a reason."""
    service = ChosenService.from_mapping(body.get("service"))
    printed = bench().redo(label_id, body["reason"], body.get("printer", UNSET), service)
    return _with_label(_answer(printed, 201), [printed])
