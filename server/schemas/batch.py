"""Bodies of the batch print: POST /labels/batch and GET /labels/batches/<id>."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..orders.batch import MAX_ORDERS
from ..printing.batch_document import MERGEABLE
from ..printing.layouts import LAYOUTS
from .labels import (
    LabelRefSchema,
    PrinterDeliverySchema,
    ResponseSchema,
    SaleOrderIdentifierSchema,
    after_void,
    printer_choice,
    service_choice,
)

BATCH_STATES = ("running", "finished")
RESULT_STATUSES = ("printed", "reprinted", "failed")


class BatchRequestSchema(Schema):
    batch_id = fields.UUID(
        metadata={
            "description": "Made by the client, so it can follow the progress at "
            "GET /labels/batches/{batch_id} while this request runs; sent "
            "again with the same body, the stored answer. Default: a new one."
        }
    )
    sale_orders = fields.List(
        fields.Nested(SaleOrderIdentifierSchema),
        required=True,
        validate=validate.Length(min=1, max=MAX_ORDERS),
        metadata={"description": "In the order the labels are to come out; each sale order once.", "uniqueItems": True},
    )
    tenant_slug = fields.String(validate=validate.Length(min=1, max=100))
    printer = printer_choice()  # for the merged document
    service = service_choice()

    @validates_schema
    def each_once(self, data, **_kwargs):
        first_at: dict[tuple, int] = {}
        repeated: dict[str, list[str]] = {}
        for index, identifier in enumerate(data.get("sale_orders", [])):
            key = tuple(sorted((name, str(value)) for name, value in identifier.items()))
            if key in first_at:
                repeated[str(index)] = [f"Repeats item {first_at[key]}: give each sale order once."]
            first_at.setdefault(key, index)
        if repeated:
            raise ValidationError({"sale_orders": repeated})


class BatchSummarySchema(ResponseSchema):
    id = fields.String(required=True)
    state = fields.String(required=True, validate=validate.OneOf(BATCH_STATES))
    total = fields.Integer(strict=True, required=True)
    done = fields.Integer(strict=True, required=True, metadata={"description": "Orders with a result so far."})
    printed = fields.Integer(strict=True, required=True)
    reprinted = fields.Integer(strict=True, required=True)
    failed = fields.Integer(strict=True, required=True)


class GivenIdentifierSchema(ResponseSchema):
    """The sale order's identifier as the request gave it."""

    id = fields.String()
    numeric_id = fields.String()
    customer_reference = fields.String()


class BatchLabelSchema(LabelRefSchema):
    layout = fields.String(
        required=True,
        validate=validate.OneOf(LAYOUTS),
        metadata={"description": "How `url` lays the label out: the workstation's layout (ZPL: always original)."},
    )


class ResultErrorSchema(ResponseSchema):
    code = fields.String(required=True)
    message = fields.String(required=True, metadata={"description": "Why, in words a packer can act on."})
    errors = fields.Dict(keys=fields.String(), metadata={"description": "Each field at fault and why."})


class BatchResultSchema(ResponseSchema):
    index = fields.Integer(strict=True, required=True, metadata={"description": "Its place in `sale_orders`."})
    sale_order = fields.Nested(GivenIdentifierSchema, required=True)
    status = fields.String(
        required=True,
        validate=validate.OneOf(RESULT_STATUSES),
        metadata={"description": "printed: a new shipment; reprinted: its label from before."},
    )
    label = fields.Nested(BatchLabelSchema, allow_none=True, required=True)
    carrier = fields.String(allow_none=True, required=True)
    tracking_numbers = fields.List(fields.String(), required=True)
    after_void = after_void()
    error = fields.Nested(ResultErrorSchema, allow_none=True, required=True)


class BatchFileSchema(ResponseSchema):
    url = fields.String(required=True, metadata={"description": "Where to GET the merged document."})
    format = fields.String(required=True, validate=validate.OneOf(MERGEABLE))
    layout = fields.String(
        required=True,
        validate=validate.OneOf(LAYOUTS),
        metadata={"description": "How `url` lays the labels out (ZPL: always original)."},
    )
    pages = fields.Integer(
        strict=True, allow_none=True, required=True, metadata={"description": "PDF pages; null for ZPL."}
    )


class BatchResponseSchema(ResponseSchema):
    batch = fields.Nested(BatchSummarySchema, required=True)
    results = fields.List(
        fields.Nested(BatchResultSchema),
        required=True,
        metadata={"description": "One per order done so far, in request order."},
    )
    file = fields.Nested(
        BatchFileSchema,
        allow_none=True,
        required=True,
        metadata={
            "description": "Every label printed, in request order, as one document; "
            "null while running, or when there is none (see `file_error`)."
        },
    )
    file_error = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "Why a finished batch has no file: no label, or labels in formats that do not merge."},
    )
    printer = fields.Nested(
        PrinterDeliverySchema,
        allow_none=True,
        required=True,
        metadata={
            "description": "The merged document's delivery to the printer, in the answer "
            "of the request that sent it; null otherwise."
        },
    )
