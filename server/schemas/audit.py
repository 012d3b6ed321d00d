"""The audit log's query and answer (GET /api/v1/events)."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from ..audit_log import MAX_EVENTS
from ..validation import no_nul
from .labels import ResponseSchema


class AuditQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE  # other query parameters have always been ignored here

    sale_order = fields.String(
        validate=no_nul, metadata={"description": "UUID, numericId or customer reference; without it, admin only."}
    )
    kind = fields.String(
        validate=no_nul, metadata={"description": "Only events of this kind (print, reprint, redo, written_back, …)."}
    )
    limit = fields.Integer(
        load_default=100, validate=validate.Range(min=1), metadata={"description": f"At most {MAX_EVENTS}."}
    )


class AuditSaleOrderSchema(ResponseSchema):
    id = fields.String(required=True)
    numeric_id = fields.String(allow_none=True, required=True)
    customer_reference = fields.String(allow_none=True, required=True)


class AuditEventSchema(ResponseSchema):
    id = fields.Integer(required=True)
    at = fields.String(required=True, metadata={"format": "date-time"})  # written ISO 8601 by server/audit_log.py
    kind = fields.String(required=True)
    actor = fields.String(allow_none=True, required=True, metadata={"description": "The token's name, or null."})
    sale_order = fields.Nested(AuditSaleOrderSchema, allow_none=True, required=True)
    detail = fields.Dict(keys=fields.String(), required=True)


class AuditLogSchema(ResponseSchema):
    events = fields.List(fields.Nested(AuditEventSchema), required=True, metadata={"description": "Oldest first."})
