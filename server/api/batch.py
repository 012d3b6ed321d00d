"""Printing many labels in one request: POST /labels/batch, its progress and its merged document."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from flask import Response, current_app, g, request, url_for

from ..clients import get_upstreams
from ..db import get_session
from ..errors import ApiError
from ..models import PrintBatch
from ..orders import batch_runs, idempotency
from ..orders.batch import BatchOrder, BatchPrinter
from ..orders.chosen_service import ChosenService
from ..orders.identifiers import SaleOrderRef
from ..printing import batch_document
from ..printing.labels import CONTENT_TYPES
from ..printing.layouts import apply_layout
from ..printing.printer_jobs import send_label
from ..printing.printer_policy import PrinterPolicy
from ..printing.workstation import UNSET, Workstation, choose_printer, workstation_for
from ..schemas.batch import BatchRequestSchema, BatchResponseSchema
from ..schemas.printing import LayoutQuerySchema
from .blueprint import api
from .operations import binary, errors, path_parameter
from .services import print_service, runtime_config

_BATCH_ID = [path_parameter("batch_id", "The `batch.id` of a batch this token started.")]


@api.post("/labels/batch")
@api.arguments(BatchRequestSchema)
@api.response(
    200,
    BatchResponseSchema,
    description="Every order's result (printed, reprinted or failed with its reason) and "
    "the labels as one document; also when some orders failed.",
)
@errors(
    {
        409: "This batch_id is still printing (follow it at GET /labels/batches/{batch_id}).",
        422: "An identifier is invalid or repeated (`errors.sale_orders.<index>`), the page is from another "
        "tenant, the printer is unknown, or the batch_id was used for another batch.",
        503: "labelbridge is not connected to CartonCloud yet.",
    }
)
def print_batch(body):
    """Print the labels of 1 to 100 sale orders, each exactly once (a reprint when it has a label),
    in the order given. The answer comes when all are done; meanwhile GET /labels/batches/{batch_id}
    shows the progress."""
    session, token = get_session(), g.token_name
    print_service().check_tenant(body.get("tenant_slug"))
    workstation = workstation_for(session, token)
    printer = choose_printer(session, workstation, body.get("printer", UNSET))
    session.commit()
    orders = _orders(body)
    batch_id = str(body.get("batch_id") or uuid.uuid4())
    request_hash = idempotency.fingerprint("POST", request.path, request.get_json())
    lease = timedelta(seconds=current_app.config["ORDER_LOCK_SECONDS"])
    claim = batch_runs.claim(session, batch_id, token, request_hash, len(orders), lease)
    if not claim.run:
        return _present(claim.batch, workstation)
    chosen = ChosenService.from_mapping(body.get("service"))
    BatchPrinter(session, get_upstreams(current_app), runtime_config(), token).run(claim.batch, orders, chosen)
    delivery = _send(claim.batch, printer, workstation.label_layout) if printer is not None else None
    return _present(claim.batch, workstation, delivery)


def _orders(body: dict[str, Any]) -> list[BatchOrder]:
    """Each sale order as given (for the answer) and as parsed."""
    given = request.get_json()["sale_orders"]
    return [
        BatchOrder(index, given[index], SaleOrderRef.from_mapping({k: str(v) for k, v in identifier.items()}))
        for index, identifier in enumerate(body["sale_orders"])
    ]


def _send(batch: PrintBatch, printer, layout: str) -> dict[str, Any] | None:
    """The batch's document sent to the network printer, laid out; None when there is none."""
    if batch.content is None:
        return None
    config = runtime_config()
    return send_label(
        get_session(),
        printer,
        apply_layout(batch.content, batch.format, _layout(batch.format, layout)),
        batch.format,
        config["PRINTER_TIMEOUT_SECONDS"],
        record=None,
        actor=g.token_name,
        policy=PrinterPolicy.from_config(config),
        batch_id=batch.id,
    )


@api.get("/labels/batches/<batch_id>", parameters=_BATCH_ID)
@api.response(
    200,
    BatchResponseSchema,
    description="The batch so far: while it runs, `done` of `total` and the results "
    "so far; when finished, the same answer as the POST's.",
)
@errors({404: "There is no such batch, or another token started it."})
def batch_progress(batch_id: str):
    """A batch's progress and results (only the token that started it sees it)."""
    session = get_session()
    batch = batch_runs.owned(session, batch_id, g.token_name)
    return _present(batch, workstation_for(session, g.token_name))


@api.get("/labels/batches/<batch_id>/file", parameters=_BATCH_ID)
@api.arguments(LayoutQuerySchema, location="query")
@binary(
    200,
    (CONTENT_TYPES["pdf"], CONTENT_TYPES["zpl"]),
    "Every label of the batch in the order asked for (failed orders absent), laid out with the workstation's layout.",
)
@errors(
    {
        404: "There is no such batch (or another token started it), or it has no document: see the batch's "
        "`file_error`.",
        409: "The batch is still printing.",
    }
)
def batch_file(query, batch_id: str):
    """The batch's merged document, laid out as ``layout`` asks (default: the workstation's
    layout)."""
    session = get_session()
    batch = batch_runs.owned(session, batch_id, g.token_name)
    if batch.state != "finished":
        raise ApiError(
            409, "batch_in_progress", "This batch is still printing: its document comes when it is done.", retry_after=2
        )
    if batch.content is None:
        raise ApiError(404, "not_found", f"Batch {batch.id} has no document: {_file_error(batch)}")
    layout = _layout(batch.format, query.get("layout") or workstation_for(session, g.token_name).label_layout)
    session.commit()
    return Response(
        apply_layout(batch.content, batch.format, layout),
        content_type=CONTENT_TYPES[batch.format],
        headers={"Content-Disposition": f'inline; filename="labels-{batch.id}.{batch.format}"'},
    )


# -- the answer ---------------------------------------------------------------------------------


def _present(batch: PrintBatch, workstation: Workstation, delivery: dict[str, Any] | None = None) -> dict[str, Any]:
    layout = workstation.label_layout
    results = [
        {
            "after_void": None,  # a result kept before the field existed
            **result,
            "label": result["label"]
            and {
                **result["label"],
                "layout": _layout(result["label"]["format"], layout),
                "url": url_for("api.label_file", label_id=result["label"]["id"]),
            },
        }
        for result in batch.results
    ]
    statuses = [result["status"] for result in results]
    finished = batch.state == "finished"
    return {
        "batch": {
            "id": batch.id,
            "state": batch.state,
            "total": batch.total,
            "done": batch.done,
            "printed": statuses.count("printed"),
            "reprinted": statuses.count("reprinted"),
            "failed": statuses.count("failed"),
        },
        "results": results,
        "file": _file(batch, layout) if finished and batch.content is not None else None,
        "file_error": _file_error(batch) if finished and batch.content is None else None,
        "printer": delivery,
    }


def _layout(label_format: str, layout: str) -> str:
    """Layouts are for PDF; ZPL always comes as Starshipit made it (as for a single label)."""
    return layout if label_format == "pdf" else "original"


def _file(batch: PrintBatch, layout: str) -> dict[str, Any]:
    layout = _layout(batch.format, layout)
    pages = batch_document.page_count(apply_layout(batch.content, batch.format, layout), batch.format)
    return {
        "url": url_for("api.batch_file", batch_id=batch.id),
        "format": batch.format,
        "layout": layout,
        "pages": pages,
    }


def _file_error(batch: PrintBatch) -> str | None:
    return batch_document.problem([result["label"]["format"] for result in batch.results if result["label"]])
