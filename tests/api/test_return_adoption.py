"""A return clone whose answer was lost, asked again once it can no longer land: the earlier clone
is looked up in Starshipit (search by the shipment's number, the full order's ``return_order``)
and adopted, never cloned twice; whatever number Starshipit gives a return. And the clone is
recorded only under a lease still held, like a create."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from server.db import get_database
from server.models import OrderEvent, ReturnShipment, SaleOrder
from server.orders.returns import ReturnService, _numbered_after

from .test_returns import ask_return, printed

CLONE, SEARCH = "POST /api/orders/shipment/clone", "GET /api/orders/search"


def returns_in_starshipit(control) -> list[dict]:
    return [order for order in control.starshipit_orders() if order.get("return_order")]


def age_sent_returns(app, by: timedelta = timedelta(minutes=5)) -> None:
    """As if the clone were sent ``by`` ago: past the window in which its answer could land."""
    with get_database(app).sessions() as session:
        for pending in session.scalars(select(ReturnShipment)):
            pending.sent_at -= by
        session.commit()


def wait_until(condition, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "Starshipit did not finish the clone"
        time.sleep(0.05)


@pytest.mark.parametrize("return_number", ["suffix", "same"])  # <number>-R, or the order's own number
def test_a_clone_whose_answer_was_lost_is_found_and_adopted_not_made_twice(
    app, print_label, client, auth, control, sandbox, return_number
):
    sandbox.state.set_options(starshipit_return_number=return_number)
    app.config["HTTP_READ_TIMEOUT"] = 1.5  # before the first call: the clients are made with it
    shipment = printed(print_label)
    # Starshipit clones, but answers after the client gave up (3 s: well past the read timeout,
    # which every answer it does not hold beats on a busy machine).
    control.fault(service="starshipit", path="/api/orders/shipment/clone", timeout=True, timeout_seconds=3, count=1)
    lost = ask_return(client, auth, shipment["label"]["id"])
    assert lost.status_code == 503
    wait_until(lambda: len(returns_in_starshipit(control)) == 1)
    age_sent_returns(app)

    again = ask_return(client, auth, shipment["label"]["id"])

    assert again.status_code == 201, again.get_json()
    (made,) = returns_in_starshipit(control)
    assert again.get_json()["return_order"] == {"order_id": made["order_id"]} and made["status"] == "Printed"
    counts = control.counters("starshipit")
    assert counts[CLONE] == 1 and counts[SEARCH] == 1
    with get_database(app).sessions() as session:
        kinds = [event.kind for event in session.scalars(select(OrderEvent).where(OrderEvent.kind.like("return_%")))]
    assert "return_adopted" in kinds and "return_cloned" not in kinds


def test_a_clone_starshipit_never_made_is_sent_again_once_it_cannot_land(app, print_label, client, auth, control):
    shipment = printed(print_label)
    control.fault(service="starshipit", path="/api/orders/shipment/clone", status=504, count=1)
    assert ask_return(client, auth, shipment["label"]["id"]).status_code == 503
    age_sent_returns(app)

    again = ask_return(client, auth, shipment["label"]["id"])

    assert again.status_code == 201, again.get_json()
    assert len(returns_in_starshipit(control)) == 1
    assert control.counters("starshipit")[CLONE] == 2  # looked for first: not there, so cloned


def test_a_clone_is_not_sent_by_a_holder_whose_lease_was_taken_over(
    app, print_label, client, auth, control, monkeypatch
):
    shipment = printed(print_label)
    clone = ReturnService._clone

    def taken_over_meanwhile(self, record, pending, lease):
        with get_database(app).sessions() as other:  # another bench's lease, as if this one ran out
            other.execute(update(SaleOrder).where(SaleOrder.id == record.id).values(lock_token="another-bench"))
            other.commit()
        return clone(self, record, pending, lease)

    monkeypatch.setattr(ReturnService, "_clone", taken_over_meanwhile)
    taken = ask_return(client, auth, shipment["label"]["id"])

    assert taken.status_code == 409 and taken.get_json()["code"] == "request_in_progress"
    assert control.counters("starshipit").get(CLONE, 0) == 0 and returns_in_starshipit(control) == []
    with get_database(app).sessions() as session:
        assert session.scalars(select(ReturnShipment)).all() == []  # nothing recorded as sent


@pytest.mark.parametrize(
    ("order_number", "is_its"),
    [("SO-10045", True), ("SO-10045-R", True), ("SO-10045 R", True), ("SO-100451", False), ("SO-100451-R", False)],
)
def test_only_the_shipments_own_number_and_its_suffixes_are_taken_for_its_return(order_number, is_its):
    assert _numbered_after(order_number, "SO-10045") is is_its
