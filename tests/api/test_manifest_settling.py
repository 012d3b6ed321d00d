"""A manifest whose call got no answer (``unconfirmed``) is settled by the next close of the day,
from what Starshipit shows of its orders: made (``done``, its labels kept) or not (``failed``,
its labels in the next manifest). Never by a list or preview: those only read."""

from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import func, select

from server.clients import get_upstreams
from server.db import get_database
from server.models import Label, Manifest, OrderEvent
from server.orders.manifests import NO_PDF, NOT_MADE, SENDING, UNCONFIRMED, ManifestService

from .test_manifests import close

MANIFEST = "POST /api/orders/manifest"
MANIFEST_PATH = "/api/orders/manifest"


def counters(control) -> dict[str, int]:
    return control.counters("starshipit")


def age_manifests(app, by: timedelta = timedelta(minutes=5)) -> None:
    """As if the manifests were asked ``by`` ago: past the window in which an answer may land."""
    with get_database(app).sessions() as session:
        for manifest in session.scalars(select(Manifest)):
            manifest.created_at -= by
        session.commit()


def events(app) -> int:
    with get_database(app).sessions() as session:
        return session.scalar(select(func.count()).select_from(OrderEvent))


def wait_until(condition, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "Starshipit did not finish the manifest"
        time.sleep(0.05)


def test_a_manifest_made_but_never_answered_is_settled_done_by_the_next_close(app, client, auth, admin, ship, control):
    app.config["HTTP_READ_TIMEOUT"] = 1.5  # before the first call: the clients are made with it
    first, second = ship("MF-1"), ship("MF-2")
    # Starshipit makes the manifest, but answers after the client gave up (3 s: well past the read
    # timeout, which every answer it does not hold beats on a busy machine).
    control.fault(service="starshipit", path=MANIFEST_PATH, timeout=True, timeout_seconds=3, count=1)
    (lost,) = close(client, admin)
    assert lost["state"] == "unconfirmed" and lost["file"] is None
    reads = counters(control)["GET /api/orders"]  # the prints' own
    numbers = [first["starshipit_order"]["order_number"], second["starshipit_order"]["order_number"]]
    wait_until(lambda: all(control.starshipit_orders(number)[0]["manifested"] for number in numbers))

    assert close(client, admin) == []  # still within the window its answer might land in: left alone
    assert counters(control)["GET /api/orders"] == reads

    age_manifests(app)
    before = events(app)
    listed = client.get("/api/v1/manifests", headers=auth).get_json()["manifests"]
    assert [m["state"] for m in listed] == ["unconfirmed"] and events(app) == before  # a GET only reads

    (settled,) = close(client, admin)
    assert settled["id"] == lost["id"] and settled["state"] == "done" and settled["orders"] == 2
    (stored,) = control.starshipit_orders(numbers[0])
    assert settled["manifest_number"] == stored["manifest_number"] is not None
    assert settled["error"] == NO_PDF and settled["file"] is None
    assert counters(control)[MANIFEST] == 1  # never asked again: Starshipit would refuse them
    assert counters(control)["GET /api/orders"] == reads + 2  # each order read back once
    history = client.get("/api/v1/orders/lookup?customer_reference=MF-1", headers=auth)
    assert history.status_code == 200

    ship("MF-3")
    (next_one,) = close(client, admin)  # settled already: not read again
    assert next_one["orders"] == 1 and next_one["state"] == "done"
    assert counters(control)["GET /api/orders"] == reads + 2 + 1  # MF-3's print; the settled one not read again


def test_a_manifest_starshipit_never_made_releases_its_shipments_to_the_next(app, client, auth, admin, ship, control):
    ship("MF-1"), ship("MF-2")
    control.fault(service="starshipit", path=MANIFEST_PATH, status=504, count=1)  # the gateway gave up first
    (lost,) = close(client, admin)
    assert lost["state"] == "unconfirmed"
    assert client.get("/api/v1/manifests/preview", headers=auth).get_json()["total"] == 0  # still held
    age_manifests(app)

    settled, made = close(client, admin)

    assert settled["id"] == lost["id"] and settled["state"] == "failed" and settled["error"] == NOT_MADE
    assert settled["orders"] == 0
    assert made["state"] == "done" and made["orders"] == 2 and made["file"] is not None
    assert counters(control)[MANIFEST] == 2
    assert all(
        order["manifested"] for order in control.starshipit_orders() if order["order_number"] in ("MF-1", "MF-2")
    )
    with get_database(app).sessions() as session:
        kinds = [e.kind for e in session.scalars(select(OrderEvent).where(OrderEvent.sale_order_pk.is_not(None)))]
        assert kinds.count("manifest_released") == 2 and kinds.count("manifested") == 2


def test_a_manifest_left_sending_by_a_close_that_died_is_settled_too(app, client, auth, admin, ship, control):
    ship("MF-1"), ship("MF-2")
    control.fault(service="starshipit", path=MANIFEST_PATH, status=504, count=1)
    (lost,) = close(client, admin)
    with get_database(app).sessions() as session:  # as if the close died before it heard back
        session.get(Manifest, lost["id"]).state = SENDING
        session.commit()
    assert close(client, admin) == []  # it may still be on its way: its labels stay claimed
    age_manifests(app)

    settled, made = close(client, admin)

    assert settled["id"] == lost["id"] and settled["state"] == "failed" and settled["error"] == NOT_MADE
    assert made["state"] == "done" and made["orders"] == 2
    assert counters(control)[MANIFEST] == 2


def test_a_failed_read_back_leaves_it_unconfirmed_for_a_later_close(app, ship, control):
    ship("MF-1")
    control.fault(service="starshipit", path=MANIFEST_PATH, status=504, count=1)
    with get_database(app).sessions() as session:
        (lost,) = ManifestService(session, get_upstreams(app), app.config, "office").close_day()
        assert lost.state == UNCONFIRMED
    age_manifests(app)
    control.fault(service="starshipit", path="/api/orders", method="GET", status=500)

    with get_database(app).sessions() as session:
        assert ManifestService(session, get_upstreams(app), app.config, "office").settle() == []
        (kept,) = session.scalars(select(Manifest))
        assert kept.state == UNCONFIRMED
        assert session.scalar(select(func.count()).select_from(Label).where(Label.manifest_id == kept.id)) == 1
    control.clear_faults()
    with get_database(app).sessions() as session:
        (settled,) = ManifestService(session, get_upstreams(app), app.config, "office").settle()
        assert settled.state == "failed"
