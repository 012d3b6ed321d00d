"""Webhooks: authenticated by their own secret (not a bearer token), answered at once; the work
is queued in the inbox for the worker, and a duplicate delivery is dropped there."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import current_app, request

from ..db import get_session
from ..schemas.sync import SaleOrderWebhookSchema, TrackingWebhookSchema, WebhookAnswerSchema
from ..sync import inbox, signatures
from ..sync.entities import fingerprint
from ..sync.tracking import TrackingUpdate
from .blueprint import api
from .operations import errors, header_parameter

SECRET_HEADER = "X-Labelbridge-Secret"
SIGNATURE_HEADER = "X-Starshipit-Signature"


def secret_checked(view: Callable[..., Any]) -> Callable[..., Any]:
    """403 when the CartonCloud webhook is off, 401 for a wrong secret: before the body is read."""

    @wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        presented = request.headers.get(SECRET_HEADER)
        signatures.check_shared_secret(
            current_app.config["CARTONCLOUD_WEBHOOK_SECRET"], presented, "CARTONCLOUD_WEBHOOK_SECRET"
        )
        return view(*args, **kwargs)

    return checked


def signature_checked(view: Callable[..., Any]) -> Callable[..., Any]:
    """403 when the Starshipit webhook is off, 401 when the raw body's signature does not match:
    before the body is read."""

    @wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        config = current_app.config
        signatures.check_signature(
            config["STARSHIPIT_WEBHOOK_SECRET"],
            config["STARSHIPIT_SIGNATURE_SCHEME"],
            request.get_data(cache=True),
            request.headers.get(SIGNATURE_HEADER),
            insecure=config["STARSHIPIT_WEBHOOK_INSECURE"],
        )
        return view(*args, **kwargs)

    return checked


@api.post("/webhooks/cartoncloud")
@api.doc(security=[{"cartoncloudWebhookSecret": []}])
@secret_checked
@api.arguments(SaleOrderWebhookSchema)
@api.response(202, WebhookAnswerSchema, description="Queued for the worker (or ignored: not a sale order).")
@errors(
    {
        401: "The webhook secret is missing or wrong (or was sent in the URL).",
        403: "The webhook is switched off (no secret set).",
    }
)
def cartoncloud_webhook(sale_order):
    """A sale order changed (the body is the entity): 202, queued. The secret comes in the
    X-Labelbridge-Secret header only: in a URL it would be written in access logs."""
    if sale_order.get("type") not in (None, "OUTBOUND"):
        return {"queued": False, "ignored": f"not a sale order ({sale_order['type']})"}
    key = inbox.dedupe_key(sale_order["id"], sale_order["status"], fingerprint(sale_order))
    added = inbox.add(get_session(), inbox.CARTONCLOUD, [(key, sale_order)])
    return {"queued": True, "duplicate": not added}


@api.post(
    "/webhooks/starshipit",
    parameters=[
        header_parameter(
            SIGNATURE_HEADER,
            "HMAC-SHA256 of the raw body with LABELBRIDGE_STARSHIPIT_WEBHOOK_SECRET (required unless "
            "LABELBRIDGE_STARSHIPIT_WEBHOOK_INSECURE=true).",
        )
    ],
)
@signature_checked
@api.arguments(TrackingWebhookSchema)
@api.response(200, WebhookAnswerSchema, description="Queued for the worker.")
@errors(
    {
        401: "The signature is missing or does not match.",
        403: "The webhook is switched off (no secret set, unsigned calls not allowed).",
    }
)
def starshipit_webhook(tracking):
    """A tracking update: 200, queued (Starshipit wants a 200); the worker checks it against
    Starshipit before it changes anything. ``?account=`` names the Starshipit account when several
    are set up."""
    update = TrackingUpdate.from_webhook(tracking, request.args.get("account"))
    added = inbox.add(get_session(), inbox.STARSHIPIT, [(update.key, update.to_payload())])
    return {"queued": True, "duplicate": not added}
