"""Sale orders modified since a moment, searched in the form the tenant accepts.

⚠ CartonCloud documents ``DateTimeComparisonCondition`` on the timestamp pointers, but a public
integration finds recently changed orders with day prefixes (``STARTS_WITH "2026-12-01"``),
perhaps because date-time comparisons are not accepted everywhere. So the date-time condition is
asked first; when the tenant refuses it (400 or 422) the same search goes with day prefixes, the
exact times are kept here, and the form that worked is remembered in the database (``settings``
row FORM_KEY, a name outside the run-time settings) so the next polls go straight to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from ..cartoncloud import conditions
from ..cartoncloud.client import CartonCloudClient, SearchPage
from ..http.errors import UpstreamRejected
from ..models import Setting
from .entities import parse_time

DATETIME, DAY_PREFIXES = "datetime", "day_prefixes"
FORM_KEY = "cartoncloud.modified_search"
ACTOR = "trigger:poll"


@dataclass(frozen=True)
class ModifiedSearch:
    form: str
    since: datetime
    until: datetime

    def condition(self, *others: dict) -> dict:
        """``others`` and "modified after ``since``", in this search's form."""
        if self.form == DATETIME:
            modified = conditions.datetime_after(conditions.MODIFIED_TIME, self.since)
        else:
            modified = conditions.on_days(conditions.MODIFIED_TIME, self.since, self.until)
        return conditions.all_of(*others, modified)

    def keeps(self, sale_order: dict) -> bool:
        """Whether a found order was modified after ``since`` (day prefixes find whole days)."""
        if self.form == DATETIME:
            return True
        modified = parse_time(((sale_order.get("timestamps") or {}).get("modified") or {}).get("time"))
        return modified is not None and modified > self.since


def first_page(
    session: Session, cartoncloud: CartonCloudClient, others: list[dict], since: datetime, until: datetime, size: int
) -> tuple[ModifiedSearch, SearchPage]:
    """The search in the form the tenant accepts, and its first page. Commits."""
    search = ModifiedSearch(accepted_form(session), since, until)
    try:
        page = cartoncloud.search_sale_orders(search.condition(*others), page=1, size=size)
    except UpstreamRejected:
        if search.form != DATETIME:
            raise
        search = ModifiedSearch(DAY_PREFIXES, since, until)
        page = cartoncloud.search_sale_orders(search.condition(*others), page=1, size=size)
    _remember(session, search.form)
    return search, page


def accepted_form(session: Session) -> str:
    """The form the tenant last accepted (the date-time condition until one is refused)."""
    row = session.get(Setting, FORM_KEY)
    session.commit()
    return row.value if row is not None and row.value in (DATETIME, DAY_PREFIXES) else DATETIME


def _remember(session: Session, form: str) -> None:
    row = session.get(Setting, FORM_KEY)
    if row is None:
        session.add(Setting(key=FORM_KEY, value=form, updated_by=ACTOR))
    elif row.value != form:
        row.value, row.updated_by = form, ACTOR
    session.commit()
