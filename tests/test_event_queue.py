"""A reprint's audit row waits in the process and is written with others (server/event_queue.py):
answering a reprint writes nothing, yet every reprint reaches the history, in the process's order,
and what waits is written at a clean exit."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import select

from server import create_app, event_queue, tokens
from server.db import get_database
from server.demo import sandbox_config
from server.events import queue_event, record_event, record_events
from server.models import OrderEvent, SaleOrder


@pytest.fixture
def batched(sandbox, database_url):
    """An app whose queued rows wait 10 s (the longest allowed): only a flush writes them."""
    app = create_app({**sandbox_config(sandbox), "DATABASE_URL": database_url, "AUDIT_BATCH_SECONDS": 10})
    get_database(app).upgrade()
    yield app
    get_database(app).dispose()


def print_label(app, reference: str):
    """POST /labels as the token bench-1 (made on first use)."""
    if "TEST_TOKEN" not in app.config:
        app.config["TEST_TOKEN"] = _token(app)
    token = app.config["TEST_TOKEN"]
    return app.test_client().post(
        "/api/v1/labels",
        json={"sale_order": {"customer_reference": reference}},
        headers={"Authorization": f"Bearer {token}"},
    )


def _token(app) -> str:
    with get_database(app).sessions() as session:
        return tokens.create_token(session, "bench-1")


def kinds(app) -> list[str]:
    with get_database(app).sessions() as session:
        return list(session.scalars(select(OrderEvent.kind).order_by(OrderEvent.id)))


def test_a_reprint_writes_no_row_until_the_batch_is_written(batched):
    assert print_label(batched, "SO-10045").status_code == 201
    written = kinds(batched)
    reprint = print_label(batched, "SO-10045")
    assert reprint.status_code == 200 and reprint.get_json()["reprint"] is True
    assert kinds(batched) == written  # answered with nothing written
    event_queue.flush(get_database(batched).engine)
    assert kinds(batched) == [*written, "reprint"]
    with get_database(batched).sessions() as session:
        row = session.scalars(select(OrderEvent).where(OrderEvent.kind == "reprint")).one()
    assert row.actor == "bench-1" and row.detail == {"label_id": reprint.get_json()["label"]["id"]}


def test_another_app_on_the_same_engine_keeps_the_rows_waiting(batched):
    """One queue a database: an app started on an engine that has one (the tests keep one engine
    per database) does not leave the rows queued before out of the next flush."""
    assert print_label(batched, "SO-10045").status_code == 201
    assert print_label(batched, "SO-10045").status_code == 200
    engine = get_database(batched).engine
    event_queue.start(engine, 10)  # as a second app of the process on this engine does
    event_queue.flush(engine)
    assert kinds(batched)[-1] == "reprint"
    assert print_label(batched, "SO-10045").status_code == 200
    event_queue.start(engine, 0)  # rows written with their request from now on: what waits is written first
    assert kinds(batched).count("reprint") == 2


def test_the_process_writes_the_batch_itself(sandbox, database_url):
    app = create_app({**sandbox_config(sandbox), "DATABASE_URL": database_url, "AUDIT_BATCH_SECONDS": 0.05})
    get_database(app).upgrade()
    try:
        assert print_label(app, "SO-10045").status_code == 201
        assert print_label(app, "SO-10045").status_code == 200
        writer = event_queue.queue_for(get_database(app).sessions())._writer
        writer.join(timeout=30)  # the writer ends once nothing waits
        assert not writer.is_alive() and kinds(app).count("reprint") == 1
    finally:
        get_database(app).dispose()


def test_without_batching_the_reprint_writes_its_row(sandbox, database_url):
    app = create_app({**sandbox_config(sandbox), "DATABASE_URL": database_url, "AUDIT_BATCH_SECONDS": 0})
    get_database(app).upgrade()
    try:
        assert print_label(app, "SO-10045").status_code == 201
        assert print_label(app, "SO-10045").status_code == 200
        assert kinds(app)[-1] == "reprint"
    finally:
        get_database(app).dispose()


def test_an_event_recorded_with_a_change_comes_after_the_rows_queued_before_it(batched):
    assert print_label(batched, "SO-10045").status_code == 201
    assert print_label(batched, "SO-10045").status_code == 200
    with get_database(batched).sessions() as session:
        record = session.scalars(select(SaleOrder)).one()
        record_event(session, record, "note", "office")
        session.commit()
    assert kinds(batched)[-2:] == ["reprint", "note"]


def test_events_recorded_together_come_after_the_rows_queued_before_them(batched):
    """``record_events`` writes its events in their order, after what the process queued; given
    none, it writes nothing (not even the queued rows)."""
    assert print_label(batched, "SO-10045").status_code == 201
    assert print_label(batched, "SO-10045").status_code == 200  # the reprint's row waits in the queue
    with get_database(batched).sessions() as session:
        record = session.scalars(select(SaleOrder)).one()
        record_events(session, [])
        session.commit()
        assert "reprint" not in kinds(batched)
        record_events(session, [(record, "note", "office", {}), (record, "another_note", "office", {"n": 1})])
        session.commit()
    assert kinds(batched)[-3:] == ["reprint", "note", "another_note"]


def test_rows_taken_by_a_transaction_that_rolls_back_wait_again(batched):
    with get_database(batched).sessions() as session:
        queue_event(session, None, "reprint", "bench-1")
        record_event(session, None, "settings_changed", "office")
        session.flush()
        session.rollback()
    assert kinds(batched) == []
    event_queue.flush(get_database(batched).engine)
    assert kinds(batched) == ["reprint"]


def test_a_clean_exit_writes_what_waits(batched):
    url = get_database(batched).url
    script = textwrap.dedent(
        f"""
        from server import create_app
        from server.db import get_database
        from server.events import queue_event

        app = create_app({{"DATABASE_URL": {url!r}, "AUDIT_BATCH_SECONDS": 10}})
        with get_database(app).sessions() as session:
            queue_event(session, None, "reprint", "bench-exit")
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    assert kinds(batched) == ["reprint"]


def test_the_order_history_shows_a_reprint_just_answered(batched):
    assert print_label(batched, "SO-10045").status_code == 201
    assert print_label(batched, "SO-10045").status_code == 200
    history = batched.test_client().get(
        "/api/v1/orders/SO-10045/events", headers={"Authorization": f"Bearer {batched.config['TEST_TOKEN']}"}
    )
    assert history.status_code == 200
    assert [event["kind"] for event in history.get_json()["events"]][-1] == "reprint"
