"""Printing at a packing bench: one order's label (or a deliberate redo) laid out as the
workstation prefers, sent to its network printer, and answered once per Idempotency-Key.

A printer that fails never fails the print: the label is stored, and ``Printed.delivery`` says
what went wrong so the browser can print it instead. An unknown printer is refused before
anything is printed. A click retried with the same Idempotency-Key gets its first answer again,
and the network printer does not print a second copy.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from ..cache import ProcessCache
from ..clients import Upstreams
from ..db import read_only
from ..models import Printer
from ..printing.layouts import apply_layout
from ..printing.printer_jobs import send_label
from ..printing.printer_policy import PrinterPolicy
from ..printing.workstation import UNSET, Workstation, choose_printer, preferences_for
from . import idempotency
from .chosen_service import ChosenService
from .identifiers import SaleOrderRef
from .service import PrintOutcome, PrintService


@dataclass(frozen=True)
class Printed:
    outcome: PrintOutcome
    layout: str  # the workstation's layout
    content: bytes  # the label, laid out so
    delivery: dict[str, Any] | None  # what the network printer did (None: no printer)
    packing_slip: bool  # whether the workstation wants the packing slip offered


@dataclass(frozen=True)
class Answer:
    """What to answer a click with: ``body`` is stored for a retry as given (without the label's
    bytes, which are read from the label again), ``replayed`` when it is such a retry."""

    status: int
    body: dict[str, Any]
    label_id: str | None
    replayed: bool = False


class Bench:
    """One workstation's printing (``token_name``), within one database session."""

    def __init__(
        self, session: Session, upstreams: Upstreams, config: Mapping[str, Any], token_name: str, cache: ProcessCache
    ) -> None:
        self.session = session
        self.config = config
        self.token_name = token_name
        self.cache = cache
        self.service = PrintService(session, upstreams, config, token_name)

    def print_label(
        self,
        ref: SaleOrderRef,
        tenant_slug: str | None = None,
        printer: Any = UNSET,
        service: ChosenService | None = None,
    ) -> Printed:
        """Print (or reprint) the sale order's label; ``printer``: a printer's name, None for
        none, UNSET for the workstation's own; ``service``: the packer's pick of service."""
        workstation, chosen = self._bench(printer)
        return self._deliver(self.service.print_label(ref, tenant_slug, service), workstation, chosen)

    def redo(self, label_id: str, reason: str, printer: Any = UNSET, service: ChosenService | None = None) -> Printed:
        """A new label (a new shipment) replacing ``label_id``, on purpose, with the reason."""
        workstation, chosen = self._bench(printer)
        return self._deliver(self.service.redo(label_id, reason, service), workstation, chosen)

    def once(self, key: str | None, request_hash: str, answer: Callable[[], Answer]) -> Answer:
        """``answer()`` for this Idempotency-Key once: the same key and request again get the
        stored answer (``replayed``), another request with the key is refused, and one still
        running gets a Conflict. Without a key, simply ``answer()``."""
        if key is None:
            return answer()
        key = idempotency.check_key(key)
        lease = timedelta(seconds=self.config["ORDER_LOCK_SECONDS"])
        replay = idempotency.begin(self.session, self.token_name, key, request_hash, lease)
        if replay is not None:
            return Answer(replay.status, replay.body, replay.label_id, replayed=True)
        try:
            fresh = answer()
        except BaseException:
            idempotency.release(self.session, self.token_name, key)
            raise
        idempotency.finish(self.session, self.token_name, key, fresh.status, fresh.body, fresh.label_id)
        return fresh

    def _bench(self, printer: Any) -> tuple[Workstation, Printer | None]:
        """The caller's preferences (kept by the process until any process changes them) and the
        printer for this print; the database is read only when there is a printer to read."""
        preferences = self.cache.stamped(
            ("workstation", self.token_name), lambda session: preferences_for(session, self.token_name)
        )
        if printer is None or (printer is UNSET and preferences.printer_id is None):
            return Workstation(preferences.label_layout, None, preferences.packing_slip), None
        workstation = preferences.workstation(read_only(self.session))
        chosen = choose_printer(self.session, workstation, printer)
        self.session.commit()  # no transaction stays open across the upstream calls
        return workstation, chosen

    def _deliver(self, outcome: PrintOutcome, workstation: Workstation, printer: Printer | None) -> Printed:
        label = outcome.label
        content = apply_layout(label.content, label.format, workstation.label_layout)
        delivery = None
        if printer is not None:
            delivery = send_label(
                self.session,
                printer,
                content,
                label.format,
                self.config["PRINTER_TIMEOUT_SECONDS"],
                record=outcome.record,
                actor=self.token_name,
                policy=PrinterPolicy.from_config(self.config),
                label_id=label.id,
            )
        return Printed(outcome, workstation.label_layout, content, delivery, workstation.packing_slip)
