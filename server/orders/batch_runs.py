"""A batch's row (``PrintBatch``): claimed by its request, its progress committed after each
order, its answer kept for a retry.

The client makes the batch id, so the same id and the same body again replay the stored answer,
the same id with another body is refused, and a batch still running answers 409. A batch whose
row has not moved for a lease (its process was killed) is abandoned: the same request takes it
over and runs it again from the start (orders printed already come back as reprints).
Every write is a short transaction of its own: none stays open across an upstream call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..failures import Conflict, Invalid, NotFound
from ..models import PrintBatch, utcnow


@dataclass(frozen=True)
class Claim:
    batch: PrintBatch
    run: bool  # False: finished already, answer with what it holds


def _reused() -> Invalid:
    return Invalid(
        "batch_id_reused",
        "This batch_id was already used for a different batch: start a new batch with a new batch_id.",
        errors={"batch_id": ["Used already for another batch."]},
    )


def _running() -> Conflict:
    return Conflict(
        "batch_in_progress",
        "This batch is still printing; follow its progress at GET /api/v1/labels/batches/<id>.",
        retry_after=2,
    )


def claim(session: Session, batch_id: str, token_name: str, request_hash: str, total: int, lease: timedelta) -> Claim:
    """The batch to run (new, or abandoned and taken over) or to answer with (finished).
    Invalid for an id used for another request, Conflict while another request runs it."""
    try:
        # A plain INSERT: the session may hold the row already (a retry in the same context).
        session.execute(
            insert(PrintBatch).values(
                id=batch_id,
                token_name=token_name,
                request_hash=request_hash,
                state="running",
                total=total,
                done=0,
                results=[],
            )
        )
        session.commit()
    except IntegrityError:
        session.rollback()
    else:
        return Claim(_read(session, batch_id), run=True)
    batch = _read(session, batch_id)  # there: batches are never deleted
    if batch.token_name != token_name or batch.request_hash != request_hash:
        raise _reused()
    if batch.state == "finished":
        return Claim(batch, run=False)
    if batch.updated_at > utcnow() - lease or not _take_over(session, batch):
        raise _running()
    return Claim(_read(session, batch_id), run=True)


def _read(session: Session, batch_id: str) -> PrintBatch | None:
    """The row as stored now, loaded and committed: no transaction stays open (SQLite)."""
    batch = session.get(PrintBatch, batch_id, populate_existing=True)
    session.commit()
    return batch


def _take_over(session: Session, batch: PrintBatch) -> bool:
    """Claim an abandoned batch; False when another request claimed it first."""
    result = session.execute(
        update(PrintBatch)
        .where(PrintBatch.id == batch.id, PrintBatch.state == "running", PrintBatch.updated_at == batch.updated_at)
        .values(done=0, results=[], updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return result.rowcount == 1


def record_results(session: Session, batch: PrintBatch, results: list[dict[str, Any]]) -> None:
    """The results so far and how many orders are done; also the lease's heartbeat."""
    _set_results(batch, results)
    session.commit()


def finish(
    session: Session, batch: PrintBatch, results: list[dict[str, Any]], content: bytes | None, label_format: str | None
) -> None:
    _set_results(batch, results)
    batch.content, batch.format = content, label_format
    batch.state, batch.finished_at = "finished", utcnow()
    session.commit()


def _set_results(batch: PrintBatch, results: list[dict[str, Any]]) -> None:
    batch.results = sorted(results, key=lambda result: result["index"])  # in request order
    batch.done = len(results)
    batch.updated_at = utcnow()


def owned(session: Session, batch_id: str, token_name: str) -> PrintBatch:
    """The caller's own batch; NotFound for any other (another token's batch is not shown to exist)."""
    batch = _read(session, batch_id)
    if batch is None or batch.token_name != token_name:
        raise NotFound("not_found", f"There is no batch {batch_id}.")
    return batch
