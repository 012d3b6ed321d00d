"""A setting out of bounds or a poller that crashes never stops the webhook queue."""

from __future__ import annotations

import logging

from server import create_app, settings
from server.db import get_database
from server.demo import sandbox_config
from server.models import Setting
from server.sync.polls import CartonCloudPoller

from .conftest import post_tracking


def store_setting(app, name: str, value) -> None:
    """As a labelbridge from before the bounds saved it: straight into the table."""
    with get_database(app).sessions() as session:
        session.add(Setting(key=name, value=value, updated_by="older version"))
        session.commit()


def test_a_stored_poll_interval_past_its_bound_is_ignored_and_the_worker_keeps_working(
    app, client, starshipit_secret, runner, db
):
    store_setting(app, "cartoncloud_poll_seconds", 1e20)
    post_tracking(client, {"order_number": "X-1", "tracking_number": "T-1"})
    summary = runner.run_once()
    assert summary.failed == 0
    (event,) = db.inbox()
    assert event.state == "done"
    with get_database(app).sessions() as session:
        assert settings.current(session, app.config)["cartoncloud_poll_seconds"] == 60.0  # the start-up value


def test_a_stored_setting_past_its_bound_is_warned_about_at_start_up(app, sandbox, database_url, caplog):
    store_setting(app, "starshipit_poll_seconds", 1e20)
    caplog.set_level(logging.WARNING)
    restarted = create_app({**sandbox_config(sandbox), "DATABASE_URL": database_url})
    get_database(restarted).dispose()
    assert "starshipit_poll_seconds is ignored" in caplog.text and "labelbridge settings set" in caplog.text


def test_a_poller_that_crashes_does_not_stop_the_webhook_queue(client, starshipit_secret, runner, db, monkeypatch):
    def crash(self, run):
        raise OverflowError("date value out of range")

    monkeypatch.setattr(CartonCloudPoller, "run", crash)
    post_tracking(client, {"order_number": "X-1", "tracking_number": "T-1"})
    summary = runner.run_once(force=True)
    assert summary.failed == 1 and "cartoncloud.sale_orders poll failed unexpectedly" in summary.errors[0]
    (event,) = db.inbox()
    assert event.state == "done" and event.outcome.startswith("unmatched")
