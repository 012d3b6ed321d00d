"""Webhooks: authenticated by their own secret (not a bearer token), answered at once; the work
is queued in the inbox for the worker, and a duplicate delivery is dropped there."""

from __future__ import annotations

from flask import current_app, request

from ..db import get_session
from ..openapi import operation
from ..schemas.sync import SaleOrderWebhookSchema, TrackingWebhookSchema, WebhookAnswerSchema
from ..sync import inbox, signatures
from ..sync.entities import fingerprint
from ..sync.tracking import TrackingUpdate
from .blueprint import api
from .bodies import load_json

SECRET_HEADER = "X-Labelbridge-Secret"
SIGNATURE_HEADER = "X-Starshipit-Signature"

_sale_order_schema = SaleOrderWebhookSchema()
_tracking_schema = TrackingWebhookSchema()
_answer_schema = WebhookAnswerSchema()


@api.post("/webhooks/cartoncloud")
@operation(
    security=("cartoncloudWebhookSecret",),
    request=SaleOrderWebhookSchema,
    responses={202: (WebhookAnswerSchema, "Queued for the worker (or ignored: not a sale order).")},
    errors={
        401: "The webhook secret is missing or wrong (or was sent in the URL).",
        403: "The webhook is switched off (no secret set).",
    },
)
def cartoncloud_webhook():
    """A sale order changed (the body is the entity): 202, queued. The secret comes in the
    X-Labelbridge-Secret header only: in a URL it would be written in access logs. Errors: 403
    switched off, 401 wrong secret, 415/400/422 body."""
    presented = request.headers.get(SECRET_HEADER)
    signatures.check_shared_secret(
        current_app.config["CARTONCLOUD_WEBHOOK_SECRET"], presented, "CARTONCLOUD_WEBHOOK_SECRET"
    )
    sale_order = load_json(_sale_order_schema)
    if sale_order.get("type") not in (None, "OUTBOUND"):
        return _answer_schema.dump({"queued": False, "ignored": f"not a sale order ({sale_order['type']})"}), 202
    key = inbox.dedupe_key(sale_order["id"], sale_order["status"], fingerprint(sale_order))
    added = inbox.add(get_session(), inbox.CARTONCLOUD, [(key, sale_order)])
    return _answer_schema.dump({"queued": True, "duplicate": not added}), 202


@api.post("/webhooks/starshipit")
@operation(
    request=TrackingWebhookSchema,
    headers={
        SIGNATURE_HEADER: "HMAC-SHA256 of the raw body with LABELBRIDGE_STARSHIPIT_WEBHOOK_SECRET (required unless LABELBRIDGE_STARSHIPIT_WEBHOOK_INSECURE=true)."
    },
    responses={200: (WebhookAnswerSchema, "Queued for the worker.")},
    errors={
        401: "The signature is missing or does not match.",
        403: "The webhook is switched off (no secret set, unsigned calls not allowed).",
    },
)
def starshipit_webhook():
    """A tracking update: 200, queued (Starshipit wants a 200); the worker checks it against
    Starshipit before it changes anything. ``?account=`` names the Starshipit account when several
    are set up. Errors: 403 switched off, 401 bad signature, 415/400/422 body."""
    config = current_app.config
    signatures.check_signature(
        config["STARSHIPIT_WEBHOOK_SECRET"],
        config["STARSHIPIT_SIGNATURE_SCHEME"],
        request.get_data(cache=True),
        request.headers.get(SIGNATURE_HEADER),
        insecure=config["STARSHIPIT_WEBHOOK_INSECURE"],
    )
    update = TrackingUpdate.from_webhook(load_json(_tracking_schema), request.args.get("account"))
    added = inbox.add(get_session(), inbox.STARSHIPIT, [(update.key, update.to_payload())])
    return _answer_schema.dump({"queued": True, "duplicate": not added}), 200
