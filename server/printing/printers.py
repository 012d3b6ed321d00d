"""The network printers registered in settings (``labelbridge printers``, /api/v1/printers)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import cache
from ..failures import Conflict, NotFound
from ..models import Printer
from .workstation import printer_named


def all_printers(session: Session) -> list[Printer]:
    return list(session.scalars(select(Printer).order_by(Printer.name)))


def find_printer(session: Session, name: str) -> Printer:
    """The printer called ``name``; 404 when there is none."""
    printer = printer_named(session, name)
    if printer is None:
        raise NotFound("not_found", f"There is no printer named '{name}'.")
    return printer


def add_printer(session: Session, fields: dict[str, Any]) -> Printer:
    """Register a printer (``fields`` as PrinterCreateSchema loads them); 409 when the name is taken."""
    printer = Printer(**fields)
    session.add(printer)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict(
            "printer_exists", f"A printer named '{fields['name']}' exists already: change it or choose another name."
        ) from None
    return printer


def change_printer(session: Session, name: str, fields: dict[str, Any]) -> Printer:
    printer = find_printer(session, name)
    for key, value in fields.items():
        setattr(printer, key, value)
    session.flush()
    return printer


def remove_printer(session: Session, name: str) -> None:
    """Workstations that printed to it print from the browser again (their printer becomes null)."""
    session.delete(find_printer(session, name))
    cache.changed(session)  # every process reads the workstations' preferences again (server/cache.py)
    session.flush()
