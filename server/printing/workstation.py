"""A workstation's printing preferences: the ones its token carries (PUT /api/v1/workstation),
and the printer one print goes to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import cache
from ..failures import Invalid, NotFound
from ..models import ApiToken, Printer

UNSET = object()  # "printer" absent from the request: the workstation's default printer


@dataclass(frozen=True)
class Workstation:
    label_layout: str
    printer: Printer | None
    packing_slip: bool


@dataclass(frozen=True)
class Preferences:
    """A workstation's preferences with its printer named by id: plain values, which a process
    can keep (server/cache.py) and share between threads."""

    label_layout: str
    printer_id: int | None
    packing_slip: bool

    def workstation(self, session: Session) -> Workstation:
        """The workstation, its printer read when it has one."""
        printer = session.get(Printer, self.printer_id) if self.printer_id is not None else None
        return Workstation(label_layout=self.label_layout, printer=printer, packing_slip=self.packing_slip)


NO_PREFERENCES = Preferences(label_layout="original", printer_id=None, packing_slip=False)


def preferences_for(session: Session, token_name: str | None) -> Preferences:
    """The preferences of the token named ``token_name`` (the defaults when there is none)."""
    query = select(ApiToken.label_layout, ApiToken.printer_id, ApiToken.packing_slip)
    found = session.execute(query.where(ApiToken.name == token_name)).first() if token_name else None
    return NO_PREFERENCES if found is None else Preferences(*found)


def workstation_for(session: Session, token_name: str | None) -> Workstation:
    """The workstation of the token named ``token_name`` (the defaults when there is none)."""
    return preferences_for(session, token_name).workstation(session)


def printer_named(session: Session, name: str) -> Printer | None:
    return session.scalar(select(Printer).where(Printer.name == name))


def choose_printer(session: Session, workstation: Workstation, requested: object) -> Printer | None:
    """The printer for one print: ``requested`` is UNSET (the workstation's default), None (no
    printer: the browser prints) or a printer's name. 422 (errors.printer) for an unknown name."""
    if requested is UNSET:
        return workstation.printer
    if requested is None:
        return None
    printer = printer_named(session, str(requested))
    if printer is None:
        raise unknown_printer(str(requested))
    return printer


def save_preferences(session: Session, token_name: str, changes: dict[str, Any]) -> None:
    """Apply ``changes`` (any of label_layout, printer: a name or None, packing_slip) to the
    token's preferences; 404 for an unknown token, 422 for an unknown printer. Not committed."""
    token = session.scalar(select(ApiToken).where(ApiToken.name == token_name))
    if token is None:
        raise NotFound("not_found", f"There is no token named '{token_name}'.")
    if "printer" in changes:
        name = changes["printer"]
        printer = printer_named(session, name) if name is not None else None
        if name is not None and printer is None:
            raise unknown_printer(name)
        token.printer_id = printer.id if printer else None
    if "label_layout" in changes:
        token.label_layout = changes["label_layout"]
    if "packing_slip" in changes:
        token.packing_slip = changes["packing_slip"]
    if changes:
        cache.changed(session)  # every process reads the preferences again (server/cache.py)
    session.flush()


def unknown_printer(name: str) -> Invalid:
    message = f"There is no printer named '{name}': choose one from the list of printers."
    return Invalid("validation_error", message, errors={"printer": [message]})
