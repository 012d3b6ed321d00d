"""Packing slips: Starshipit's PDF for a printed order, fetched on first ask and kept beside the
label so asking again needs no upstream call."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..clients import Upstreams
from ..events import record_event
from ..failures import Refused, from_upstream
from ..http.errors import UpstreamError
from ..models import Label, PackingSlip, SaleOrder


def packing_slip(session: Session, upstreams: Upstreams, label: Label, actor: str | None) -> bytes:
    """The packing slip of ``label``'s order. Raises Refused or Unavailable when Starshipit cannot
    make it; nothing is stored then, so the next ask tries again."""
    stored = session.get(PackingSlip, label.id)
    record = session.get(SaleOrder, label.sale_order_pk)
    session.commit()  # no transaction stays open across the upstream call (nor after this request)
    if stored is not None:
        return stored.content  # no transaction stays open across the upstream call
    starshipit = upstreams.starshipit(upstreams.accounts().starshipit(record.starshipit_account))
    try:
        content = starshipit.packing_slips([record.starshipit_order_id])
    except UpstreamError as error:
        raise from_upstream(error, "making the packing slip") from error
    if not content.startswith(b"%PDF"):
        raise Refused("upstream_bad_response", "Starshipit's packing slip is not a PDF; print it from Starshipit.")
    session.add(PackingSlip(label_id=label.id, content=content))
    record_event(session, record, "packing_slip", actor, label_id=label.id, bytes=len(content))
    try:
        session.commit()
    except IntegrityError:  # another request stored it meanwhile: theirs is as good
        session.rollback()
        content = session.get(PackingSlip, label.id).content
        session.commit()
    return content
