"""`labelbridge serve` under gunicorn with several worker processes: many clicks on many orders
at once, on each database engine, make exactly one Starshipit order and one label per order."""

from __future__ import annotations

from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

from .stack import make_sale_orders

ORDERS, REQUESTS = 50, 200


def test_200_concurrent_prints_over_50_orders_make_one_shipment_each(database_url, backend_on, sandbox, control):
    sandbox.state.set_starshipit_rate_limit(1000)
    backend = backend_on(database_url, STARSHIPIT_RATE_PER_SECOND=1000)
    backend.start_serve(3)
    references = make_sale_orders(sandbox, "LOAD", ORDERS)

    def click(n: int):
        response = backend.print_label(references[n % ORDERS])
        return references[n % ORDERS], response.status_code, response.json()

    with ThreadPoolExecutor(max_workers=40) as pool:
        answers = list(pool.map(click, range(REQUESTS)))

    by_order = defaultdict(list)
    for reference, status, body in answers:
        by_order[reference].append((status, body))
    assert len(by_order) == ORDERS
    for reference, results in by_order.items():
        assert sorted(status for status, _ in results) == [200] * (len(results) - 1) + [201], reference
        assert (
            len(
                {
                    (body["label"]["id"], tuple(body["tracking_numbers"]), body["label"]["content_base64"])
                    for _, body in results
                }
            )
            == 1
        ), reference
    created = [o["order_number"] for o in control.starshipit_orders() if o["order_number"].startswith("LOAD-")]
    assert sorted(created) == sorted(references)
    assert control.counters("starshipit").get("POST /api/orders/shipment", 0) == ORDERS
