"""Bodies of the troubleshooting endpoints: the preview, an order's history and the SKU table
import (load schemas in, dump schemas out)."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from ..settings import SkuPackageSchema
from .labels import SaleOrderSchema


class IssueSchema(Schema):
    """One problem with one CartonCloud field: ``code`` is stable, ``message`` is for people."""

    field = fields.String()
    code = fields.String()
    message = fields.String()


class FieldRowSchema(Schema):
    """One Starshipit value and the CartonCloud field (dotted path) it came from."""

    starshipit = fields.String()
    value = fields.Raw(allow_none=True)
    cartoncloud = fields.String(allow_none=True)
    cartoncloud_value = fields.Raw(allow_none=True)


class AddressValidationSchema(Schema):
    """Starshipit's address validation: advice only, never applied to the order."""

    checked = fields.Boolean()
    valid = fields.Boolean(allow_none=True)
    suggestions = fields.List(fields.Dict())
    message = fields.String(allow_none=True)


class PreviewIdentitySchema(Schema):
    id = fields.String(allow_none=True)
    numeric_id = fields.String(allow_none=True)
    customer_reference = fields.String(allow_none=True)
    status = fields.String(allow_none=True)


class PreviewResponseSchema(Schema):
    sale_order = fields.Nested(PreviewIdentitySchema)
    shippable = fields.Boolean()
    blocking = fields.List(fields.Nested(IssueSchema))
    warnings = fields.List(fields.Nested(IssueSchema))
    starshipit_order = fields.Dict()
    fields_ = fields.List(fields.Nested(FieldRowSchema), data_key="fields", attribute="fields")
    address_validation = fields.Nested(AddressValidationSchema)
    cartoncloud = fields.Dict()


class EventsQuerySchema(Schema):
    limit = fields.Integer(load_default=200, validate=validate.Range(min=1, max=500))


class EventSaleOrderSchema(Schema):
    id = fields.String()
    numeric_id = fields.String(allow_none=True)
    customer_reference = fields.String(allow_none=True)


class OrderEventSchema(Schema):
    id = fields.Integer()
    at = fields.String()
    kind = fields.String()
    actor = fields.String(allow_none=True)
    sale_order = fields.Nested(EventSaleOrderSchema, allow_none=True)
    detail = fields.Dict(allow_none=True)


class OrderEventsResponseSchema(Schema):
    """Oldest first. ``sale_order`` is null when labelbridge has never handled the order."""

    sale_order = fields.Nested(SaleOrderSchema, allow_none=True)
    events = fields.List(fields.Nested(OrderEventSchema))


class SkuImportRequestSchema(Schema):
    """The CSV text (header ``sku,weight_kg[,length_m,width_m,height_m]``); ``replace`` drops
    the SKUs the file does not list, otherwise the file is merged into the table."""

    csv = fields.String(required=True, validate=validate.Length(min=1, max=1_000_000))
    replace = fields.Boolean(load_default=False)


class SkuImportQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE  # other query parameters have always been ignored here

    replace = fields.Boolean(metadata={"description": "With a text/csv body: drop the SKUs the file does not list."})


class SkuImportResponseSchema(Schema):
    imported = fields.Integer()
    total = fields.Integer()
    sku_packages = fields.Dict(keys=fields.String(), values=fields.Nested(SkuPackageSchema))
