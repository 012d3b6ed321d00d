"""Found by the stateful test with LABELBRIDGE_STATEFUL_OPEN_BUGS=1 (tests/benchmarks/README.md):
a redo voids the order's label in Starshipit (status back to Unshipped) and then prints a new
one. When that print fails, the redo answers a retryable 503, but the order keeps its old label
as the current one, so the next click answers 200 with a label whose shipment Starshipit has
voided: a stored label whose tracking is not the one Starshipit holds (it holds none).
A kill -9 of the serve process between the void and the print does the same (seed 1, SQLite,
10,000 steps, step 107). Killed between the print and storing the label (seed 1, PostgreSQL,
step 1855), Starshipit holds a new label labelbridge never stored: clicks get the voided one
until the tracking poll notices the new tracking (STARSHIPIT_POLL_SECONDS, 120 s by default).

Marked xfail (strict) until server/orders/service.py's redo is fixed; the fix makes it pass,
and strict turns that into a failure that asks for the marker to go."""
from __future__ import annotations

import pytest

from tests.scale.stack import make_sale_orders


@pytest.mark.xfail(strict=True, reason="server bug: a redo whose print fails leaves a voided label current")
def test_a_click_after_a_redo_whose_print_failed_never_gets_the_voided_label(client, auth, sandbox):
    (reference,) = make_sale_orders(sandbox, "REDO", 1)

    def click():
        return client.post("/api/v1/labels", json={"sale_order": {"customer_reference": reference}}, headers=auth)

    first = click()
    assert first.status_code == 201
    sandbox.state.add_fault(service="starshipit", path="/api/orders/shipment", method="POST", status=503, count=1)
    redo = client.post(f"/api/v1/labels/{first.get_json()['label']['id']}/redo",
                       json={"confirm": True, "reason": "damaged"}, headers=auth)  # fmt: skip
    assert redo.status_code == 503 and redo.headers["Retry-After"]  # a clear retryable error, so far so good
    again = click()
    (order,) = [o for o in sandbox.state.starshipit_orders() if o["order_number"] == reference]
    held = [package["tracking_number"] for package in order["packages"]]
    # Today: 200 with the first label's tracking, while Starshipit holds the order Unshipped, without tracking.
    assert again.status_code not in (200, 201) or again.get_json()["tracking_numbers"] == held, (
        again.status_code, again.get_json()["tracking_numbers"], order["status"], held)
