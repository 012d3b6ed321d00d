"""The return label's answer (POST /api/v1/labels/{label_id}/return)."""

from __future__ import annotations

from marshmallow import fields

from ..validation import StrictBoolean
from .labels import LabelSchema, ResponseSchema, SaleOrderSchema


class ReturnOrderSchema(ResponseSchema):
    order_id = fields.Integer(strict=True, required=True, metadata={"description": "The return's order in Starshipit."})


class ReturnResponseSchema(ResponseSchema):
    sale_order = fields.Nested(SaleOrderSchema, required=True)
    return_order = fields.Nested(ReturnOrderSchema, required=True)
    carrier = fields.String(allow_none=True, required=True)
    tracking_numbers = fields.List(fields.String(), required=True)
    reprint = StrictBoolean(
        required=True,
        metadata={"description": "true: the order's return label made before, nothing new in Starshipit."},
    )
    label = fields.Nested(LabelSchema, required=True)
