"""The end-of-day manifest's bodies (/api/v1/manifests)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..validation import StrictBoolean
from .labels import ResponseSchema

MANIFEST_STATES = ("sending", "done", "failed", "unconfirmed")
MAX_LISTED = 200


class CarrierCountSchema(ResponseSchema):
    carrier = fields.String(required=True)
    account = fields.String(
        allow_none=True, required=True, metadata={"description": "The Starshipit account; null: the default one."}
    )
    orders = fields.Integer(strict=True, required=True, metadata={"description": "Shipments its manifest would hold."})


class ManifestPreviewSchema(ResponseSchema):
    day_start = fields.DateTime(required=True, metadata={"description": "Midnight today in LABELBRIDGE_TIMEZONE."})
    carriers = fields.List(fields.Nested(CarrierCountSchema), required=True)
    total = fields.Integer(strict=True, required=True)


class CloseDayRequestSchema(Schema):
    confirm = StrictBoolean(
        required=True,
        validate=validate.Equal(True, error="Set confirm to true: the shipments are handed to the carriers."),
    )


class ManifestFileSchema(ResponseSchema):
    url = fields.String(required=True, metadata={"description": "Where to GET the manifest's PDF again."})


class ManifestSchema(ResponseSchema):
    id = fields.Integer(strict=True, required=True, metadata={"description": "labelbridge's own manifest record."})
    carrier = fields.String(required=True)
    account = fields.String(allow_none=True, required=True)
    manifest_number = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "Starshipit's number; null when its answer named none (the number is unknown)."},
    )
    state = fields.String(
        required=True,
        validate=validate.OneOf(MANIFEST_STATES),
        metadata={
            "description": "done; failed (Starshipit refused: `error` in its words, the shipments go in the next "
            "one); unconfirmed (no answer: the next close of the day settles it from what Starshipit shows of "
            "its orders, as done or failed); sending."
        },
    )
    error = fields.String(
        allow_none=True,
        required=True,
        metadata={
            "description": "Why it failed, in Starshipit's words; for one settled after a lost answer, what became "
            "of it (e.g. done without its PDF)."
        },
    )
    orders = fields.Integer(strict=True, required=True, attribute="order_count")
    created_by = fields.String(allow_none=True, required=True)
    created_at = fields.DateTime(required=True)
    file = fields.Nested(ManifestFileSchema, allow_none=True, required=True, metadata={"description": "null: no PDF."})


class ManifestListSchema(ResponseSchema):
    manifests = fields.List(fields.Nested(ManifestSchema), required=True, metadata={"description": "Newest first."})


class ManifestListQuerySchema(Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_LISTED))
