"""A first print looks the order up in Starshipit by its number before creating it: an unknown
number answered HTTP 200 "Unable to find order number" (the default) or 404 is "not found"
either way, so the order is created once and printed."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("status", [200, 404])
def test_a_first_print_creates_the_order_whichever_not_found_answer_starshipit_gives(
    sandbox, print_label, control, status
):
    sandbox.state.set_options(starshipit_not_found=status)
    response = print_label(customer_reference="SO-10045")
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["tracking_numbers"]
    calls = control.counters("starshipit")
    assert calls["GET /api/orders"] == 1 and calls["POST /api/orders"] == 1  # looked up, not found, created
    assert len(control.starshipit_orders("SO-10045")) == 1
