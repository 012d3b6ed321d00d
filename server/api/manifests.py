"""The end-of-day manifest: what closing the day would hand over, closing it (supervisor or admin), the
manifests made and their PDFs again.

The views parse and present; the order core (``server/orders/manifests.py``) claims, asks
Starshipit once per carrier and records."""

from __future__ import annotations

from flask import Response, current_app, g, url_for

from ..clients import get_upstreams
from ..db import get_session
from ..errors import ApiError
from ..models import Manifest
from ..orders import manifests
from ..orders.manifests import ManifestService, day_start
from ..schemas.manifests import (
    CloseDayRequestSchema,
    ManifestListQuerySchema,
    ManifestListSchema,
    ManifestPreviewSchema,
)
from .auth import supervisor_only
from .blueprint import api
from .operations import binary, errors, path_parameter
from .services import runtime_config


def _service() -> ManifestService:
    return ManifestService(get_session(), get_upstreams(current_app), runtime_config(), g.token_name)


def _present(manifest: Manifest) -> dict:
    return {
        "id": manifest.id,
        "carrier": manifest.carrier,
        "account": manifest.account,
        "manifest_number": manifest.manifest_number,
        "state": manifest.state,
        "error": manifest.error,
        "order_count": manifest.order_count,
        "created_by": manifest.created_by,
        "created_at": manifest.created_at,
        "file": {"url": url_for("api.manifest_file", manifest_id=manifest.id)} if manifest.has_pdf else None,
    }


@api.get("/manifests/preview")
@api.response(200, ManifestPreviewSchema)
def manifest_preview():
    """What closing the day now would manifest: today's printed shipments in no manifest yet,
    counted per carrier. Nothing is asked of Starshipit."""
    counts = _service().preview()
    return {
        "day_start": day_start(runtime_config()),
        "carriers": [{"carrier": c.carrier, "account": c.account, "orders": c.orders} for c in counts],
        "total": sum(c.orders for c in counts),
    }


@api.post("/manifests")
@api.arguments(CloseDayRequestSchema)
@api.response(201, ManifestListSchema)
@errors({422: "`confirm` is not true."})
@supervisor_only  # who may close the day: decided here only
def close_day(body):
    """Close the day: one Starshipit manifest per carrier of today's printed shipments in no
    manifest yet. A carrier Starshipit refuses is listed `failed` with its words, and the others
    go on; an empty list: nothing was due. First, each `unconfirmed` manifest (its call got no
    answer) is settled from what Starshipit shows of its orders, and listed first: `done` (no
    PDF) when Starshipit manifested them, else `failed`, its shipments going in this close."""
    answer = {"manifests": [_present(manifest) for manifest in _service().close_day()]}
    get_session().commit()  # reading a new manifest's ``has_pdf`` began a transaction
    return answer


@api.get("/manifests")
@api.arguments(ManifestListQuerySchema, location="query")
@api.response(200, ManifestListSchema)
def list_manifests(query):
    """The manifests made, newest first, failed ones included."""
    session = get_session()
    listed = manifests.recent(session, query["limit"])
    session.commit()
    return {"manifests": [_present(manifest) for manifest in listed]}


@api.get(
    "/manifests/<int(max=2147483647):manifest_id>/file",
    parameters=[path_parameter("manifest_id", "`id` from the list.")],
)
@binary(200, ("application/pdf",), "The manifest as Starshipit made it.")
@errors({404: "There is no such manifest, or it has no PDF (it failed or is unconfirmed)."})
def manifest_file(manifest_id: int):
    """The manifest's PDF again."""
    session = get_session()
    manifest = manifests.find(session, manifest_id)
    session.commit()
    if manifest is None or manifest.pdf is None:
        raise ApiError(404, "not_found", f"Manifest {manifest_id} does not exist or has no PDF.")
    return Response(
        manifest.pdf,
        content_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="manifest-{manifest.id}.pdf"'},
    )
