"""POST /api/v1/labels/batch against the simulators: many labels in one request, one shipment per
sale order, progress while it runs, one merged document in the order asked for."""

from __future__ import annotations

import io
import re
import threading
import time
import uuid
from datetime import timedelta

import pytest
import requests
from printing.listener import PrinterListener
from pypdf import PdfReader
from sqlalchemy import update

from server.db import get_database
from server.http.retry import RetryPolicy
from server.models import ApiToken, PrintBatch, Printer, utcnow
from server.orders import batch_runs, idempotency

BATCH = "/api/v1/labels/batch"
NO_STREET = "SO-10054"  # seeded: no street in the delivery address
DRAFT = "SO-10056"  # seeded: still a draft
REFUSED_BY_STARSHIPIT = "SO-10055"  # seeded: an address line Starshipit refuses
UNSHIPPABLE = {"DRAFT", "REJECTED"}


def page_orders(content: bytes) -> list[str]:
    """The order number on each page of a PDF of sandbox labels ("Order: <number>")."""
    return [re.search(r"Order: (\S+)", page.extract_text()).group(1) for page in PdfReader(io.BytesIO(content)).pages]


def shippable(control, count: int) -> list[dict]:
    """``count`` seeded sale orders that print (one package each, so one label page each)."""
    orders = [
        o
        for o in control.info()["sale_orders"]
        if o["status"] not in UNSHIPPABLE and o["customer_reference"] not in (NO_STREET, REFUSED_BY_STARSHIPIT)
    ]
    assert len(orders) >= count
    return orders[:count]


def identifiers(orders: list[dict]) -> list[dict]:
    """Each order by one of its identifiers, the three kinds in turn, as pages give them."""
    kinds = ("numeric_id", "customer_reference", "id")
    return [{kinds[i % 3]: order[kinds[i % 3]]} for i, order in enumerate(orders)]


def starshipit_order_numbers(control) -> list[str]:
    return sorted(order["order_number"] for order in control.starshipit_orders())


def post_batch(client, auth, sale_orders, **extra):
    return client.post(BATCH, json={"sale_orders": sale_orders, **extra}, headers=auth)


def deadline_poll(condition, seconds: float = 30.0):
    """``condition()`` until it returns something truthy; fails after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"not true within {seconds} s")


def twenty_five_with_two_bad(control) -> tuple[list[dict], list[str]]:
    """25 identifiers, the 5th without a street and the 18th a draft; and the 23 order numbers
    that print, in request order."""
    good = shippable(control, 23)
    sale_orders = identifiers(good)
    sale_orders.insert(4, {"customer_reference": NO_STREET})
    sale_orders.insert(17, {"numeric_id": control.sale_order(DRAFT)["numeric_id"]})
    return sale_orders, [order["customer_reference"] for order in good]


def test_batch_of_25_with_2_bad_prints_23_merged_in_order(client, auth, control):
    sale_orders, expected = twenty_five_with_two_bad(control)

    response = post_batch(client, auth, sale_orders)

    assert response.status_code == 200
    body = response.get_json()
    assert body["batch"] == {
        "id": body["batch"]["id"],
        "state": "finished",
        "total": 25,
        "done": 25,
        "printed": 23,
        "reprinted": 0,
        "failed": 2,
    }
    results = body["results"]
    assert [result["index"] for result in results] == list(range(25))
    assert [result["sale_order"] for result in results] == sale_orders  # as given
    failed = {result["index"]: result for result in results if result["status"] == "failed"}
    assert sorted(failed) == [4, 17]
    assert failed[4]["error"]["code"] == "sale_order_not_shippable"
    assert "street" in failed[4]["error"]["message"]
    assert "details.deliver.address.address1" in failed[4]["error"]["errors"]
    assert failed[17]["error"]["code"] == "sale_order_not_shippable"
    assert "draft" in failed[17]["error"]["message"]
    assert all(result["label"] is None and result["tracking_numbers"] == [] for result in failed.values())
    printed = [result for result in results if result["status"] == "printed"]
    assert all(result["label"]["format"] == "pdf" and result["label"]["layout"] == "original" for result in printed)
    assert all(result["tracking_numbers"] and result["carrier"] and result["error"] is None for result in printed)

    assert body["file"] == {
        "url": f"/api/v1/labels/batches/{body['batch']['id']}/file",
        "format": "pdf",
        "layout": "original",
        "pages": 23,
    }
    assert body["file_error"] is None and body["printer"] is None
    file = client.get(body["file"]["url"], headers=auth)
    assert file.status_code == 200 and file.content_type == "application/pdf"
    assert page_orders(file.data) == expected
    # each page is that order's own label, with its tracking number
    pages = PdfReader(io.BytesIO(file.data)).pages
    assert all(
        result["tracking_numbers"][0] in page.extract_text() for result, page in zip(printed, pages, strict=False)
    )

    # one Starshipit order per printed sale order, none for the bad ones; created in bulk
    assert starshipit_order_numbers(control) == sorted(expected)
    calls = control.counters("starshipit")
    assert calls.get("POST /api/orders/import") == 1
    assert calls.get("POST /api/orders", 0) == 0
    assert calls.get("POST /api/orders/shipment") == 23


def test_a_second_batch_reprints_and_makes_no_new_shipment(client, auth, control):
    sale_orders, expected = twenty_five_with_two_bad(control)
    first = post_batch(client, auth, sale_orders).get_json()
    orders_after_first = control.starshipit_orders()
    calls_after_first = control.counters("starshipit")

    second = post_batch(client, auth, sale_orders)

    assert second.status_code == 200
    body = second.get_json()
    assert body["batch"]["id"] != first["batch"]["id"]
    assert (body["batch"]["printed"], body["batch"]["reprinted"], body["batch"]["failed"]) == (0, 23, 2)
    for before, after in zip(first["results"], body["results"], strict=False):
        assert after["status"] == ("failed" if before["status"] == "failed" else "reprinted")
        assert after["label"] == before["label"] and after["tracking_numbers"] == before["tracking_numbers"]
    assert control.starshipit_orders() == orders_after_first
    calls = control.counters("starshipit")
    for call in ("POST /api/orders", "POST /api/orders/import", "POST /api/orders/shipment"):
        assert calls.get(call, 0) == calls_after_first.get(call, 0), call
    assert page_orders(client.get(body["file"]["url"], headers=auth).data) == expected


def test_orders_printed_one_by_one_before_come_back_as_reprints(client, auth, control, print_label):
    orders = shippable(control, 3)
    single = print_label(customer_reference=orders[1]["customer_reference"]).get_json()

    body = post_batch(client, auth, identifiers(orders)).get_json()

    assert [result["status"] for result in body["results"]] == ["printed", "reprinted", "printed"]
    assert body["results"][1]["label"]["id"] == single["label"]["id"]
    assert starshipit_order_numbers(control) == sorted(order["customer_reference"] for order in orders)


def test_progress_is_visible_from_another_request_while_the_batch_runs(live_backend, make_token, control):
    headers = {"Authorization": f"Bearer {make_token()}"}
    # each label takes a while, so the batch is seen half way
    control.fault(service="starshipit", path="/api/orders/shipment", method="POST", latency_ms=250)
    batch_id = str(uuid.uuid4())
    body = {"batch_id": batch_id, "sale_orders": identifiers(shippable(control, 6))}
    answer = {}
    poster = threading.Thread(
        target=lambda: answer.update(
            response=requests.post(f"{live_backend.url}{BATCH}", json=body, headers=headers, timeout=60)
        )
    )
    poster.start()
    try:

        def half_way():
            response = requests.get(f"{live_backend.url}/api/v1/labels/batches/{batch_id}", headers=headers, timeout=10)
            progress = response.json() if response.status_code == 200 else None
            return (
                progress
                if progress and progress["batch"]["state"] == "running" and progress["batch"]["done"] >= 1
                else None
            )

        progress = deadline_poll(half_way)
    finally:
        poster.join(timeout=60)
    assert progress["batch"]["total"] == 6 and 1 <= progress["batch"]["done"] < 6
    assert len(progress["results"]) == progress["batch"]["done"]
    assert progress["file"] is None and progress["file_error"] is None
    assert [result["index"] for result in progress["results"]] == list(range(progress["batch"]["done"]))
    early = requests.get(f"{live_backend.url}/api/v1/labels/batches/{batch_id}/file", headers=headers, timeout=10)

    final = answer["response"]
    assert final.status_code == 200 and final.json()["batch"]["state"] == "finished"
    assert final.json()["batch"]["printed"] == 6
    after = requests.get(f"{live_backend.url}/api/v1/labels/batches/{batch_id}", headers=headers, timeout=10)
    assert after.json() == final.json()
    # the file while the batch ran was either not ready yet or, if it had finished meanwhile, the file
    assert early.status_code in (409, 200)
    if early.status_code == 409:
        assert early.json()["code"] == "batch_in_progress" and "Retry-After" in early.headers


def test_the_same_batch_again_replays_its_answer(client, auth, control):
    body = {"batch_id": str(uuid.uuid4()), "sale_orders": identifiers(shippable(control, 3))}
    first = client.post(BATCH, json=body, headers=auth)
    calls = (control.counters("starshipit"), control.counters("cartoncloud"))

    replay = client.post(BATCH, json=body, headers=auth)

    assert first.status_code == replay.status_code == 200
    assert replay.get_json() == first.get_json()
    assert (control.counters("starshipit"), control.counters("cartoncloud")) == calls


def test_the_same_batch_id_for_another_body_is_422(client, auth, control):
    orders = identifiers(shippable(control, 3))
    batch_id = str(uuid.uuid4())
    assert client.post(BATCH, json={"batch_id": batch_id, "sale_orders": orders}, headers=auth).status_code == 200

    response = client.post(BATCH, json={"batch_id": batch_id, "sale_orders": orders[:2]}, headers=auth)

    assert response.status_code == 422
    assert response.get_json()["code"] == "batch_id_reused"
    assert "batch_id" in response.get_json()["errors"]


def claim_running(app, token_name: str, body: dict, *, age: timedelta = timedelta(0)) -> None:
    """A batch another request began (and, with ``age``, left that long ago)."""
    request_hash = idempotency.fingerprint("POST", BATCH, body)
    with get_database(app).sessions() as session:
        claim = batch_runs.claim(
            session, body["batch_id"], token_name, request_hash, len(body["sale_orders"]), timedelta(minutes=2)
        )
        assert claim.run
        if age:
            session.execute(
                update(PrintBatch).where(PrintBatch.id == body["batch_id"]).values(updated_at=utcnow() - age)
            )
            session.commit()


def test_a_batch_still_running_is_409_with_retry_after(app, client, auth, control):
    body = {"batch_id": str(uuid.uuid4()), "sale_orders": identifiers(shippable(control, 2))}
    claim_running(app, "bench-1", body)

    response = client.post(BATCH, json=body, headers=auth)

    assert response.status_code == 409
    assert response.get_json()["code"] == "batch_in_progress"
    assert response.headers["Retry-After"] == "2"
    progress = client.get(f"/api/v1/labels/batches/{body['batch_id']}", headers=auth).get_json()
    assert progress["batch"]["state"] == "running" and progress["batch"]["done"] == 0
    file = client.get(f"/api/v1/labels/batches/{body['batch_id']}/file", headers=auth)
    assert file.status_code == 409 and file.get_json()["code"] == "batch_in_progress"
    assert control.counters("starshipit") == {}


def test_an_abandoned_batch_is_taken_over_by_the_same_request(app, client, auth, control, print_label):
    orders = shippable(control, 3)
    body = {"batch_id": str(uuid.uuid4()), "sale_orders": identifiers(orders)}
    # its process printed the first order, then was killed, leaving the batch running
    print_label(**body["sale_orders"][0])
    claim_running(app, "bench-1", body, age=timedelta(minutes=10))

    response = client.post(BATCH, json=body, headers=auth)

    assert response.status_code == 200
    result = response.get_json()
    assert result["batch"]["state"] == "finished" and result["batch"]["done"] == 3
    assert [r["status"] for r in result["results"]] == ["reprinted", "printed", "printed"]
    assert starshipit_order_numbers(control) == sorted(order["customer_reference"] for order in orders)
    assert client.post(BATCH, json=body, headers=auth).get_json() == result  # and is kept as the answer


def test_a_single_print_and_a_batch_at_once_make_one_shipment(live_backend, make_token, control):
    headers = {"Authorization": f"Bearer {make_token()}"}
    orders = shippable(control, 4)
    target = orders[2]
    # slow Starshipit, so the two requests overlap
    control.fault(service="starshipit", path="/api/orders*", latency_ms=100)
    start = threading.Barrier(2)
    answers: dict[str, requests.Response] = {}

    def single():
        start.wait()
        answers["single"] = requests.post(
            f"{live_backend.url}/api/v1/labels",
            headers=headers,
            timeout=60,
            json={"sale_order": {"customer_reference": target["customer_reference"]}},
        )

    def batch():
        start.wait()
        answers["batch"] = requests.post(
            f"{live_backend.url}{BATCH}", headers=headers, timeout=60, json={"sale_orders": identifiers(orders)}
        )

    threads = [threading.Thread(target=single), threading.Thread(target=batch)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert answers["single"].status_code in (200, 201)
    single_label = answers["single"].json()["label"]["id"]
    batch_body = answers["batch"].json()
    assert answers["batch"].status_code == 200 and batch_body["batch"]["failed"] == 0
    assert batch_body["results"][2]["label"]["id"] == single_label
    # exactly one of the two printed it
    assert (answers["single"].status_code == 201) != (batch_body["results"][2]["status"] == "printed")
    assert len(control.starshipit_orders(target["customer_reference"])) == 1
    assert starshipit_order_numbers(control) == sorted(order["customer_reference"] for order in orders)
    assert control.counters("starshipit")["POST /api/orders/shipment"] == 4


def test_another_tokens_batch_is_404(client, auth, make_token, control):
    body = post_batch(client, auth, identifiers(shippable(control, 1))).get_json()
    other = {"Authorization": f"Bearer {make_token('bench-2')}"}

    for path in (f"/api/v1/labels/batches/{body['batch']['id']}", body["file"]["url"]):
        response = client.get(path, headers=other)
        assert response.status_code == 404
        assert response.get_json()["code"] == "not_found"
    again = client.post(
        BATCH, json={"batch_id": body["batch"]["id"], "sale_orders": [{"numeric_id": "787061"}]}, headers=other
    )
    assert again.status_code == 422 and again.get_json()["code"] == "batch_id_reused"
    assert client.get("/api/v1/labels/batches/no-such-batch", headers=auth).status_code == 404


def test_a_batch_with_no_label_has_no_file_and_says_why(client, auth, control):
    response = post_batch(client, auth, [{"customer_reference": NO_STREET}, {"numeric_id": "999999999"}])

    body = response.get_json()
    assert response.status_code == 200 and body["batch"]["failed"] == 2
    assert [result["error"]["code"] for result in body["results"]] == ["sale_order_not_shippable", "not_found"]
    assert body["file"] is None
    assert body["file_error"] == "No order of this batch has a label, so there is nothing to print."
    file = client.get(f"/api/v1/labels/batches/{body['batch']['id']}/file", headers=auth)
    assert file.status_code == 404 and "nothing to print" in file.get_json()["message"]


def test_the_same_sale_order_twice_under_two_identifiers_prints_once(client, auth, control):
    order = shippable(control, 1)[0]
    response = post_batch(client, auth, [{"numeric_id": order["numeric_id"]}, {"id": order["id"]}])

    results = response.get_json()["results"]
    assert [result["status"] for result in results] == ["printed", "failed"]
    assert results[1]["error"]["code"] == "duplicate_sale_order"
    assert "item 0" in results[1]["error"]["message"]
    assert response.get_json()["file"]["pages"] == 1


def test_when_starshipit_is_down_the_rest_are_not_tried(client, auth, control, print_label):
    orders = shippable(control, 5)
    print_label(customer_reference=orders[4]["customer_reference"])  # has its label already
    labels_asked = control.counters("starshipit")["POST /api/orders/shipment"]
    control.fault(service="starshipit", path="/api/orders/shipment", method="POST", status=503)

    body = post_batch(client, auth, identifiers(orders)).get_json()

    statuses = [result["status"] for result in body["results"]]
    assert statuses == ["failed"] * 4 + ["reprinted"]
    codes = [result["error"]["code"] for result in body["results"][:4]]
    assert codes == ["upstream_unavailable"] * 4
    assert "Starshipit is not answering" in body["results"][0]["error"]["message"]
    assert body["results"][2]["error"]["message"].startswith("Not tried, as an earlier order of this batch failed:")
    assert control.counters("starshipit")["POST /api/orders/shipment"] == labels_asked + 2  # then it stopped
    assert body["file"]["pages"] == 1


def test_invalid_bodies_are_422_with_each_field(client, auth):
    def errors(body):
        response = client.post(BATCH, json=body, headers=auth)
        assert response.status_code == 422
        assert response.get_json()["code"] == "validation_error"
        return response.get_json()["errors"]

    assert "sale_orders" in errors({})
    assert "sale_orders" in errors({"sale_orders": []})
    assert "sale_orders" in errors({"sale_orders": [{"numeric_id": str(787000 + n)} for n in range(101)]})
    repeated = errors(
        {"sale_orders": [{"numeric_id": "787061"}, {"customer_reference": "SO-1"}, {"numeric_id": "787061"}]}
    )
    assert repeated == {"sale_orders": {"2": ["Repeats item 0: give each sale order once."]}}
    two = errors({"sale_orders": [{"numeric_id": "787061"}, {"numeric_id": "787062", "customer_reference": "SO-1"}]})
    assert list(two["sale_orders"]) == ["1"]
    assert "numeric_id" in errors({"sale_orders": [{"numeric_id": "78706a"}]})["sale_orders"]["0"]
    assert "batch_id" in errors({"batch_id": "not-a-uuid", "sale_orders": [{"numeric_id": "787061"}]})
    assert "copies" in errors({"sale_orders": [{"numeric_id": "787061"}], "copies": 2})
    assert "printer" in errors({"sale_orders": [{"numeric_id": "787061"}], "printer": "no-such-printer"})


def test_another_tenants_page_is_refused(client, auth, control):
    response = post_batch(client, auth, [{"numeric_id": "787061"}], tenant_slug="someone-else")
    assert response.status_code == 422
    assert response.get_json()["code"] == "wrong_tenant"
    assert control.counters("starshipit") == {}


@pytest.fixture
def printer():
    listener = PrinterListener()  # tests/printing: a raw-printing printer on loopback
    yield listener
    listener.close()


def test_the_merged_document_goes_to_the_workstations_printer_laid_out(app, client, auth, control, printer):
    with get_database(app).sessions() as session:
        session.add(Printer(name="bench-laser", host="127.0.0.1", port=printer.port, language="pdf", dpi=203))
        session.flush()
        token = session.query(ApiToken).filter_by(name="bench-1").one()
        token.printer_id = session.query(Printer).filter_by(name="bench-laser").one().id
        token.label_layout = "a4"
        session.commit()
    orders = shippable(control, 3)
    request_body = {"batch_id": str(uuid.uuid4()), "sale_orders": identifiers(orders)}

    body = client.post(BATCH, json=request_body, headers=auth).get_json()

    [job] = printer.wait_for_jobs(1)
    assert body["printer"] == {
        "name": "bench-laser",
        "status": "sent",
        "bytes": len(job),
        "message": None,
        "warnings": [],
    }
    assert body["file"]["layout"] == "a4"
    assert all(result["label"]["layout"] == "a4" for result in body["results"])
    served = client.get(body["file"]["url"], headers=auth).data
    assert job == served  # the same laid-out document, sent once
    assert len(PdfReader(io.BytesIO(served)).pages) == body["file"]["pages"] < 3  # labels side by side on A4
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(served)).pages)
    numbers = re.findall(r"Order: (\S+)", text)
    assert numbers == [order["customer_reference"] for order in orders]
    original = client.get(f"{body['file']['url']}?layout=original", headers=auth).data
    assert len(PdfReader(io.BytesIO(original)).pages) == 3
    # the same request again (its answer lost) is answered from the batch, not printed again
    replay = client.post(BATCH, json=request_body, headers=auth).get_json()
    assert replay["printer"] is None and replay["results"] == body["results"]


def test_printer_null_sends_nothing(app, client, auth, control):
    with get_database(app).sessions() as session:
        session.add(Printer(name="bench-laser", host="127.0.0.1", port=9, language="pdf", dpi=203))
        session.flush()
        token = session.query(ApiToken).filter_by(name="bench-1").one()
        token.printer_id = session.query(Printer).filter_by(name="bench-laser").one().id
        session.commit()

    body = post_batch(client, auth, identifiers(shippable(control, 1)), printer=None).get_json()

    assert body["printer"] is None and body["file"]["pages"] == 1


def route_customer_to_the_zpl_account(client, make_token, sale_order: dict) -> None:
    """The sale order's customer ships from the sandbox's Starshipit account that prints ZPL."""
    from server.sandbox import credentials

    admin = {"Authorization": f"Bearer {make_token('admin-1', role='admin')}"}
    saved = client.put(
        "/api/v1/accounts/starshipit/zpl",
        headers=admin,
        json={
            "api_key": credentials.STARSHIPIT_ZPL_API_KEY,
            "subscription_key": credentials.STARSHIPIT_ZPL_SUBSCRIPTION_KEY,
        },
    )
    assert saved.status_code == 200, saved.get_json()
    rule = {"match_field": "customer_id", "match_value": sale_order["customer"]["id"], "account": "zpl"}
    assert client.put("/api/v1/routes", json=rule, headers=admin).status_code == 200


def test_labels_in_two_formats_make_no_file_and_the_batch_says_why(client, auth, make_token, sandbox, control):
    orders = shippable(control, 6)
    store = {o["id"]: o for o in sandbox.state.sale_orders()}
    customers = [store[order["id"]]["customer"]["id"] for order in orders]
    zpl_order = next(order for order, customer in zip(orders, customers, strict=False) if customer != customers[0])
    route_customer_to_the_zpl_account(client, make_token, store[zpl_order["id"]])

    body = post_batch(client, auth, identifiers(orders)).get_json()

    formats = {result["label"]["format"] for result in body["results"]}
    assert formats == {"pdf", "zpl"} and body["batch"]["printed"] == 6
    assert body["file"] is None
    assert body["file_error"] == (
        "The labels came from Starshipit in different formats (pdf, zpl), so they cannot be "
        "printed as one document: print each order's label on its own."
    )
    assert all(client.get(result["label"]["url"], headers=auth).status_code == 200 for result in body["results"])


def test_zpl_labels_are_joined_into_one_print_job(client, auth, make_token, sandbox, control):
    store = {o["id"]: o for o in sandbox.state.sale_orders()}
    first = shippable(control, 1)[0]
    customer = store[first["id"]]["customer"]["id"]
    orders = [o for o in shippable(control, 40) if store[o["id"]]["customer"]["id"] == customer][:3]
    route_customer_to_the_zpl_account(client, make_token, store[first["id"]])

    body = post_batch(client, auth, identifiers(orders)).get_json()

    assert body["file"]["format"] == "zpl" and body["file"]["pages"] is None and body["file"]["layout"] == "original"
    job = client.get(body["file"]["url"], headers=auth)
    assert job.status_code == 200 and job.content_type == "application/zpl"
    labels = [client.get(result["label"]["url"], headers=auth).data for result in body["results"]]
    assert job.data == b"".join(labels) and job.data.count(b"^XA") == 3
    order_numbers = [order["customer_reference"] for order in orders]
    assert [job.data.index(number.encode()) for number in order_numbers] == sorted(
        job.data.index(number.encode()) for number in order_numbers
    )


def test_orders_left_when_the_time_is_up_are_not_tried_and_say_so(client, auth, control, print_label, monkeypatch):
    from server.orders import batch

    orders = shippable(control, 3)
    print_label(customer_reference=orders[1]["customer_reference"])
    monkeypatch.setattr(batch, "TIME_BUDGET_SECONDS", 0)  # as if the batch had run for as long as it may
    calls = (control.counters("starshipit"), control.counters("cartoncloud"))

    body = post_batch(client, auth, identifiers(orders)).get_json()

    assert [result["status"] for result in body["results"]] == ["failed", "reprinted", "failed"]
    assert {result["error"]["code"] for result in body["results"] if result["error"]} == {"batch_time_up"}
    assert "Print the batch again for the rest" in body["results"][0]["error"]["message"]
    assert (control.counters("starshipit"), control.counters("cartoncloud")) == calls  # nothing tried upstream
    assert body["file"]["pages"] == 1


def test_when_cartoncloud_is_down_known_orders_still_print(client, auth, control, print_label):
    orders = shippable(control, 5)
    print_label(customer_reference=orders[3]["customer_reference"])  # labelbridge knows it now
    control.fault(service="cartoncloud", path="*/outbound-orders/*", status=503)
    searches = control.counters("cartoncloud").get("POST /tenants/{tenant_id}/outbound-orders/search", 0)
    references = [{"customer_reference": order["customer_reference"]} for order in orders]

    body = post_batch(client, auth, references).get_json()

    assert [result["status"] for result in body["results"]] == ["failed"] * 3 + ["reprinted", "failed"]
    assert "CartonCloud is not answering" in body["results"][0]["error"]["message"]
    assert body["results"][2]["error"]["message"].startswith("Not tried, as an earlier order of this batch failed:")
    assert body["results"][4]["error"]["code"] == "upstream_unavailable"
    # two orders tried (each retried by the client as it retries any safe read), then no more
    made = control.counters("cartoncloud")["POST /tenants/{tenant_id}/outbound-orders/search"] - searches
    assert made == 2 * RetryPolicy.max_attempts


def test_an_order_starshipit_refuses_fails_in_its_words_and_the_rest_print(client, auth, control):
    orders = shippable(control, 4)
    sale_orders = identifiers(orders)
    sale_orders.insert(2, {"customer_reference": REFUSED_BY_STARSHIPIT})  # its import is refused as a whole

    body = post_batch(client, auth, sale_orders).get_json()

    assert [result["status"] for result in body["results"]] == ["printed", "printed", "failed", "printed", "printed"]
    error = body["results"][2]["error"]
    assert error["code"] == "upstream_rejected"
    assert error["message"].startswith("Starshipit refused creating the order: ")
    assert starshipit_order_numbers(control) == sorted(order["customer_reference"] for order in orders)
    assert page_orders(client.get(body["file"]["url"], headers=auth).data) == [o["customer_reference"] for o in orders]
