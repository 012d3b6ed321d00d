"""Bodies of the enrollment calls: an admin makes a code (POST /enrollments), a bench exchanges
it once for its token (POST /enroll)."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates

from ..enrollment import CODE_FORMAT, DEFAULT_EXPIRY, MAX_EXPIRY, normalize
from ..tokens import ROLES
from .labels import ResponseSchema

_MAX_MINUTES = int(MAX_EXPIRY.total_seconds() // 60)


class EnrollmentRequestSchema(Schema):
    name = fields.String(
        required=True,
        validate=validate.Length(min=1, max=100),
        metadata={"description": "The name the bench's token will have, e.g. bench-3."},
    )
    role = fields.String(load_default="packer", validate=validate.OneOf(ROLES))
    expires_in_minutes = fields.Integer(
        strict=True,
        load_default=int(DEFAULT_EXPIRY.total_seconds() // 60),
        validate=validate.Range(min=1, max=_MAX_MINUTES),
    )


class EnrollmentSchema(ResponseSchema):
    code = fields.String(required=True, metadata={"description": "Shown once; works once, until expires_at."})
    name = fields.String(required=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    expires_at = fields.DateTime(required=True)
    link = fields.String(
        required=True,
        metadata={"description": "The extension's popup with the code (and the backend's address) filled in."},
    )


class EnrollRequestSchema(Schema):
    code = fields.String(
        required=True,
        validate=validate.Length(min=1, max=40),
        metadata={"description": "The code, with or without its dashes, any case."},
    )

    @validates("code")
    def _looks_like_a_code(self, value: str, **_kwargs) -> None:
        if normalize(value) is None:
            raise ValidationError(CODE_FORMAT)


class EnrollResponseSchema(ResponseSchema):
    token = fields.String(
        required=True,
        validate=validate.Length(min=8),
        metadata={"description": "This bench's API token: kept by the extension, never shown."},
    )
    name = fields.String(required=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
