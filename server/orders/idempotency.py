"""The Idempotency-Key header (IETF draft semantics) for one click's retries.

Same key + same body replays the first answer; same key + another body is refused (Invalid);
while the first request is still running, Conflict with a retry time. Only successful answers are kept: after an error
the key is released, so retrying the click tries again (the per-order lock still guarantees one
shipment). Keys are scoped to the token, so two workstations cannot collide.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..failures import Conflict, Invalid
from ..models import IdempotencyKey, utcnow

MAX_KEY_LENGTH = 255


@dataclass(frozen=True)
class Replay:
    status: int
    body: dict[str, Any]
    label_id: str | None


def fingerprint(method: str, path: str, body: Any) -> str:
    canonical = json.dumps([method, path, body], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_key(key: str) -> str:
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise Invalid(
            "validation_error",
            "The Idempotency-Key header must be 1 to 255 printable characters.",
            errors={"Idempotency-Key": ["Invalid value."]},
        )
    return key


def begin(session: Session, token_name: str, key: str, request_hash: str, lease: timedelta) -> Replay | None:
    """Claim ``key`` for this request (None: go ahead) or return the answer to replay."""
    now = utcnow()
    session.add(IdempotencyKey(token_name=token_name, key=key, request_hash=request_hash, locked_until=now + lease))
    try:
        session.commit()
        return None
    except IntegrityError:
        session.rollback()
    row = session.scalar(
        select(IdempotencyKey).where(IdempotencyKey.token_name == token_name, IdempotencyKey.key == key)
    )
    session.commit()
    if row is None:  # released between our insert and our read: claim it again
        return begin(session, token_name, key, request_hash, lease)
    if row.request_hash != request_hash:
        raise Invalid("idempotency_key_reused", "This Idempotency-Key was already used for a different request.")
    if row.response_status is not None:
        return Replay(row.response_status, row.response_body or {}, row.label_id)
    if row.locked_until and row.locked_until > now or not _take_over(session, row, now, lease):
        raise Conflict(
            "request_in_progress", "This request is still being processed; try again shortly.", retry_after=1
        )
    return None


def _take_over(session: Session, row: IdempotencyKey, now: datetime, lease: timedelta) -> bool:
    """Claim a key whose first request died without answering (its lease ran out)."""
    result = session.execute(
        update(IdempotencyKey)
        .where(IdempotencyKey.id == row.id, IdempotencyKey.locked_until == row.locked_until)
        .values(locked_until=now + lease)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return result.rowcount == 1


def finish(
    session: Session, token_name: str, key: str, status: int, body: dict[str, Any], label_id: str | None
) -> None:
    session.execute(
        update(IdempotencyKey)
        .where(IdempotencyKey.token_name == token_name, IdempotencyKey.key == key)
        .values(response_status=status, response_body=body, label_id=label_id, locked_until=None)
        .execution_options(synchronize_session=False)
    )
    session.commit()


def release(session: Session, token_name: str, key: str) -> None:
    session.rollback()
    session.execute(
        delete(IdempotencyKey)
        .where(IdempotencyKey.token_name == token_name, IdempotencyKey.key == key)
        .execution_options(synchronize_session=False)
    )
    session.commit()
