"""A void racing reprints and other voids of the same order, on a threaded server (SQLite and
PostgreSQL): exactly one void reaches Starshipit, a reprint either gets the old label because it
was read before the void, or the one new shipment made after it; never the void label once the
void has answered."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import requests


def test_a_void_racing_reprints_and_a_second_void(live_backend, make_token, control):
    packer = {"Authorization": f"Bearer {make_token()}"}
    supervisor = {"Authorization": f"Bearer {make_token('supervisor-1', 'supervisor')}"}
    url = live_backend.url
    first = requests.post(f"{url}/api/v1/labels", json={"sale_order": {"numeric_id": "787061"}}, headers=packer)
    old = first.json()["label"]["id"]
    voided = threading.Event()
    start = threading.Barrier(12)

    def void(_):
        start.wait()
        response = requests.post(f"{url}/api/v1/labels/{old}/void", json={"reason": "race"}, headers=supervisor)
        voided.set()
        return "void", False, response.status_code, response.json()

    def click(_):
        start.wait()
        after_void = voided.is_set()  # the void had answered before this click was sent
        response = requests.post(
            f"{url}/api/v1/labels", json={"sale_order": {"numeric_id": "787061"}}, headers=packer, timeout=60
        )
        return "click", after_void, response.status_code, response.json()

    with ThreadPoolExecutor(max_workers=12) as pool:
        futures = [pool.submit(void, n) for n in range(2)] + [pool.submit(click, n) for n in range(10)]
        answers = [future.result() for future in futures]

    voids = [(status, body) for kind, _, status, body in answers if kind == "void"]
    assert [status for status, _ in voids] == [200, 200]
    assert sorted(body["already_void"] for _, body in voids) == [False, True]
    counters = control.counters("starshipit")
    assert counters.get("POST /api/orders/archive", 0) == 1

    clicks = [(after, status, body) for kind, after, status, body in answers if kind == "click"]
    new_labels = {
        body["label"]["id"] for _, status, body in clicks if status in (200, 201) and body["label"]["id"] != old
    }
    assert len(new_labels) <= 1  # at most one new shipment, however many clicks came after the void
    for after, status, body in clicks:
        assert status in (200, 201, 409), body
        if status == 201:
            assert body["label"]["id"] in new_labels and body["starshipit_order"]["order_number"] == "SO-10045-V1"
        if after and status in (200, 201):
            assert body["label"]["id"] != old  # a void that has answered is never undone by a reprint
    assert counters.get("POST /api/orders/shipment", 0) == 1 + len(new_labels)

    final = requests.post(f"{url}/api/v1/labels", json={"sale_order": {"numeric_id": "787061"}}, headers=packer)
    assert final.json()["label"]["id"] != old
    assert final.json()["starshipit_order"]["order_number"] == "SO-10045-V1"
    assert len(control.starshipit_orders("SO-10045-V1")) == 1
    (archived,) = control.starshipit_orders("SO-10045")
    assert archived["archived"] is True
