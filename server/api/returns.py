"""A sale order's return label: POST /labels/{label_id}/return.

The view presents; the order core (``server/orders/returns.py``) makes the return once and
reprints it after."""

from __future__ import annotations

import base64

from flask import current_app, g, url_for

from ..clients import get_upstreams
from ..db import get_session
from ..orders.returns import ReturnOutcome, ReturnService
from ..printing.layouts import apply_layout, effective_layout
from ..printing.workstation import workstation_for
from ..schemas.returns import ReturnResponseSchema
from .blueprint import api
from .labels import UPSTREAM_ERRORS
from .operations import errors, path_parameter
from .services import runtime_config


@api.post("/labels/<label_id>/return", parameters=[path_parameter("label_id", "A label of the order (`label.id`).")])
@api.alt_response(201, schema=ReturnResponseSchema, description="Made now: a return in Starshipit.", success=True)
@api.alt_response(
    200, schema=ReturnResponseSchema, description="The order's return label made before; nothing new.", success=True
)
@errors(
    {
        404: "There is no such label.",
        409: "The order has no current label to return, or another workstation is working on it.",
        **UPSTREAM_ERRORS,
        503: f"{UPSTREAM_ERRORS[503]} Or the return was asked of Starshipit moments ago without an answer "
        "(`return_unconfirmed`, with Retry-After): it will not be made twice.",
    }
)
def return_label(label_id: str):
    """The order's return label: Starshipit clones the shipment as a return and prints its label
    (201), once per order; asked again, the same label (200)."""
    session = get_session()
    outcome = ReturnService(session, get_upstreams(current_app), runtime_config(), g.token_name).print_return(label_id)
    layout = effective_layout(outcome.label.format, workstation_for(session, g.token_name).label_layout)
    session.commit()
    return _answer(outcome, layout), 200 if outcome.reprint else 201


def _answer(outcome: ReturnOutcome, layout: str) -> dict:
    label = outcome.label
    content = apply_layout(label.content, label.format, layout)
    return ReturnResponseSchema().dump(
        {
            "sale_order": outcome.record,
            "return_order": {"order_id": outcome.return_order_id},
            "carrier": label.carrier,
            "tracking_numbers": label.tracking_numbers,
            "reprint": outcome.reprint,
            "label": {
                "id": label.id,
                "format": label.format,
                "url": url_for("api.label_file", label_id=label.id),
                "layout": layout,
                "content_base64": base64.b64encode(content).decode(),
            },
        }
    )
