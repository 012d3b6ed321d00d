"""Delivering one outbox job: the tracking number onto the CartonCloud consignment generated from
the sale order, and/or the label as a document on the sale order (the WRITEBACK_MODE setting).

A document upload is a POST, not idempotent: it is recorded as sent (DOCUMENT_SENT) before it
goes, and an upload sent before whose answer was lost is first looked for among the order's
documents (by name, then by its bytes, since a redone label has the same name) and only sent
again when it is not there.

A void's job (``kind`` void) takes back what a voided label wrote: the consignment gets the
order's tracking as it is now (none: cleared), and a note saying the label is void is put beside
its document."""

from __future__ import annotations

from sqlalchemy.orm import Session

from .cartoncloud.client import CartonCloudClient
from .http.errors import UpstreamAuthError, UpstreamError, UpstreamRejected
from .models import Label, OutboxJob, SaleOrder
from .outbox import VOID

STEPS = {"consignment": ["consignment"], "document": ["document"], "both": ["consignment", "document"]}
DOCUMENT_SENT = "document:sent"  # in ``steps_done``: the upload went, its answer may be lost


class NoConsignment(Exception):
    """CartonCloud has no consignment for the sale order (yet): worth retrying later."""


def is_permanent(error: Exception) -> bool:
    """Errors that retrying cannot fix until someone changes something; retried by command."""
    return isinstance(error, (UpstreamAuthError, UpstreamRejected))


def describe(error: Exception) -> str:
    if isinstance(error, NoConsignment):
        return str(error)
    if isinstance(error, UpstreamError):
        status = f" (HTTP {error.http_status})" if error.http_status else ""
        return f"CartonCloud{status}: {error.message}"
    return f"{type(error).__name__}: {error}"


def deliver(
    session: Session, cartoncloud: CartonCloudClient, job: OutboxJob, record: SaleOrder, label: Label | None
) -> None:
    """Do the job's remaining steps; each step done is recorded so a retry never repeats it.
    The caller leaves no transaction open: SQLite would stay locked while CartonCloud is called.
    ``label`` is None for tracking found in Starshipit (printed in its app): nothing to upload."""
    for step in STEPS[job.mode]:
        if step in job.steps_done:
            continue
        if step == "consignment":
            _write_consignment(cartoncloud, record)
        elif job.kind == VOID:
            _upload_document(session, cartoncloud, job, record, *void_note(record, label))
        elif label is not None:
            name = f"Label-{record.starshipit_order_number or record.numeric_id}.{label.format}"
            _upload_document(session, cartoncloud, job, record, name, label.content)
        job.steps_done = [*job.steps_done, step]
        session.commit()


def _write_consignment(cartoncloud: CartonCloudClient, record: SaleOrder) -> None:
    """Writes the order's current tracking, not the job's: after a relabel an older job delivered
    late must not put the voided tracking number back."""
    consignment = cartoncloud.find_consignment_for_sale_order(record.sale_order_id)
    if consignment is None:
        raise NoConsignment(f"CartonCloud has no consignment generated from sale order {record.numeric_id} yet.")
    cartoncloud.update_consignment_tracking(
        consignment["id"],
        tracking_number=", ".join(record.tracking_numbers) or None,  # voided: cleared (null, as CartonCloud sends it)
        carrier_name=record.carrier,
    )


def void_note(record: SaleOrder, label: Label) -> tuple[str, bytes]:
    """The document put beside a voided label's (CartonCloud's documented API deletes none):
    its name and text."""
    tracking = ", ".join(label.tracking_numbers) or "none"
    text = (
        f"VOID: the label {label.id} of sale order {record.numeric_id} (tracking {tracking}) was voided "
        f"on {label.voided_at:%Y-%m-%d %H:%M} UTC by {label.voided_by or 'labelbridge'}: {label.void_reason}. "
        "Do not ship with it.\n"
    )
    return f"VOID-Label-{record.numeric_id}-{label.id[:8]}.txt", text.encode()


def _upload_document(
    session: Session, cartoncloud: CartonCloudClient, job: OutboxJob, record: SaleOrder, name: str, content: bytes
) -> None:
    if DOCUMENT_SENT in job.steps_done:
        if _attached(cartoncloud, record.sale_order_id, name, content):
            return
    else:
        job.steps_done = [*job.steps_done, DOCUMENT_SENT]
        session.commit()
    cartoncloud.upload_sale_order_document(record.sale_order_id, name=name, data=content)


def _attached(cartoncloud: CartonCloudClient, sale_order_id: str, name: str, content: bytes) -> bool:
    """Whether the order already holds this file under ``name``."""
    documents = cartoncloud.list_sale_order_documents(sale_order_id)
    named = [document for document in documents if (document.get("content") or {}).get("name") == name]
    return any(cartoncloud.download_sale_order_document(sale_order_id, d["id"]) == content for d in reversed(named))
