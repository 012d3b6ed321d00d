"""The end-of-day manifest where benches meet, on every engine: two benches closing the day at
once, and a print landing while a manifest is made. Each must give one manifest per carrier and
no order in two manifests.

The interleaving that matters is made certain, not left to timing: every close reads what is
due before any of them claims it (a barrier), and the print lands between a close's reading and
its claim. Starshipit is the simulator, which refuses an order manifested twice.
"""

from __future__ import annotations

import threading
from collections import Counter

from sqlalchemy import select

from server.clients import get_upstreams
from server.db import get_database
from server.models import Label, Manifest
from server.orders.manifests import DONE, ManifestService

STARTRACK = {"carrier": "StarTrack", "carrier_service_code": "EXP"}
MANIFEST = "POST /api/orders/manifest"


class PausedClose(ManifestService):
    """A close that, having read what is due, runs ``between`` before it claims anything."""

    def __init__(self, app, actor: str, between) -> None:
        self.owned = get_database(app).sessions()
        super().__init__(self.owned, get_upstreams(app), app.config, actor)
        self.between = between

    def _due(self, now):
        due = super()._due(now)
        self.between()
        return due


def labels_by_manifest(app) -> dict[str, int | None]:
    with get_database(app).sessions() as session:
        return dict(session.execute(select(Label.id, Label.manifest_id).where(Label.kind == "shipment")).all())


def manifests(app) -> list[Manifest]:
    with get_database(app).sessions() as session:
        return list(session.scalars(select(Manifest).order_by(Manifest.id)))


def test_two_benches_closing_at_once_make_one_manifest_per_carrier(app, ship, sandbox, control):
    for n in range(3):
        ship(f"RACE-A{n}")
    for n in range(2):
        ship(f"RACE-S{n}", STARTRACK)
    both_read = threading.Barrier(2, timeout=30)
    closes = [PausedClose(app, f"bench-{n}", both_read.wait) for n in range(2)]
    made: list[list[Manifest]] = [[], []]
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            made[index] = closes[index].close_day()
        except BaseException as error:  # noqa: BLE001 - handed to the test's thread below
            errors.append(error)
        finally:
            closes[index].owned.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors

    rows = manifests(app)
    assert Counter(m.carrier for m in rows) == {"Australia Post": 1, "StarTrack": 1}
    assert all(m.state == DONE for m in rows)
    assert sorted(len(bench) for bench in made) in ([0, 2], [1, 1])  # each carrier closed by one bench
    claimed = labels_by_manifest(app)
    assert None not in claimed.values() and Counter(claimed.values()) == {m.id: m.order_count for m in rows}
    assert control.counters("starshipit")[MANIFEST] == 2
    assert all(order["manifested"] for order in control.starshipit_orders() if order["status"] == "Printed")


def test_an_order_printed_while_the_day_is_closed_goes_into_the_next_manifest(app, ship, control):
    ship("RACE-1")
    late: list[dict] = []
    close = PausedClose(app, "office", lambda: late.append(ship("RACE-2")))
    try:
        (first,) = close.close_day()
    finally:
        close.owned.close()

    assert first.order_count == 1
    claimed = labels_by_manifest(app)
    assert claimed[late[0]["label"]["id"]] is None
    (later,) = PausedClose(app, "office", lambda: None).close_day()
    assert later.order_count == 1 and later.id != first.id
    assert labels_by_manifest(app)[late[0]["label"]["id"]] == later.id
    assert control.counters("starshipit")[MANIFEST] == 2
    assert all(order["manifested"] for order in control.starshipit_orders() if order["status"] == "Printed")
