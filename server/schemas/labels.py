"""Request and response bodies of the API (marshmallow): load schemas in, dump schemas out."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from ..printing.layouts import LAYOUTS
from ..validation import StrictBoolean, WholeMatch, no_nul

IDENTIFIERS = ("id", "numeric_id", "customer_reference")
WRITEBACK_STATES = ("queued", "done", "failed", "disabled")
VOID_ACTIONS = ("deleted", "archived")
ORDER_STATES = ("new", "ordered", "labelled", "written_back", "failed", "voided")


class SaleOrderIdentifierSchema(Schema):
    """Exactly one of the three."""

    class Meta:
        json_schema = {"minProperties": 1, "maxProperties": 1}

    id = fields.UUID()
    # (?!\n): in Python (and so in python-jsonschema) $ also matches before a final newline.
    numeric_id = fields.String(
        validate=WholeMatch(r"^[0-9]{1,18}(?!\n)$", error="Must be the order's number (digits).")
    )
    customer_reference = fields.String(validate=[validate.Length(min=1, max=200), no_nul])

    @validates_schema
    def exactly_one(self, data, **_kwargs):
        if len(data) != 1:
            raise ValidationError(f"Give exactly one of {', '.join(IDENTIFIERS)}.", "_schema")


def printer_choice() -> fields.String:
    """A print request's ``printer``."""
    return fields.String(
        allow_none=True,
        validate=validate.Length(min=1, max=100),
        metadata={
            "description": "A network printer's name; null: none (the browser prints); "
            "absent: the workstation's default printer."
        },
    )


class ServiceChoiceSchema(Schema):
    """A courier service from GET /orders/{identifier}/rates."""

    carrier = fields.String(
        allow_none=True,
        validate=[validate.Length(min=1, max=100), no_nul],
        metadata={"description": "The rate's `carrier`; null or absent when the rates did not name one."},
    )
    carrier_service_code = fields.String(required=True, validate=[validate.Length(min=1, max=50), no_nul])


def service_choice() -> fields.Nested:
    """A print request's ``service``."""
    return fields.Nested(
        ServiceChoiceSchema,
        metadata={
            "description": "Book with this service; absent: the service the mapping rules pick. Another "
            "service than an existing label's is a new shipment: a redo."
        },
    )


class PrintRequestSchema(Schema):
    sale_order = fields.Nested(SaleOrderIdentifierSchema, required=True)
    tenant_slug = fields.String(validate=validate.Length(min=1, max=100))
    printer = printer_choice()
    service = service_choice()


class LookupQuerySchema(SaleOrderIdentifierSchema):
    tenant_slug = fields.String(validate=[validate.Length(min=1, max=100), no_nul])

    @validates_schema
    def exactly_one(self, data, **_kwargs):
        if sum(name in data for name in IDENTIFIERS) != 1:
            raise ValidationError(f"Give exactly one of {', '.join(IDENTIFIERS)}.", "_schema")


class RedoRequestSchema(Schema):
    confirm = StrictBoolean(
        required=True, validate=validate.Equal(True, error="Set confirm to true: a new label is a new shipment.")
    )
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))
    printer = printer_choice()
    service = service_choice()


class ResponseSchema(Schema):
    """An answer. ``required`` marks what it always holds (dumping ignores it; the OpenAPI
    document and shared-schemas/ say it). Answers may gain fields within v1, so a reader
    ignores the fields it does not know."""

    class Meta:
        unknown = EXCLUDE


class SaleOrderSchema(ResponseSchema):
    id = fields.String(attribute="sale_order_id", required=True)
    numeric_id = fields.String(allow_none=True, required=True)
    customer_reference = fields.String(allow_none=True, required=True)
    status = fields.String(allow_none=True, required=True)


class StarshipitOrderSchema(ResponseSchema):
    order_id = fields.Integer(strict=True, required=True)
    order_number = fields.String(required=True)


class LabelRefSchema(ResponseSchema):
    id = fields.String(required=True)
    format = fields.String(required=True)
    url = fields.String(required=True, metadata={"description": "Where to GET the label's bytes."})


class LabelSchema(LabelRefSchema):
    content_base64 = fields.String(
        metadata={"description": "The label's bytes, laid out as `layout`; when absent, GET `url`."}
    )
    layout = fields.String(
        validate=validate.OneOf(LAYOUTS),
        required=True,
        metadata={
            "description": "How `content_base64` and `url` lay the label out: the "
            "workstation's layout (PDF only; ZPL is always as Starshipit "
            "made it)."
        },
    )


class PrinterDeliverySchema(ResponseSchema):
    """A label (or test page) sent to a network printer, or why it was not."""

    name = fields.String(required=True, metadata={"description": "The printer's name."})
    status = fields.String(required=True, validate=validate.OneOf(("sent", "failed")))
    bytes = fields.Integer(strict=True, required=True, metadata={"description": "How many bytes the printer took."})
    message = fields.String(
        allow_none=True, required=True, metadata={"description": "Why it failed, in words a packer can act on."}
    )
    warnings = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "Sent, but it may not print as intended (e.g. another dpi)."},
    )


class PackingSlipRefSchema(ResponseSchema):
    url = fields.String(required=True, metadata={"description": "Where to GET the order's packing slip (PDF)."})


class AfterVoidSchema(ResponseSchema):
    """The voided label a new shipment replaces."""

    label_id = fields.String(required=True, metadata={"description": "The voided label's id."})
    tracking_numbers = fields.List(
        fields.String(), required=True, metadata={"description": "The voided label's tracking numbers."}
    )


def after_void() -> fields.Nested:
    """A print answer's ``after_void``."""
    return fields.Nested(
        AfterVoidSchema,
        allow_none=True,
        metadata={
            "description": "A new shipment printed for an order whose label was voided: the voided label it "
            "replaces; null otherwise (a reprint, a first label, a redo). Absent from an older backend's answer."
        },
    )


class PrintResponseSchema(ResponseSchema):
    sale_order = fields.Nested(SaleOrderSchema, required=True)
    starshipit_order = fields.Nested(StarshipitOrderSchema, required=True)
    carrier = fields.String(allow_none=True, required=True)
    tracking_numbers = fields.List(fields.String(), required=True)
    reprint = StrictBoolean(required=True, metadata={"description": "true: the stored label, no new shipment."})
    label = fields.Nested(LabelSchema, required=True)
    writeback = fields.String(validate=validate.OneOf(WRITEBACK_STATES), required=True)
    printer = fields.Nested(
        PrinterDeliverySchema,
        allow_none=True,
        required=True,
        metadata={
            "description": "The label sent to a network printer, or why not; null: no printer (the browser prints)."
        },
    )
    packing_slip = fields.Nested(
        PackingSlipRefSchema,
        allow_none=True,
        required=True,
        metadata={"description": "The packing slip, when the workstation asks for them; else null."},
    )
    after_void = after_void()


class LastErrorSchema(ResponseSchema):
    code = fields.String(required=True)
    message = fields.String(allow_none=True, required=True)
    at = fields.DateTime(required=True)


class VoidedLabelSchema(ResponseSchema):
    """A label voided (POST /labels/{label_id}/void): kept, no longer the order's."""

    id = fields.String(required=True)
    voided_at = fields.DateTime(required=True)
    voided_by = fields.String(allow_none=True, required=True, metadata={"description": "The token that voided it."})
    reason = fields.String(attribute="void_reason", required=True)
    action = fields.String(
        attribute="void_action",
        validate=validate.OneOf(VOID_ACTIONS),
        required=True,
        metadata={"description": "What Starshipit did with the shipment's order: deleted (unshipped) or archived."},
    )
    tracking_numbers = fields.List(fields.String(), required=True)


class LookupResponseSchema(ResponseSchema):
    sale_order = fields.Nested(SaleOrderSchema, required=True)
    state = fields.String(validate=validate.OneOf(ORDER_STATES), required=True)
    starshipit_order = fields.Nested(StarshipitOrderSchema, allow_none=True, required=True)
    carrier = fields.String(allow_none=True, required=True)
    tracking_numbers = fields.List(fields.String(), required=True)
    label = fields.Nested(LabelRefSchema, allow_none=True, required=True)
    writeback = fields.String(allow_none=True, validate=validate.OneOf(WRITEBACK_STATES), required=True)
    last_error = fields.Nested(LastErrorSchema, allow_none=True, required=True)
    voided_label = fields.Nested(
        VoidedLabelSchema,
        allow_none=True,
        metadata={"description": "With state `voided`: the label voided last (the next print is a new shipment)."},
    )
    return_label = fields.Nested(
        LabelRefSchema,
        allow_none=True,
        metadata={"description": "The order's return label (POST /labels/{label_id}/return); null: none."},
    )


class HealthSchema(ResponseSchema):
    status = fields.String(required=True, validate=validate.OneOf(["ok", "degraded"]))
    version = fields.String(required=True)
    reason = fields.String(metadata={"description": "With ``degraded``: what stops the backend working, in words."})


class TokenNameSchema(ResponseSchema):
    name = fields.String(required=True)


class WhoamiSchema(ResponseSchema):
    token = fields.Nested(TokenNameSchema, required=True)


class ConnectionCheckSchema(ResponseSchema):
    name = fields.String(required=True)
    ok = StrictBoolean(required=True)
    message = fields.String(required=True, metadata={"description": "The result in words."})


class ConnectionTestResponseSchema(ResponseSchema):
    ok = StrictBoolean(required=True, metadata={"description": "Whether every check passed."})
    checks = fields.List(fields.Nested(ConnectionCheckSchema), required=True)


class ErrorSchema(ResponseSchema):
    """Every answer that is not 2xx (``server/errors.py``, ``ApiError.to_dict``)."""

    code = fields.String(required=True, metadata={"description": "What went wrong, for programs."})
    status = fields.Integer(strict=True, required=True, metadata={"description": "The HTTP status again."})
    message = fields.String(required=True, metadata={"description": "A sentence a packer can act on."})
    errors = fields.Dict(
        keys=fields.String(), metadata={"description": "Each field at fault and why, as marshmallow reports it."}
    )
