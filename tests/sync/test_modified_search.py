"""The status-trigger poll on a tenant that refuses date-time conditions: it searches by day
prefixes instead, keeps the exact times itself, and remembers which form the tenant accepts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from server.cartoncloud import conditions
from server.db import get_database
from server.models import Setting
from server.sync.modified_search import DATETIME, DAY_PREFIXES, FORM_KEY, ModifiedSearch

SEARCH = "POST /tenants/{tenant_id}/outbound-orders/search"


def test_day_prefixes_cover_the_window_in_any_time_zone():
    since = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)  # 2026-11-30 in Honolulu
    until = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)  # 2026-12-03 in Kiritimati
    condition = conditions.on_days(conditions.MODIFIED_TIME, since, until)
    assert condition["type"] == "OrCondition"
    assert [c["value"]["value"] for c in condition["conditions"]] == [
        "2026-11-30",
        "2026-12-01",
        "2026-12-02",
        "2026-12-03",
    ]
    assert {c["method"] for c in condition["conditions"]} == {"STARTS_WITH"}
    assert {c["field"]["pointer"] for c in condition["conditions"]} == {"/timestamps/modified/time"}


@pytest.mark.parametrize(
    ("modified", "kept"),
    [
        ("2026-12-02T09:31:00+10:00", True),
        ("2026-12-02T09:29:59+10:00", False),
        ("2026-12-01T23:31:00Z", True),
        (None, False),
    ],
)
def test_day_prefix_results_are_kept_only_when_modified_after_the_moment(modified, kept):
    search = ModifiedSearch(
        DAY_PREFIXES, datetime(2026, 12, 1, 23, 30, tzinfo=UTC), datetime(2026, 12, 2, 1, tzinfo=UTC)
    )
    assert search.keeps({"timestamps": {"modified": {"time": modified} if modified else None}}) is kept
    assert ModifiedSearch(DATETIME, search.since, search.until).keeps({}) is True


def remembered_form(app) -> str | None:
    with get_database(app).sessions() as session:
        row = session.get(Setting, FORM_KEY)
        return row.value if row else None


@pytest.mark.parametrize(("refusal", "form"), [(None, DATETIME), (400, DAY_PREFIXES), (422, DAY_PREFIXES)])
def test_the_trigger_poll_works_whether_or_not_the_tenant_takes_date_time_conditions(
    app, sandbox, new_sale_orders, runner, db, refusal, form
):
    sandbox.state.set_options(cartoncloud_datetime_search=refusal)
    app.config["TRIGGER_LOOKBACK_HOURS"] = 0
    searches = lambda: sandbox.state.counters.snapshot()["cartoncloud"].get(SEARCH, 0)  # noqa: E731
    # Seeded orders packed and dispatched earlier today: found by a day prefix, but before the window.
    assert runner.run_once(force=True).created == 0
    assert db.records() == []
    assert searches() == (2 if refusal else 1)  # a refused date-time search, then the day prefixes
    assert remembered_form(app) == form
    made = new_sale_orders(2)
    assert runner.run_once(force=True).created == 2
    assert searches() == (3 if refusal else 2)  # straight to the form the tenant takes
    assert sorted(record.sale_order_id for record in db.records()) == sorted(order["id"] for order in made)
