"""What labelbridge knows of a sale order, read at once: its record, its current label, how
that label's writeback stands and its return label. The lookup a page makes when it opens and every reprint read this,
in one Core query sent by a pooled driver connection, in a read that takes no write lock
(``db.DriverRead``): plain rows, no ORM objects, nothing of it written back. On PostgreSQL each
process keeps the rows it read until the database says their order changed (``known_cache``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from .. import outbox
from ..db import DriverRead
from ..models import Label, OutboxJob, ReturnShipment, SaleOrder
from . import known_cache
from .identifiers import SaleOrderRef
from .resolver import COLUMNS

_ORDERS = SaleOrder.__table__
_LABELS = Label.__table__
_LABEL_COLUMNS = ("id", "format", "carrier", "carrier_service_code", "tracking_numbers")


@dataclass(frozen=True)
class ReturnRef:
    id: str
    format: str


@dataclass(frozen=True)
class StoredLabel:
    """The order's current label as read (its bytes only when asked for)."""

    id: str
    format: str
    carrier: str | None
    carrier_service_code: str | None
    tracking_numbers: list[str]
    content: bytes | None = None


@dataclass(frozen=True)
class Known:
    record: Any  # the sale_orders row (a named tuple): its columns by name, as SaleOrder's attributes
    label: StoredLabel | None  # the current label
    writeback: str | None  # queued, done, failed or disabled; None without a label
    returned: ReturnRef | None = None  # its printed return label (server/orders/returns.py)


def by_ref(session: Session, tenant_id: str, ref: SaleOrderRef, mode: str, *, content: bool = False) -> Known | None:
    """The sale order named by ``ref``, when labelbridge knows it (else None: ask CartonCloud)."""
    return _read(session, _query(ref.kind, content), mode, tenant=tenant_id, value=ref.value)


def by_pk(session: Session, record_pk: int, mode: str, *, content: bool = False) -> Known:
    return _read(session, _query("pk", content), mode, pk=record_pk)


@cache
def _query(kind: str, content: bool) -> DriverRead:
    """One statement per way of naming the order, built once (its values are bound at each read)."""
    last_job = (
        select(OutboxJob.state)
        .where(OutboxJob.label_id == _ORDERS.c.current_label_id)
        .order_by(OutboxJob.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    if kind == "pk":
        conditions = [_ORDERS.c.id == bindparam("pk")]
    else:
        conditions = [_ORDERS.c.tenant_id == bindparam("tenant"), COLUMNS[kind] == bindparam("value")]
    return_label = _LABELS.alias("return_label")
    label_columns = (*_LABEL_COLUMNS, "content") if content else _LABEL_COLUMNS
    return DriverRead(
        select(
            *_ORDERS.c,
            *(_LABELS.c[name].label(f"label_{name}") for name in label_columns),
            last_job.label("writeback_job"),
            return_label.c.id.label("return_id"),
            return_label.c.format.label("return_format"),
        )
        .outerjoin(_LABELS, _LABELS.c.id == _ORDERS.c.current_label_id)
        .outerjoin(ReturnShipment, ReturnShipment.sale_order_pk == _ORDERS.c.id)
        .outerjoin(return_label, return_label.c.id == ReturnShipment.label_id)
        .where(*conditions)
        .order_by(_ORDERS.c.id)
        .limit(1)
    )


def _read(session: Session, query: DriverRead, mode: str, **values: Any) -> Known | None:
    kept = known_cache.for_session(session)
    if kept is None:
        row = query.first(session, values)
    else:
        row = kept.read((query, *values.values()), lambda: query.first(session, values))
    if row is None:
        return None
    label = None
    if row.label_id is not None:
        label = StoredLabel(
            **{name: getattr(row, f"label_{name}") for name in _LABEL_COLUMNS},
            content=getattr(row, "label_content", None),
        )
    writeback = outbox.writeback_of(row.writeback_job, mode) if label is not None else None
    returned = ReturnRef(row.return_id, row.return_format) if row.return_id else None
    return Known(row, label, writeback, returned)
