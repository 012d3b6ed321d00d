"""marshmallow fields and validators that read JSON as JSON Schema does, so a body the OpenAPI
document (and shared-schemas/) calls invalid is refused, not coerced: marshmallow's own Boolean
takes "yes", 1 and "on", its Float takes "2.5" and true, and ``Regexp`` lets a final newline
through ``$``."""

from __future__ import annotations

import re

from marshmallow import ValidationError, fields, validate

VISIBLE_ASCII = r"^[!-~]+$"  # keys and client ids: they travel in HTTP headers, which are latin-1


def no_nul(value: str) -> None:
    """PostgreSQL cannot store or even compare text holding NUL: refuse it as invalid."""
    if "\x00" in value:
        raise ValidationError("Must not contain a NUL character.")


class StrictBoolean(fields.Boolean):
    """``true`` or ``false`` only."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class StrictFloat(fields.Float):
    """A JSON number only: not a string holding one, not a boolean."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class WholeMatch(validate.Regexp):
    """A pattern the whole value must match, as JSON Schema's ``pattern`` (ECMA-262) reads it
    when anchored with ^…$; ASCII, so ``\\d`` is [0-9] there as here, not any script's digits."""

    def __init__(self, regex: str, flags: int = 0, *, error: str | None = None) -> None:
        super().__init__(re.compile(regex, flags | re.ASCII), error=error)

    def __call__(self, value: str) -> str:
        if self.regex.fullmatch(value) is None:
            raise ValidationError(self._format_error(value))
        return value
