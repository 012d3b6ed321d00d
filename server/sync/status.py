"""What ``GET /api/v1/sync/status`` reports: last run, cursors, queue depth, failures, and the
labelled orders cancelled in CartonCloud that need someone (``needs_attention``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import OutboxJob, SaleOrder
from ..statuses import eligible_statuses
from . import cancellations, cursors, inbox

RECENT_FAILURES = 10


def sync_status(session: Session, config: Mapping[str, Any]) -> dict[str, Any]:
    rows = cursors.all_cursors(session)
    finished = [row for row in rows if row.last_finished_at is not None]
    last = max(finished, key=lambda row: row.last_finished_at, default=None)
    return {
        "last_run": _run(last) if last else None,
        "cursors": [
            {
                **_run(row),
                "position": row.position,
                "next_run_at": row.next_run_at,
                "running": row.lease_owner is not None,
            }
            for row in rows
        ],
        "queue": {"inbox": inbox.depth(session), "outbox": _outbox_depth(session)},
        "failures": _failures(session, config),
        "needs_attention": [
            {
                "sale_order": _sale_order(record),
                "status": record.status,
                "label_id": record.current_label_id,
                "code": record.last_error_code,
                "message": record.last_error_message,
                "at": record.last_error_at,
            }
            for record in cancellations.needs_attention(session)
        ],
    }


def _sale_order(record: SaleOrder) -> dict[str, Any]:
    return {
        "id": record.sale_order_id,
        "numeric_id": record.numeric_id,
        "customer_reference": record.customer_reference,
    }


def _run(cursor) -> dict[str, Any]:
    return {
        "name": cursor.name,
        "started_at": cursor.last_started_at,
        "finished_at": cursor.last_finished_at,
        "summary": cursor.last_summary,
        "error": cursor.last_error,
        "consecutive_failures": cursor.consecutive_failures,
    }


def _outbox_depth(session: Session) -> dict[str, int]:
    rows = session.execute(
        select(OutboxJob.state, func.count()).where(OutboxJob.state != "done").group_by(OutboxJob.state)
    )
    return dict(rows.all())


def _failures(session: Session, config: Mapping[str, Any]) -> dict[str, Any]:
    eligible = eligible_statuses(config["TRIGGER_STATUSES"])
    pending = select(func.count()).where(
        SaleOrder.starshipit_order_id.is_(None), SaleOrder.blocked_fingerprint.is_(None), SaleOrder.status.in_(eligible)
    )
    recent = session.scalars(
        select(SaleOrder)
        .where(SaleOrder.last_error_code.is_not(None))
        .order_by(SaleOrder.last_error_at.desc())
        .limit(RECENT_FAILURES)
    )
    failed_inbox = sum(counts.get(inbox.FAILED, 0) for counts in inbox.depth(session).values())
    return {
        "not_shippable": session.scalar(select(func.count()).where(SaleOrder.blocked_fingerprint.is_not(None))),
        "awaiting_transfer": session.scalar(pending),
        "inbox_failed": failed_inbox,
        "outbox_failed": session.scalar(select(func.count()).where(OutboxJob.state == "failed")),
        "recent": [
            {
                "sale_order": _sale_order(record),
                "code": record.last_error_code,
                "message": record.last_error_message,
                "at": record.last_error_at,
            }
            for record in recent
        ],
    }
