"""Settings a warehouse changes at run time (GET/PUT /api/v1/settings, `labelbridge settings`).

Each is a start-up setting of the same name (LABELBRIDGE_WRITEBACK_MODE ↔ ``writeback_mode``);
a value saved in the database overrides the start-up one, and services read the merged view
(``runtime_config``) exactly as they read the app's config.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate
from sqlalchemy import select
from sqlalchemy.orm import Session

from . import cache
from .choices import (
    DAY_SECONDS,
    LABEL_FORMATS,
    MAX_PACKAGE_SIDE_M,
    MAX_PACKAGE_WEIGHT_KG,
    ORDER_NUMBER_SOURCES,
    REFERENCE_SOURCES,
    WRITEBACK_MODES,
)
from .events import record_event
from .models import Setting
from .statuses import PROGRESSION
from .validation import StrictBoolean, StrictFloat

# Every number has an upper bound (server/config.py says why), checked here for the API and
# again for what is stored when the app starts (``out_of_bounds``).
_weight = validate.Range(min=0, min_inclusive=False, max=MAX_PACKAGE_WEIGHT_KG)
_side = validate.Range(min=0, min_inclusive=False, max=MAX_PACKAGE_SIDE_M)
_poll_interval = validate.Range(min=5, max=DAY_SECONDS)


class SkuPackageSchema(Schema):
    """One unit of a SKU (kg and metres, Starshipit's units)."""

    weight_kg = StrictFloat(required=True, validate=_weight)
    length_m = StrictFloat(validate=_side)
    width_m = StrictFloat(validate=_side)
    height_m = StrictFloat(validate=_side)


class CarrierServiceSchema(Schema):
    """The Starshipit courier and service a CartonCloud requested service books."""

    carrier = fields.String(required=True, validate=validate.Length(min=1, max=100))
    service_code = fields.String(validate=validate.Length(min=1, max=100))


_sku = fields.String(validate=validate.Length(min=1, max=50))
_requested_service = fields.String(validate=validate.Length(min=1, max=100))


class RuntimeSettingsSchema(Schema):
    trigger_statuses = fields.List(fields.String(validate=validate.OneOf(PROGRESSION)), validate=validate.Length(min=1))
    writeback_mode = fields.String(validate=validate.OneOf(WRITEBACK_MODES))
    order_number_source = fields.String(validate=validate.OneOf(ORDER_NUMBER_SOURCES))
    default_package_weight_kg = StrictFloat(validate=_weight)
    default_package_length_m = StrictFloat(validate=_side)
    default_package_width_m = StrictFloat(validate=_side)
    default_package_height_m = StrictFloat(validate=_side)
    shipping_methods = fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=100)),
        values=fields.String(validate=validate.Length(min=1, max=100)),
    )
    label_format = fields.String(validate=validate.OneOf(LABEL_FORMATS))
    auto_print = StrictBoolean()
    auto_void = StrictBoolean()
    cartoncloud_poll_seconds = StrictFloat(validate=_poll_interval)
    starshipit_poll_seconds = StrictFloat(validate=_poll_interval)
    # Mapping control (issue 8): see server/mapping/settings.py for what each one does.
    reference_source = fields.String(validate=validate.OneOf(REFERENCE_SOURCES))
    sku_packages = fields.Dict(keys=_sku, values=fields.Nested(SkuPackageSchema))
    carrier_services = fields.Dict(keys=_requested_service, values=fields.Nested(CarrierServiceSchema))
    extras_property = fields.String(validate=validate.Length(min=1, max=100), allow_none=True)
    phone_required_carriers = fields.List(fields.String(validate=validate.Length(min=1, max=100)))
    validate_addresses = StrictBoolean()


_schema = RuntimeSettingsSchema()
NAMES = tuple(_schema.fields)


def _rows(session: Session) -> dict[str, Any]:
    return {row.key: row.value for row in session.scalars(select(Setting)) if row.key in NAMES}


def _invalid(stored: Mapping[str, Any]) -> dict[str, Any]:
    try:
        _schema.load(stored, partial=NAMES)
    except ValidationError as error:
        return error.messages
    return {}


def stored(session: Session) -> dict[str, Any]:
    """The stored settings that pass today's checks: one saved before its bound existed (a poll
    every 1e20 s) is ignored and the start-up value serves instead (server/startup.py warns)."""
    rows = _rows(session)
    invalid = _invalid(rows)
    return {name: value for name, value in rows.items() if name not in invalid}


def out_of_bounds(session: Session) -> dict[str, Any]:
    """The stored settings ``stored`` ignores, by name, with what is wrong with each."""
    return _invalid(_rows(session))


def runtime_config(session: Session, config: Mapping[str, Any]) -> Mapping[str, Any]:
    """The app's config with the saved settings on top (upper-case keys, as in config)."""
    return on_top(stored(session), config)


def on_top(saved: Mapping[str, Any], config: Mapping[str, Any]) -> Mapping[str, Any]:
    """``config`` with the saved settings ``saved`` (as ``stored`` reads them) on top."""
    return ChainMap({name.upper(): value for name, value in saved.items()}, config)


def current(session: Session, config: Mapping[str, Any]) -> dict[str, Any]:
    merged = runtime_config(session, config)
    return {name: merged.get(name.upper()) for name in NAMES}


def update(
    session: Session, config: Mapping[str, Any], changes: Mapping[str, Any], actor: str | None
) -> dict[str, Any]:
    """Validate and save ``changes`` (raises marshmallow ValidationError per field); audited."""
    if not isinstance(changes, Mapping):
        raise ValidationError("The settings must be a JSON object.")
    # Top-level names only: the nested tables (SKUs, carrier rules) keep their required fields.
    loaded = _schema.load(changes, partial=NAMES)
    before = current(session, config)
    for name, value in loaded.items():
        row = session.get(Setting, name)
        if row is None:
            session.add(Setting(key=name, value=value, updated_by=actor))
        else:
            row.value, row.updated_by = value, actor
    changed = {name: {"from": before[name], "to": value} for name, value in loaded.items() if before[name] != value}
    if changed:
        record_event(session, None, "settings_changed", actor, changes=changed)
        cache.changed(session)  # every process reads the settings again (server/cache.py)
    session.commit()
    return current(session, config)
