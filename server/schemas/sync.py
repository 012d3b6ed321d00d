"""Bodies of the webhooks (load) and of the sync status (dump)."""

from __future__ import annotations

from marshmallow import INCLUDE, Schema, fields, validate


class SaleOrderWebhookSchema(Schema):
    """CartonCloud's sale order entity, as GET outbound-orders/{id} returns it; every other field
    is kept as sent (the trigger maps the whole order)."""

    class Meta:
        unknown = INCLUDE

    id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    status = fields.String(required=True, validate=validate.Length(min=1, max=40))
    type = fields.String(allow_none=True)
    version = fields.Integer(allow_none=True, strict=True)


class TrackingWebhookSchema(Schema):
    """Starshipit's tracking webhook; other fields are ignored."""

    class Meta:
        unknown = INCLUDE

    order_number = fields.String(required=True, validate=validate.Length(min=1, max=50))
    tracking_number = fields.String(required=True, validate=validate.Length(min=1, max=100))
    tracking_status = fields.String(allow_none=True, validate=validate.Length(max=40))
    last_updated_date = fields.String(allow_none=True, validate=validate.Length(max=40))
    carrier_name = fields.String(allow_none=True, validate=validate.Length(max=100))
    carrier_service = fields.String(allow_none=True)
    shipment_date = fields.String(allow_none=True)


class WebhookAnswerSchema(Schema):
    queued = fields.Boolean()
    duplicate = fields.Boolean()
    ignored = fields.String()


class RunSchema(Schema):
    name = fields.String()
    started_at = fields.DateTime(allow_none=True)
    finished_at = fields.DateTime(allow_none=True)
    summary = fields.Dict(allow_none=True)
    error = fields.String(allow_none=True)
    consecutive_failures = fields.Integer()


class CursorSchema(RunSchema):
    position = fields.DateTime(allow_none=True)
    next_run_at = fields.DateTime(allow_none=True)
    running = fields.Boolean()


class FailureSchema(Schema):
    sale_order = fields.Dict()
    code = fields.String()
    message = fields.String(allow_none=True)
    at = fields.DateTime(allow_none=True)


class FailuresSchema(Schema):
    not_shippable = fields.Integer()
    awaiting_transfer = fields.Integer()
    inbox_failed = fields.Integer()
    outbox_failed = fields.Integer()
    recent = fields.List(fields.Nested(FailureSchema))


class AttentionSchema(Schema):
    """A labelled sale order cancelled in CartonCloud (REJECTED, or back before PACKED) whose
    label was not voided (AUTO_VOID off, or the void failed)."""

    sale_order = fields.Dict()
    status = fields.String(allow_none=True)
    label_id = fields.String()
    code = fields.String()
    message = fields.String(allow_none=True)
    at = fields.DateTime(allow_none=True)


class SyncStatusSchema(Schema):
    last_run = fields.Nested(RunSchema, allow_none=True)
    cursors = fields.List(fields.Nested(CursorSchema))
    queue = fields.Dict(keys=fields.String(), values=fields.Dict())
    failures = fields.Nested(FailuresSchema)
    needs_attention = fields.List(fields.Nested(AttentionSchema))
