"""Resolve what the page shows (numericId, customer reference, UUID) to labelbridge's record.

The record doubles as the resolution cache: once a sale order is known, looking it up again by any
of its identifiers needs no upstream call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..cartoncloud.client import CartonCloudClient
from ..failures import Conflict, NotFound, from_upstream
from ..http.errors import UpstreamError, UpstreamNotFound
from ..models import SaleOrder
from .identifiers import SaleOrderRef
from .lock import Lease

IDENTIFIER_KINDS = ("id", "numeric_id", "customer_reference")

COLUMNS = {
    "id": SaleOrder.sale_order_id,
    "numeric_id": SaleOrder.numeric_id,
    "customer_reference": SaleOrder.customer_reference,
}


def find_known(session: Session, tenant_id: str, ref: SaleOrderRef) -> SaleOrder | None:
    return session.scalar(
        select(SaleOrder)
        .where(SaleOrder.tenant_id == tenant_id, COLUMNS[ref.kind] == ref.value)
        .order_by(SaleOrder.id)
        .limit(1)
    )


def fetch_sale_order(cartoncloud: CartonCloudClient, ref: SaleOrderRef) -> dict[str, Any]:
    """The sale order JSON from CartonCloud; NotFound when there is none, never a guess."""
    try:
        if ref.kind == "id":
            return cartoncloud.get_sale_order(ref.value)
        if ref.kind == "numeric_id":
            matches = cartoncloud.find_sale_orders_by_numeric_id(ref.value)
        else:
            matches = cartoncloud.find_sale_orders_by_customer_reference(ref.value)
    except UpstreamNotFound:
        raise NotFound("not_found", f"{ref.describe()} was not found in CartonCloud.") from None
    except UpstreamError as error:
        raise from_upstream(error, "looking up the sale order") from error
    if not matches:
        raise NotFound("not_found", f"{ref.describe()} was not found in CartonCloud.")
    if len(matches) > 1:
        raise Conflict(
            "ambiguous_sale_order",
            f"{ref.describe()} matches {len(matches)} sale orders in CartonCloud; "
            "print it from the order's own page so it is identified by its number.",
        )
    return matches[0]


def sale_order_values(sale_order: dict[str, Any]) -> dict[str, Any]:
    """What a record keeps of the sale order's CartonCloud JSON: its references and status."""
    references = sale_order.get("references") or {}
    numeric_id = references.get("numericId")
    return {
        "numeric_id": None if numeric_id is None else str(numeric_id),
        "customer_reference": references.get("customer"),
        "status": sale_order.get("status"),
    }


def apply_sale_order(record: SaleOrder, sale_order: dict[str, Any]) -> None:
    for name, value in sale_order_values(sale_order).items():
        setattr(record, name, value)


def _by_id(tenant_id: str, sale_order_id: str) -> Select:
    """Built only when it is read: a new order's first print never reads it (a fifth of its
    ``record_for``, cProfile)."""
    return select(SaleOrder).where(SaleOrder.tenant_id == tenant_id, SaleOrder.sale_order_id == sale_order_id)


def record_for(
    session: Session, tenant_id: str, sale_order: dict[str, Any], locked_by: Lease | None = None
) -> SaleOrder:
    """The record of ``sale_order``, created when new; safe when two requests create it at once.
    ``locked_by``: the lease of a print that has just read the order as unknown. The record is
    then inserted without a read first, locked under that lease in the same write (no second
    one to lock it); when another request recorded it meanwhile, that record is read and
    returned, and its ``lock_token`` says it is not the print's."""
    record = session.scalar(_by_id(tenant_id, sale_order["id"])) if locked_by is None else None
    if record is None:
        lock = locked_by.columns() if locked_by is not None else {}
        record = SaleOrder(
            tenant_id=tenant_id, sale_order_id=sale_order["id"], state="new", tracking_numbers=[], **lock
        )
        apply_sale_order(record, sale_order)
        session.add(record)
        try:
            session.commit()
            return record
        except IntegrityError:
            session.rollback()
            record = session.scalar(_by_id(tenant_id, sale_order["id"]))
    apply_sale_order(record, sale_order)
    session.commit()
    return record


def resolve(
    session: Session, cartoncloud: Callable[[], CartonCloudClient], tenant_id: str, ref: SaleOrderRef
) -> tuple[SaleOrder, dict[str, Any] | None]:
    """The record for ``ref`` and, when CartonCloud had to be asked, the sale order it returned."""
    record = find_known(session, tenant_id, ref)
    session.commit()
    if record is not None:
        return record, None
    return from_cartoncloud(session, cartoncloud, tenant_id, ref)


def from_cartoncloud(
    session: Session,
    cartoncloud: Callable[[], CartonCloudClient],
    tenant_id: str,
    ref: SaleOrderRef,
    locked_by: Lease | None = None,
) -> tuple[SaleOrder, dict[str, Any]]:
    """The record for a ``ref`` labelbridge did not know a moment ago: the sale order asked of
    CartonCloud, and recorded (or found, when another request recorded it meanwhile); a new
    record ``locked_by`` that lease (``record_for``)."""
    sale_order = fetch_sale_order(cartoncloud(), ref)
    return record_for(session, tenant_id, sale_order, locked_by), sale_order
