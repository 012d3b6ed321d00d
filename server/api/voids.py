"""Voiding a label: POST /labels/{label_id}/void, for supervisor and admin tokens.

The view parses and presents; the order core (``server/orders/void.py``) voids."""

from __future__ import annotations

from flask import current_app, g

from ..clients import get_upstreams
from ..db import get_session
from ..orders.void import Voider
from ..schemas.voids import VoidRequestSchema, VoidResponseSchema
from .auth import supervisor_only
from .blueprint import api
from .operations import errors, path_parameter
from .services import runtime_config


@api.post("/labels/<label_id>/void", parameters=[path_parameter("label_id", "The order's current label.")])
@api.arguments(VoidRequestSchema)
@api.response(200, VoidResponseSchema, description="The label is void (now, or before: `already_void`).")
@errors(
    {
        404: "There is no such label.",
        409: "That label was replaced by a newer one, or the order is being printed or voided right now.",
        422: "The reason is missing, empty or longer than 500 characters.",
        502: "Starshipit refused to delete or archive the order, in its own words (nothing was voided), or did "
        "not accept labelbridge's keys.",
        503: "Starshipit is busy or down (with Retry-After), or no account is set up; nothing was voided.",
    }
)
@supervisor_only
def void_label(body, label_id: str):
    """Void a label: its Starshipit order is deleted (unshipped) or archived (printed), the label
    is kept marked void, and the next print of the order makes a new shipment."""
    outcome = Voider(get_session(), get_upstreams(current_app), runtime_config(), g.token_name).void(
        label_id, body["reason"]
    )
    return {
        "sale_order": outcome.record,
        "label": outcome.label,
        "already_void": outcome.already,
        "explanation": outcome.explanation,
        "writeback": outcome.writeback,
    }
