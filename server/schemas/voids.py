"""Voiding a label: the request and the answer (marshmallow)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..validation import StrictBoolean, no_nul
from .labels import WRITEBACK_STATES, ResponseSchema, SaleOrderSchema, VoidedLabelSchema


class VoidRequestSchema(Schema):
    reason = fields.String(
        required=True,
        validate=[validate.Length(min=1, max=500), no_nul],
        metadata={"description": "Why the label is voided; kept with it and in the order's history."},
    )


class VoidResponseSchema(ResponseSchema):
    sale_order = fields.Nested(SaleOrderSchema, required=True)
    label = fields.Nested(VoidedLabelSchema, required=True)
    already_void = StrictBoolean(
        required=True, metadata={"description": "true: voided before; Starshipit was not asked again."}
    )
    explanation = fields.String(
        required=True, metadata={"description": "What voiding did and did not do at Starshipit and the courier."}
    )
    writeback = fields.String(
        validate=validate.OneOf(WRITEBACK_STATES),
        required=True,
        metadata={"description": "Taking back the label's writeback to CartonCloud (cleared or annotated)."},
    )
