"""What lookups and reprints read of an order, kept per process on PostgreSQL
(server/orders/known_cache.py): kept and served without the database, and forgotten as soon as
any process changes the order, whichever way it does."""

from __future__ import annotations

import os
import select
from collections import namedtuple

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import create_engine, text

from server.db import get_database
from server.orders import known_cache

ON_POSTGRESQL = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
Row = namedtuple("Row", "id label_content")


def reads(outcome: str) -> float:
    return REGISTRY.get_sample_value("labelbridge_order_cache_reads_total", {"outcome": outcome}) or 0.0


def lookup(client, auth, numeric_id: str = "787061") -> dict:
    response = client.get(f"/api/v1/orders/lookup?numeric_id={numeric_id}", headers=auth)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def cache_of(app) -> known_cache.KnownCache:
    with get_database(app).sessions() as session:
        kept = known_cache.for_session(session)
    assert kept is not None
    return kept


def another_process(app, statement: str, **values) -> None:
    """A change committed on a connection of its own, as another process's would be."""
    engine = create_engine(get_database(app).url)
    try:
        with engine.begin() as connection:
            connection.execute(text(statement), values)
    finally:
        engine.dispose()


def caught_up(kept: known_cache.KnownCache) -> None:
    """Every notice committed so far taken in (the round trip a kept row's read makes after a
    commit): a print's own notices then cannot arrive in the middle of the next read."""
    kept.committed()
    with kept._lock:
        assert kept._take_in(make_sure=True)


def notice_arrived(kept: known_cache.KnownCache) -> bool:
    """Whether a notice is waiting on the listening connection (waits for one, 10 s at most)."""
    readable, _, _ = select.select([kept._listener._driver.fileno()], [], [], 10)
    return bool(readable)


@ON_POSTGRESQL
def test_an_order_read_before_is_answered_from_the_process(app, client, auth, print_label):
    printed = print_label(numeric_id="787061").get_json()
    caught_up(cache_of(app))
    first = lookup(client, auth)
    hits = reads("hit")
    assert lookup(client, auth) == first and reads("hit") == hits + 1
    reprint = print_label(numeric_id="787061")
    assert reprint.status_code == 200 and reprint.get_json()["label"]["id"] == printed["label"]["id"]
    assert print_label(numeric_id="787061").get_json()["label"] == reprint.get_json()["label"]
    assert reads("hit") == hits + 2  # the second reprint's read (the first one's was the label's first)


@ON_POSTGRESQL
def test_another_process_change_is_seen_once_its_notice_arrives(app, client, auth, print_label, monkeypatch):
    monkeypatch.setattr(known_cache, "CHECK_SECONDS", 3600.0)  # no periodic round trip: the notice alone
    printed = print_label(numeric_id="787061").get_json()
    assert lookup(client, auth)["tracking_numbers"] == printed["tracking_numbers"]
    kept = cache_of(app)
    another_process(app, "UPDATE sale_orders SET tracking_numbers = '[\"TRK-OTHER\"]' WHERE numeric_id = '787061'")
    assert notice_arrived(kept)
    assert lookup(client, auth)["tracking_numbers"] == ["TRK-OTHER"]


FAILED_JOB = "UPDATE outbox_jobs SET state = 'failed'"


@ON_POSTGRESQL
@pytest.mark.parametrize(
    ("before", "change", "seen"),
    [
        (None, "UPDATE outbox_jobs SET state = 'done'", lambda body: body["writeback"] == "done"),
        (None, "UPDATE labels SET format = 'zpl'", lambda body: body["label"]["format"] == "zpl"),
        (None, "UPDATE sale_orders SET current_label_id = NULL, state = 'new'", lambda body: body["label"] is None),
        (FAILED_JOB, "DELETE FROM outbox_jobs", lambda body: body["writeback"] == "queued"),
        (FAILED_JOB, "TRUNCATE outbox_jobs", lambda body: body["writeback"] == "queued"),
    ],
    ids=["job-updated", "label-updated", "order-updated", "job-deleted", "jobs-truncated"],
)
def test_each_part_of_what_a_lookup_reads_announces_its_change(app, client, auth, print_label, before, change, seen):
    print_label(numeric_id="787061")
    kept = cache_of(app)
    if before:
        another_process(app, before)
        assert notice_arrived(kept)
    assert not seen(lookup(client, auth))
    another_process(app, change)
    assert notice_arrived(kept)
    assert seen(lookup(client, auth))


@ON_POSTGRESQL
def test_this_process_sees_its_own_change_at_once(app, client, auth, print_label, make_token, monkeypatch):
    # The worst case: no notice arrives by itself (a machine too busy to deliver it), only with
    # the answer to a round trip on the listening connection, and no periodic one comes.
    monkeypatch.setattr(known_cache, "CHECK_SECONDS", 3600.0)
    kept = cache_of(app)
    take, late = kept._listener.take, set()

    def notices_only_with_a_round_trip(barrier: bool) -> set[str] | None:
        arrived = take(barrier)
        if arrived is None:
            return None
        late.update(arrived)
        if not barrier:
            return set()  # not arrived yet
        delivered = set(late)
        late.clear()
        return delivered

    monkeypatch.setattr(kept._listener, "take", notices_only_with_a_round_trip)
    printed = print_label(numeric_id="787061").get_json()
    for _ in range(2):  # the print's own notices, delivered by the second's round trip, drop the first's row
        assert lookup(client, auth)["label"]["id"] == printed["label"]["id"]
    hits = reads("hit")
    assert lookup(client, auth)["label"]["id"] == printed["label"]["id"]
    assert reads("hit") == hits + 1  # answered from the process: no round trip due
    supervisor = {"Authorization": f"Bearer {make_token('supervisor-1', 'supervisor')}"}
    label = printed["label"]["id"]
    voided = client.post(f"/api/v1/labels/{label}/void", json={"reason": "Wrong box size"}, headers=supervisor)
    assert voided.status_code == 200, voided.get_json()
    after = lookup(client, auth)
    assert after["state"] == "voided" and after["label"] is None
    again = print_label(numeric_id="787061").get_json()
    assert again["label"]["id"] != printed["label"]["id"] and not again["reprint"]


@ON_POSTGRESQL
def test_a_lost_listening_connection_forgets_everything_until_one_listens_again(app, client, auth, print_label):
    print_label(numeric_id="787061")
    lookup(client, auth)
    kept = cache_of(app)
    another_process(app, "SELECT pg_terminate_backend(:pid)", pid=kept._listener._driver.info.backend_pid)
    another_process(app, "UPDATE sale_orders SET tracking_numbers = '[\"TRK-LOST\"]' WHERE numeric_id = '787061'")
    unkept = reads("unkept")
    assert lookup(client, auth)["tracking_numbers"] == ["TRK-LOST"]  # no notice: read from the database
    assert reads("unkept") == unkept + 1
    kept._listener._retry_at = float("-inf")  # the retry's wait over
    lookup(client, auth)  # listening again: read and kept
    hits = reads("hit")
    assert lookup(client, auth)["tracking_numbers"] == ["TRK-LOST"] and reads("hit") == hits + 1


@ON_POSTGRESQL
def test_a_row_read_while_a_change_came_in_is_not_kept(app):
    kept = cache_of(app)
    kept.read("warm-up", lambda: None)  # listening

    def read_racing_a_change():
        another_process(app, "NOTIFY labelbridge_orders, '7'")
        assert notice_arrived(kept)
        return Row(7, None)

    first = kept.read("order 7", read_racing_a_change)
    second = kept.read("order 7", lambda: Row(7, b"fresh"))
    assert first.label_content is None and second.label_content == b"fresh"
    assert kept.read("order 7", lambda: pytest.fail("read again")) is second


@ON_POSTGRESQL
def test_what_is_kept_stays_within_its_bound_least_recently_read_out_first(app):
    kept = cache_of(app)
    label = b"%" * (1024 * 1024)
    kept._max_bytes = 3 * (len(label) + known_cache.ROW_BYTES)
    for order in (1, 2, 3):
        kept.read(order, lambda order=order: Row(order, label))
    kept.read(1, lambda: pytest.fail("1 was kept"))  # 1 read last: 2 is now the oldest
    kept.read(4, lambda: Row(4, label))
    assert kept.read(2, lambda: Row(2, b"again")).label_content == b"again"
    assert kept._bytes <= kept._max_bytes


def test_nothing_is_kept_on_sqlite_or_when_switched_off(app, postgres_database_required):
    from server import create_app

    with get_database(app).sessions() as session:
        assert (known_cache.for_session(session) is None) == (get_database(app).engine.dialect.name == "sqlite")
    switched_off = create_app({"DATABASE_URL": postgres_database_required, "ORDER_CACHE_MB": 0})
    with get_database(switched_off).sessions() as session:
        assert known_cache.for_session(session) is None
    get_database(switched_off).dispose()


@ON_POSTGRESQL
def test_a_forked_child_leaves_the_parents_listening_connection_alone(app):
    kept = cache_of(app)
    kept.read("order 7", lambda: Row(7, b"old"))
    another_process(app, "NOTIFY labelbridge_orders, '7'")
    assert notice_arrived(kept)  # waiting on the socket the child inherits
    child = os.fork()
    if child == 0:  # the child reads, and exits without running the parent's clean-ups
        try:
            kept.read("order 8", lambda: Row(8, None))
        finally:
            os._exit(0)
    assert os.waitpid(child, 0)[1] == 0
    assert kept.read("order 7", lambda: Row(7, b"new")).label_content == b"new"  # the notice was the parent's
