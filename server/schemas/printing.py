"""Bodies of the bench printing routes: network printers, a workstation's preferences, and
what a print answers about its printer (load schemas in, dump schemas out)."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..printing.layouts import LAYOUTS
from ..printing.network_printer import DPIS, LANGUAGES
from ..validation import StrictBoolean, WholeMatch
from .labels import ResponseSchema

PRINTER_NAME = WholeMatch(
    r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}(?!\n)$", error="1 to 100 letters, digits, spaces, dots, dashes or underscores."
)
# A host name or an IPv4/IPv6 address, as the printer's network settings show it.
PRINTER_HOST = WholeMatch(r"^[A-Za-z0-9][A-Za-z0-9.:-]{0,254}(?!\n)$", error="A host name or an IP address.")
DEFAULT_PORT = 9100  # raw printing ("JetDirect")
DEFAULT_DPI = 203


class PrinterFieldsSchema(Schema):
    """What a printer is; every field optional, as a change (PUT /printers/<name>) sends it."""

    class Meta:
        json_schema = {"minProperties": 1}

    host = fields.String(validate=PRINTER_HOST)
    port = fields.Integer(strict=True, validate=validate.Range(min=1, max=65535))
    language = fields.String(
        validate=validate.OneOf(tuple(LANGUAGES)), metadata={"description": "What the printer takes: PDF or ZPL."}
    )
    dpi = fields.Integer(strict=True, validate=validate.OneOf(DPIS))

    @validates_schema
    def not_empty(self, data, **_kwargs):
        if not data:
            raise ValidationError("Give at least one field to change.", "_schema")


class PrinterCreateSchema(PrinterFieldsSchema):
    class Meta:
        json_schema = {}

    name = fields.String(required=True, validate=PRINTER_NAME)
    host = fields.String(required=True, validate=PRINTER_HOST)
    port = fields.Integer(strict=True, load_default=DEFAULT_PORT, validate=validate.Range(min=1, max=65535))
    language = fields.String(
        required=True,
        validate=validate.OneOf(tuple(LANGUAGES)),
        metadata={"description": "What the printer takes: PDF or ZPL."},
    )
    dpi = fields.Integer(strict=True, load_default=DEFAULT_DPI, validate=validate.OneOf(DPIS))


class PrinterSchema(ResponseSchema):
    id = fields.Integer(strict=True, required=True)
    name = fields.String(required=True)
    host = fields.String(required=True)
    port = fields.Integer(strict=True, required=True)
    language = fields.String(required=True, validate=validate.OneOf(tuple(LANGUAGES)))
    dpi = fields.Integer(strict=True, required=True, validate=validate.OneOf(DPIS))


class PrinterListSchema(ResponseSchema):
    printers = fields.List(fields.Nested(PrinterSchema), required=True)


class WorkstationSchema(ResponseSchema):
    name = fields.String(required=True, metadata={"description": "The token's name: one token per workstation."})
    label_layout = fields.String(required=True, validate=validate.OneOf(LAYOUTS))
    printer = fields.Nested(
        PrinterSchema,
        allow_none=True,
        required=True,
        metadata={"description": "Where prints go by default; null: the browser prints."},
    )
    packing_slip = StrictBoolean(required=True, metadata={"description": "Whether prints offer the packing slip."})


class WorkstationUpdateSchema(Schema):
    class Meta:
        json_schema = {"minProperties": 1}

    label_layout = fields.String(validate=validate.OneOf(LAYOUTS))
    printer = fields.String(
        allow_none=True,
        validate=validate.Length(min=1, max=100),
        metadata={"description": "A printer's name; null: none (the browser prints)."},
    )
    packing_slip = StrictBoolean()

    @validates_schema
    def not_empty(self, data, **_kwargs):
        if not data:
            raise ValidationError("Give at least one of label_layout, printer, packing_slip.", "_schema")


class LayoutQuerySchema(Schema):
    layout = fields.String(
        validate=validate.OneOf(LAYOUTS),
        metadata={"description": "Lay the label out so; default: the workstation's layout."},
    )
