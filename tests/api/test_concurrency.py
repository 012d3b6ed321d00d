"""Many clicks at once on one order, on a threaded server: one Starshipit order, one label."""

from concurrent.futures import ThreadPoolExecutor

import requests


def test_twenty_concurrent_prints_make_one_shipment(live_backend, make_token, control):
    headers = {"Authorization": f"Bearer {make_token()}"}

    def click(_):
        response = requests.post(
            f"{live_backend.url}/api/v1/labels",
            json={"sale_order": {"numeric_id": "787061"}},
            headers=headers,
            timeout=60,
        )
        return response.status_code, response.json()

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(click, range(20)))

    statuses = sorted(status for status, _ in answers)
    assert statuses == [200] * 19 + [201]
    assert len({body["label"]["id"] for _, body in answers}) == 1
    assert len({tuple(body["tracking_numbers"]) for _, body in answers}) == 1
    assert len({body["label"]["content_base64"] for _, body in answers}) == 1
    assert len(control.starshipit_orders("SO-10045")) == 1
    assert control.counters("starshipit").get("POST /api/orders/shipment", 0) == 1
