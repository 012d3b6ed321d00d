"""What labelbridge knows of a sale order, read at once: its record, its current label, how
that label's writeback stands and its return label. The lookup a page makes when it opens and every reprint read this,
in one query and a transaction that takes no write lock (``db.read_only``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session, aliased, defer

from .. import outbox
from ..db import read_only
from ..models import Label, OutboxJob, ReturnShipment, SaleOrder
from .identifiers import SaleOrderRef
from .resolver import COLUMNS


@dataclass(frozen=True)
class ReturnRef:
    id: str
    format: str


@dataclass(frozen=True)
class Known:
    record: SaleOrder
    label: Label | None  # the current label; its bytes only when asked for
    writeback: str | None  # queued, done, failed or disabled; None without a label
    returned: ReturnRef | None = None  # its printed return label (server/orders/returns.py)


def by_ref(session: Session, tenant_id: str, ref: SaleOrderRef, mode: str, *, content: bool = False) -> Known | None:
    """The sale order named by ``ref``, when labelbridge knows it (else None: ask CartonCloud)."""
    return _read(session, _query(ref.kind, content), mode, tenant=tenant_id, value=ref.value)


def by_pk(session: Session, record_pk: int, mode: str, *, content: bool = False) -> Known:
    return _read(session, _query("pk", content), mode, pk=record_pk)


@cache
def _query(kind: str, content: bool) -> Select:
    """One statement per way of naming the order, built once (its values are bound at each read)."""
    last_job = (
        select(OutboxJob.state)
        .where(OutboxJob.label_id == SaleOrder.current_label_id)
        .order_by(OutboxJob.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    if kind == "pk":
        conditions = [SaleOrder.id == bindparam("pk")]
    else:
        conditions = [SaleOrder.tenant_id == bindparam("tenant"), COLUMNS[kind] == bindparam("value")]
    return_label = aliased(Label)
    query = (
        select(SaleOrder, Label, last_job, return_label.id, return_label.format)
        .outerjoin(Label, Label.id == SaleOrder.current_label_id)
        .outerjoin(ReturnShipment, ReturnShipment.sale_order_pk == SaleOrder.id)
        .outerjoin(return_label, return_label.id == ReturnShipment.label_id)
        .where(*conditions)
        .order_by(SaleOrder.id)
        .limit(1)
    )
    query = query.execution_options(populate_existing=True)  # a long-lived session (a batch) sees it as it is now
    return query if content else query.options(defer(Label.content))


def _read(session: Session, query: Select, mode: str, **values: Any) -> Known | None:
    read_only(session)
    row = session.execute(query, values).first()
    session.commit()
    if row is None:
        return None
    record, label, job_state, return_id, return_format = row
    writeback = outbox.writeback_of(job_state, mode) if label is not None else None
    return Known(record, label, writeback, ReturnRef(return_id, return_format) if return_id else None)
