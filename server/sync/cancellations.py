"""Sale orders cancelled in CartonCloud after they got a label: REJECTED, or moved back from
PACKED (or later) to a status before it.

With ``AUTO_VOID`` the label is voided through the order core (reason "cancelled in
CartonCloud"); otherwise, and when the void fails, the order is flagged (its ``last_error``,
which the lookup shows) and listed under ``needs_attention`` in the sync status until someone
voids the label or the order moves forward again."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from ..clients import Upstreams
from ..events import record_event
from ..failures import Failure
from ..models import SaleOrder, utcnow
from ..orders.void import CANCELLED_IN_CARTONCLOUD, Voider
from ..statuses import PROGRESSION
from .summary import Summary

CANCELLED_CODE = "cancelled_in_cartoncloud"
PACKED = PROGRESSION.index("PACKED")
# Where an order moved back before PACKED stands (REJECTED is read with the trigger statuses).
BEFORE_PACKED = ("DRAFT", *PROGRESSION[:PACKED])


def rank(status: str | None) -> int:
    """Where ``status`` stands on the way to shipping; -1 off the path (DRAFT, REJECTED, unknown)."""
    return PROGRESSION.index(status) if status in PROGRESSION else -1


def withdrawn(previous: str | None, status: str | None) -> bool:
    """REJECTED, or moved back from PACKED (or later) to a status before it."""
    return status == "REJECTED" or (rank(previous) >= PACKED and rank(status) < PACKED)


class Cancellations:
    """Looks at the sale orders one transfer pass recorded (``Transfer.add``)."""

    def __init__(
        self, session: Session, upstreams: Upstreams, config: Mapping[str, Any], summary: Summary, *, actor: str
    ) -> None:
        self.session = session
        self.summary = summary
        self.actor = actor
        self.auto_void = config["AUTO_VOID"]
        self.voider = Voider(session, upstreams, config, actor)

    def check(self, records: list[SaleOrder], previous: Mapping[int, str | None]) -> None:
        """``previous``: each record's status before this pass recorded the new one."""
        for record in records:
            if record.current_label_id is None:
                continue
            if withdrawn(previous.get(record.id), record.status):
                self._cancelled(record)
            elif record.last_error_code == CANCELLED_CODE and rank(record.status) >= PACKED:
                record.last_error_code = record.last_error_message = record.last_error_at = None
                record_event(self.session, record, "cancellation_withdrawn", self.actor, status=record.status)
                self.session.commit()

    def _cancelled(self, record: SaleOrder) -> None:
        status, label_id = record.status, record.current_label_id
        if self.auto_void:
            try:
                self.voider.void(label_id, CANCELLED_IN_CARTONCLOUD)
            except Failure as failure:
                self._flag(record, status, f" Voiding it automatically failed: {failure.message}")
                self.summary.fail(failure.message)
            else:
                self.summary.skip("voided_cancelled")
            return
        self._flag(record, status, "")

    def _flag(self, record: SaleOrder, status: str | None, also: str) -> None:
        self.session.refresh(record)
        moved = "was rejected" if status == "REJECTED" else f"moved back to {status}"
        record.last_error_code, record.last_error_at = CANCELLED_CODE, utcnow()
        record.last_error_message = (
            f"Sale order {record.numeric_id} {moved} in CartonCloud after its label was printed: a supervisor "
            f"should void the label, or print it again if the order ships after all.{also}"
        )
        record_event(
            self.session,
            record,
            "cancelled_in_cartoncloud",
            self.actor,
            status=status,
            label_id=record.current_label_id,
        )
        self.session.commit()


def any_withdrawable(session: Session, tenant_id: str) -> bool:
    """Whether some order of the tenant holds a label and was last seen at PACKED or later: only
    then can an order moving back before PACKED be a cancellation."""
    found = session.scalar(
        select(
            exists().where(
                SaleOrder.tenant_id == tenant_id,
                SaleOrder.current_label_id.is_not(None),
                SaleOrder.status.in_(PROGRESSION[PACKED:]),
            )
        )
    )
    session.commit()
    return bool(found)


def labelled(session: Session, tenant_id: str, sale_orders: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Those of ``sale_orders`` labelbridge holds a label for."""
    if not sale_orders:
        return []
    ids = set(
        session.scalars(
            select(SaleOrder.sale_order_id).where(
                SaleOrder.tenant_id == tenant_id,
                SaleOrder.sale_order_id.in_([sale_order["id"] for sale_order in sale_orders]),
                SaleOrder.current_label_id.is_not(None),
            )
        )
    )
    session.commit()
    return [sale_order for sale_order in sale_orders if sale_order["id"] in ids]


def needs_attention(session: Session) -> list[SaleOrder]:
    """Orders flagged as cancelled in CartonCloud while their label stands."""
    query = (
        select(SaleOrder)
        .where(SaleOrder.last_error_code == CANCELLED_CODE, SaleOrder.current_label_id.is_not(None))
        .order_by(SaleOrder.last_error_at.desc())
    )
    return list(session.scalars(query))
