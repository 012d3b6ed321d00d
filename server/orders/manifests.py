"""The end-of-day manifest: today's printed shipments not manifested yet, handed to each carrier
in one Starshipit manifest per carrier (and account).

A carrier's labels are claimed in one short transaction (``labels.manifest_id`` set where it is
still empty), so two benches closing the day at once, or a print landing meanwhile, never put a
label in two manifests: the bench that claims nothing for a carrier makes no manifest for it,
and a label printed after the claim waits for the next manifest. Starshipit is asked with no
transaction open. A carrier Starshipit refuses gets its labels back (the next close tries them
again) and its refusal in Starshipit's words; the other carriers go on. A manifest asked without
an answer keeps its labels (``unconfirmed``): Starshipit may have made it, and would refuse those
orders a second time.

The next close settles such a manifest once it can no longer land (``sends.in_flight_window``
after it was asked), and so one still ``sending`` by then (the close that asked died before it
heard back, or before it asked: its call, bounded by the HTTP timeouts, is over either way): each of its orders is read back from Starshipit (``GET /api/orders``, one
request per order; the full order says ``manifested``, and its ``manifest_number`` when it has
one). Orders Starshipit shows manifested make it ``done`` (without a PDF: Starshipit has no call
that gives a manifest's PDF again), the others go back to the next manifest; with none manifested
it is ``failed`` and all go back. A read that fails leaves it ``unconfirmed`` for the next close.
Only closing the day (a supervisor's or admin's action) settles: the list and preview only read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session, defer

from ..clients import Upstreams
from ..db import read_only
from ..events import record_event
from ..failures import from_upstream
from ..http.errors import UpstreamError, UpstreamNotFound
from ..models import Label, Manifest, SaleOrder, utcnow
from . import sends
from .returns import RETURN

SENDING, DONE, FAILED, UNCONFIRMED = "sending", "done", "failed", "unconfirmed"
NO_CARRIER = "Unknown carrier"
# What a settled manifest says (``settle``): made, but its PDF was in the answer that was lost; or
# never made.
NO_PDF = (
    "Starshipit made this manifest, but its answer (with the PDF) never came: print the manifest from "
    "Starshipit. Its shipments that Starshipit did not manifest go in the next one."
)
NOT_MADE = (
    "Starshipit's answer never came, and it shows none of these shipments manifested: they go in the next manifest."
)


@dataclass(frozen=True)
class CarrierCount:
    """How many of today's shipments one carrier's manifest would hold."""

    account: str | None
    carrier: str
    orders: int


def day_start(config: Mapping[str, Any], now: datetime | None = None) -> datetime:
    """Midnight today in the warehouse's time zone (``TIMEZONE``)."""
    zone = ZoneInfo(config["TIMEZONE"])
    local = (now or utcnow()).astimezone(zone)
    return datetime.combine(local.date(), time(), tzinfo=zone)


class ManifestService:
    """Closing the day for one caller (``actor``: the token's name) within one database session."""

    def __init__(self, session: Session, upstreams: Upstreams, config: Mapping[str, Any], actor: str | None) -> None:
        self.session = session
        self.upstreams = upstreams
        self.config = config
        self.actor = actor

    def preview(self, now: datetime | None = None) -> list[CarrierCount]:
        """What closing the day now would manifest: the count per carrier, nothing asked of
        Starshipit."""
        counts = [CarrierCount(account, carrier, len(labels)) for (account, carrier), labels in self._due(now).items()]
        self.session.commit()
        return counts

    def close_day(self, now: datetime | None = None) -> list[Manifest]:
        """The unconfirmed manifests settled (``settle``), then one manifest per carrier of
        today's unmanifested shipments (one Starshipit call each); each as it ended: ``done``,
        ``failed`` (with Starshipit's words) or ``unconfirmed``, the settled ones first."""
        manifests = self.settle(now)
        due = self._due(now)
        self.session.commit()
        for (account, carrier), label_ids in due.items():
            claimed = self._claim(account, carrier, label_ids)
            if claimed is not None:
                manifests.append(self._send(*claimed))
        return manifests

    def settle(self, now: datetime | None = None) -> list[Manifest]:
        """The unconfirmed manifests that can no longer land (and those left ``sending`` by a close
        that died), each settled from what Starshipit shows of its orders; those settled."""
        asked_before = (now or utcnow()) - sends.in_flight_window(self.config)
        waiting = list(
            self.session.scalars(
                select(Manifest)
                .options(defer(Manifest.pdf))
                .where(Manifest.state.in_((UNCONFIRMED, SENDING)), Manifest.created_at < asked_before)
                .order_by(Manifest.id)
            )
        )
        self.session.commit()
        return [manifest for manifest in waiting if self._settle(manifest)]

    # -- steps ------------------------------------------------------------------------------

    def _settle(self, manifest: Manifest) -> bool:
        claimed = self.session.execute(
            select(SaleOrder, Label.id, Label.starshipit_order_id)
            .join(Label, Label.sale_order_pk == SaleOrder.id)
            .where(Label.manifest_id == manifest.id)
            .order_by(Label.starshipit_order_id)
        ).all()
        self.session.commit()
        starshipit = self.upstreams.starshipit(self.upstreams.accounts().starshipit(manifest.account))
        made, numbers = set(), []
        for _record, label_id, order_id in claimed:
            try:
                order = starshipit.get_order(order_id) if order_id is not None else {}
            except UpstreamNotFound:
                continue  # not (or no longer) in Starshipit: not in a manifest there
            except UpstreamError:
                return False  # unknown still: settled by a later close
            if order.get("manifested"):
                made.add(label_id)
                numbers.append(order.get("manifest_number"))
        number = next((str(n) for n in numbers if n not in (None, "")), None)
        if made:
            changes = {"state": DONE, "manifest_number": number, "order_count": len(made), "error": NO_PDF}
        else:
            changes = {"state": FAILED, "order_count": 0, "error": NOT_MADE}
        settled = self.session.execute(
            update(Manifest)
            .where(Manifest.id == manifest.id, Manifest.state == manifest.state)
            .values(**changes, finished_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if settled.rowcount != 1:  # another close settled it meanwhile
            self.session.rollback()
            return False
        released = [label_id for _record, label_id, _order_id in claimed if label_id not in made]
        if released:  # each back to the next manifest
            self.session.execute(
                update(Label)
                .where(Label.id.in_(released))
                .values(manifest_id=None)
                .execution_options(synchronize_session=False)
            )
        for record, label_id, _order_id in claimed:
            if label_id not in made:
                record_event(
                    self.session, record, "manifest_released", self.actor, label_id=label_id, manifest_id=manifest.id
                )
        self.session.flush()
        self.session.refresh(manifest)
        kept = [(record, label_id) for record, label_id, _order_id in claimed if label_id in made]
        self._record(manifest, kept, "manifest_settled", released=len(released))
        return True

    def _due(self, now: datetime | None) -> dict[tuple[str | None, str], list[str]]:
        """Today's printed shipment labels (each order's current one) in no manifest, by
        (account, carrier), in a stable order. Only reads (no write lock taken)."""
        self.session.commit()
        rows = (
            read_only(self.session)
            .execute(
                select(Label.id, SaleOrder.starshipit_account, Label.carrier)
                .join(SaleOrder, SaleOrder.current_label_id == Label.id)
                .where(
                    Label.kind != RETURN,
                    Label.manifest_id.is_(None),
                    Label.voided_at.is_(None),
                    Label.created_at >= day_start(self.config, now),
                    SaleOrder.starshipit_order_id.is_not(None),
                )
                .order_by(SaleOrder.starshipit_account, Label.carrier, Label.created_at, Label.id)
            )
            .all()
        )
        due: dict[tuple[str | None, str], list[str]] = defaultdict(list)
        for label_id, account, carrier in rows:
            due[(account, carrier or NO_CARRIER)].append(label_id)
        return dict(due)

    def _claim(
        self, account: str | None, carrier: str, label_ids: list[str]
    ) -> tuple[Manifest, list[tuple[SaleOrder, str]]] | None:
        """The manifest and its (order, label id)s: those of ``label_ids`` no one claimed first,
        in one transaction. None (nothing written) when another close took them all."""
        manifest = Manifest(account=account, carrier=carrier, state=SENDING, created_by=self.actor)
        self.session.add(manifest)
        self.session.flush()
        self.session.execute(
            update(Label)
            .where(Label.id.in_(label_ids), Label.manifest_id.is_(None), Label.voided_at.is_(None))
            .values(manifest_id=manifest.id)
            .execution_options(synchronize_session=False)
        )
        claimed = [
            (record, label_id)
            for record, label_id in self.session.execute(
                select(SaleOrder, Label.id)
                .join(Label, Label.sale_order_pk == SaleOrder.id)
                .where(Label.manifest_id == manifest.id)
                .order_by(SaleOrder.starshipit_order_id)
            ).all()
        ]
        if not claimed:
            self.session.rollback()
            return None
        manifest.order_count = len(claimed)
        self.session.commit()
        return manifest, claimed

    def _send(self, manifest: Manifest, claimed: list[tuple[SaleOrder, str]]) -> Manifest:
        starshipit = self.upstreams.starshipit(self.upstreams.accounts().starshipit(manifest.account))
        try:
            made = starshipit.manifest([record.starshipit_order_id for record, _ in claimed])
        except UpstreamError as error:
            return self._failed(manifest, claimed, error)
        manifest.state, manifest.finished_at = DONE, utcnow()
        manifest.manifest_number, manifest.pdf = made.manifest_number, made.pdf
        self._record(manifest, claimed, "manifested")
        return manifest

    def _failed(self, manifest: Manifest, claimed: list[tuple[SaleOrder, str]], error: UpstreamError) -> Manifest:
        failure = from_upstream(error, f"manifesting the {manifest.carrier} shipments")
        self.session.rollback()
        if sends.outcome_of(error) == sends.REFUSED:
            manifest.state = FAILED
            self.session.execute(
                update(Label)
                .where(Label.manifest_id == manifest.id)
                .values(manifest_id=None)
                .execution_options(synchronize_session=False)
            )
        else:
            manifest.state = UNCONFIRMED
        manifest.error, manifest.finished_at = failure.message, utcnow()
        self._record(manifest, claimed, "manifest_failed")
        return manifest

    def _record(self, manifest: Manifest, claimed: list[tuple[SaleOrder, str]], kind: str, **more: Any) -> None:
        """The manifest in each order's history and, once, in the audit log; committed."""
        detail = {
            "manifest_id": manifest.id,
            "manifest_number": manifest.manifest_number,
            "carrier": manifest.carrier,
            "state": manifest.state,
            "error": manifest.error,
            **more,
        }
        for record, label_id in claimed:
            record_event(self.session, record, kind, self.actor, label_id=label_id, **detail)
        record_event(self.session, None, kind, self.actor, orders=manifest.order_count, **detail)
        self.session.commit()


def find(session: Session, manifest_id: int) -> Manifest | None:
    return session.get(Manifest, manifest_id)


def recent(session: Session, limit: int) -> list[Manifest]:
    """The latest manifests, newest first (their PDFs not read)."""
    query = select(Manifest).options(defer(Manifest.pdf)).order_by(Manifest.id.desc()).limit(limit)
    return list(session.scalars(query))
