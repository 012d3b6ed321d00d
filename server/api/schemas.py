"""Request and response bodies of the API (marshmallow): load schemas in, dump schemas out."""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

IDENTIFIERS = ("id", "numeric_id", "customer_reference")


class SaleOrderIdentifierSchema(Schema):
    id = fields.UUID()
    numeric_id = fields.String(validate=validate.Regexp(r"^\d{1,18}$", error="Must be the order's number (digits)."))
    customer_reference = fields.String(validate=validate.Length(min=1, max=200))

    @validates_schema
    def exactly_one(self, data, **_kwargs):
        if len(data) != 1:
            raise ValidationError(f"Give exactly one of {', '.join(IDENTIFIERS)}.", "_schema")


class PrintRequestSchema(Schema):
    sale_order = fields.Nested(SaleOrderIdentifierSchema, required=True)
    tenant_slug = fields.String(validate=validate.Length(min=1, max=100))


class LookupQuerySchema(SaleOrderIdentifierSchema):
    tenant_slug = fields.String(validate=validate.Length(min=1, max=100))

    @validates_schema
    def exactly_one(self, data, **_kwargs):
        if sum(name in data for name in IDENTIFIERS) != 1:
            raise ValidationError(f"Give exactly one of {', '.join(IDENTIFIERS)}.", "_schema")


class RedoRequestSchema(Schema):
    confirm = fields.Boolean(
        required=True, validate=validate.Equal(True, error="Set confirm to true: a new label is a new shipment.")
    )
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class SaleOrderSchema(Schema):
    id = fields.String(attribute="sale_order_id")
    numeric_id = fields.String(allow_none=True)
    customer_reference = fields.String(allow_none=True)
    status = fields.String(allow_none=True)


class StarshipitOrderSchema(Schema):
    order_id = fields.Integer()
    order_number = fields.String()


class LabelRefSchema(Schema):
    id = fields.String()
    format = fields.String()
    url = fields.String()


class LabelSchema(LabelRefSchema):
    content_base64 = fields.String()


class PrintResponseSchema(Schema):
    sale_order = fields.Nested(SaleOrderSchema)
    starshipit_order = fields.Nested(StarshipitOrderSchema)
    carrier = fields.String(allow_none=True)
    tracking_numbers = fields.List(fields.String())
    reprint = fields.Boolean()
    label = fields.Nested(LabelSchema)
    writeback = fields.String(validate=validate.OneOf(["queued", "done", "failed", "disabled"]))


class LastErrorSchema(Schema):
    code = fields.String()
    message = fields.String()
    at = fields.DateTime()


class LookupResponseSchema(Schema):
    sale_order = fields.Nested(SaleOrderSchema)
    state = fields.String()
    starshipit_order = fields.Nested(StarshipitOrderSchema, allow_none=True)
    carrier = fields.String(allow_none=True)
    tracking_numbers = fields.List(fields.String())
    label = fields.Nested(LabelRefSchema, allow_none=True)
    writeback = fields.String(allow_none=True)
    last_error = fields.Nested(LastErrorSchema, allow_none=True)
