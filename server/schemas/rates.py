"""The services a sale order can be booked with (GET /orders/{identifier}/rates)."""

from __future__ import annotations

from marshmallow import fields

from ..validation import StrictBoolean
from .labels import ResponseSchema


class ServiceSchema(ResponseSchema):
    carrier = fields.String(allow_none=True, required=True)
    carrier_service_code = fields.String(required=True)


class RateSchema(ResponseSchema):
    carrier = fields.String(
        allow_none=True, required=True, metadata={"description": "The courier, when Starshipit names it."}
    )
    carrier_name = fields.String(allow_none=True, required=True)
    service_name = fields.String(required=True)
    carrier_service_code = fields.String(required=True, metadata={"description": "What to book it with."})
    price = fields.Float(allow_none=True, required=True, metadata={"description": "Total price; null when unknown."})
    currency = fields.String(allow_none=True, required=True)
    eta = fields.String(allow_none=True, required=True, metadata={"description": "Delivery estimate, when known."})
    rules_choice = StrictBoolean(required=True, metadata={"description": "The service the mapping rules pick."})


class RatesResponseSchema(ResponseSchema):
    rates = fields.List(fields.Nested(RateSchema), required=True)
    rules_choice = fields.Nested(
        ServiceSchema,
        allow_none=True,
        required=True,
        metadata={"description": "The mapping rules' service; null: Starshipit's default for the account."},
    )
    cached = StrictBoolean(required=True, metadata={"description": "Answered from rates kept for 5 minutes."})
    message = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "When there are no rates: what that means for printing, in words."},
    )
