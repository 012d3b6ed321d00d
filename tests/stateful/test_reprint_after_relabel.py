"""Found by the stateful test (seed 1, SQLite, 10,000 steps, step 254: a batch answered 500): a
batch resolves its orders first and prints them after. When, in between, the tracking poll sees
that an order was relabelled in the Starshipit app, it clears the order's current label (so the
next print fetches the new one). The batch still holds the record it read, with the old label,
so ``PrintService.print_record`` goes to ``_reprint``, which refreshes the record, finds no
current label, and fails on ``None.id`` (server/orders/service.py ``_reprint``): the whole batch
answers 500. A click can meet the same between its resolve and its reprint.

Marked xfail (strict) until the reprint copes with a label cleared meanwhile."""
from __future__ import annotations

import pytest

from server.db import get_database
from server.models import SaleOrder
from server.orders.service import PrintService
from server.sync.runner import SyncRunner
from server.upstreams import get_upstreams
from tests.scale.stack import make_sale_orders


@pytest.mark.filterwarnings("ignore:fully NULL primary key")  # the warning before the AttributeError
@pytest.mark.xfail(strict=True, reason="server bug: a reprint of a label cleared meanwhile fails on None.id")
def test_an_order_read_before_the_poll_cleared_its_label_is_printed_not_a_500(app, client, auth, sandbox):
    (reference,) = make_sale_orders(sandbox, "RELABEL", 1)
    first = client.post("/api/v1/labels", json={"sale_order": {"customer_reference": reference}}, headers=auth)
    assert first.status_code == 201
    (order,) = [o for o in sandbox.state.starshipit_orders() if o["order_number"] == reference]
    relabelled = sandbox.state.starshipit.relabel(order["order_id"])  # in the Starshipit app
    database, upstreams = get_database(app), get_upstreams(app)
    with database.sessions() as session:
        record = session.query(SaleOrder).filter_by(customer_reference=reference).one()  # what a batch resolved
        assert record.current_label_id is not None
        session.commit()
        SyncRunner(database.sessions, upstreams, app.config, name="poll").run_once(force=True)  # sees the relabel
        outcome = PrintService(session, upstreams, app.config, "batch").print_record(record)
        assert outcome.label.tracking_numbers == relabelled["tracking_numbers"]
