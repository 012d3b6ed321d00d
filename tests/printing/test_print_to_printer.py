"""POST /api/v1/labels at a bench: the workstation's layout, its network printer, the packing
slip. A printer that fails never fails the print."""

from __future__ import annotations

import base64
import io
import uuid

from pypdf import PdfReader

from server.sandbox import credentials

SHOWCASE = {"customer_reference": "SO-10045"}


def add_printer(client, admin, name="bench-1", **fields):
    body = {"name": name, "host": "127.0.0.1", "language": "pdf", **fields}
    assert client.post("/api/v1/printers", json=body, headers=admin).status_code == 201


def prefer(client, auth, **preferences):
    assert client.put("/api/v1/workstation", json=preferences, headers=auth).status_code == 200


def print_order(client, auth, headers=None, **extra):
    return client.post("/api/v1/labels", json={"sale_order": SHOWCASE, **extra}, headers={**auth, **(headers or {})})


def content(response) -> bytes:
    return base64.b64decode(response.get_json()["label"]["content_base64"])


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    return [(float(p.cropbox.width), float(p.cropbox.height)) for p in PdfReader(io.BytesIO(pdf)).pages]


def events(client, admin, kind):
    return client.get(f"/api/v1/events?sale_order=SO-10045&kind={kind}", headers=admin).get_json()["events"]


def use_zpl_account(client, admin):
    """Print through the simulator's account whose print setting is ZPL."""
    response = client.put(
        "/api/v1/accounts/starshipit/zpl",
        headers=admin,
        json={
            "api_key": credentials.STARSHIPIT_ZPL_API_KEY,
            "subscription_key": credentials.STARSHIPIT_ZPL_SUBSCRIPTION_KEY,
            "is_default": True,
        },
    )
    assert response.status_code == 200


# --- the network printer -------------------------------------------------------------------


def test_the_workstations_printer_receives_exactly_the_label(client, auth, admin, listener):
    add_printer(client, admin, port=listener.port)
    prefer(client, auth, printer="bench-1")
    response = print_order(client, auth)
    assert response.status_code == 201
    body = response.get_json()
    [job] = listener.wait_for_jobs(1)
    assert job == content(response) and job.startswith(b"%PDF")
    assert body["printer"] == {"name": "bench-1", "status": "sent", "bytes": len(job), "message": None, "warnings": []}
    [sent] = events(client, admin, "printer_sent")
    assert sent["detail"]["label_id"] == body["label"]["id"] and sent["actor"] == "bench-1"


def test_the_request_chooses_another_printer_or_none(client, auth, admin, listener, closed_port):
    add_printer(client, admin, "bench-1", port=closed_port)
    add_printer(client, admin, "bench-2", port=listener.port)
    prefer(client, auth, printer="bench-1")
    chosen = print_order(client, auth, printer="bench-2").get_json()
    assert chosen["printer"]["status"] == "sent" and listener.wait_for_jobs(1)
    none = print_order(client, auth, printer=None).get_json()
    assert none["reprint"] is True and none["printer"] is None and listener.connections == 1


def test_an_unknown_printer_is_refused_before_anything_is_printed(client, auth, control):
    response = print_order(client, auth, printer="nope")
    assert response.status_code == 422 and "printer" in response.get_json()["errors"]
    assert control.starshipit_orders("SO-10045") == []


def test_an_offline_printer_does_not_fail_the_print(client, auth, admin, closed_port):
    add_printer(client, admin, port=closed_port)
    prefer(client, auth, printer="bench-1")
    response = print_order(client, auth)
    assert response.status_code == 201
    body = response.get_json()
    assert body["printer"]["status"] == "failed" and body["printer"]["bytes"] == 0
    assert body["printer"]["message"] == (
        f"Printer 'bench-1' (127.0.0.1:{closed_port}) could not be reached within 5 s: check that it is on, connected "
        f"and takes raw print jobs on port {closed_port}. The label is saved: print it from the browser."
    )
    file = client.get(body["label"]["url"], headers=auth)
    assert file.status_code == 200 and file.data == content(response)
    [failed] = events(client, admin, "printer_failed")
    assert failed["detail"]["label_id"] == body["label"]["id"] and "could not be reached" in failed["detail"]["message"]


def test_a_retried_click_gets_the_same_answer_and_no_second_copy(client, auth, admin, listener):
    add_printer(client, admin, port=listener.port)
    prefer(client, auth, printer="bench-1", label_layout="a4")
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = print_order(client, auth, headers=key)
    again = print_order(client, auth, headers=key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.get_json() == first.get_json()
    assert listener.connections == 1 and listener.wait_for_jobs(1) == [content(first)]
    assert len(events(client, admin, "printer_sent")) == 1


def test_a_redo_goes_to_the_printer_too(client, auth, admin, listener):
    add_printer(client, admin, port=listener.port)
    first = print_order(client, auth).get_json()
    assert first["printer"] is None
    redo = client.post(
        f"/api/v1/labels/{first['label']['id']}/redo",
        headers=auth,
        json={"confirm": True, "reason": "damaged", "printer": "bench-1"},
    )
    assert redo.status_code == 201 and redo.get_json()["printer"]["status"] == "sent"
    assert listener.wait_for_jobs(1) == [content(redo)]


# --- layouts -------------------------------------------------------------------------------


def test_the_label_comes_laid_out_as_the_workstation_prefers(client, auth):
    prefer(client, auth, label_layout="a4")
    response = print_order(client, auth)
    body = response.get_json()
    assert body["label"]["layout"] == "a4" and page_sizes(content(response)) == [(595.28, 841.89)]
    file = client.get(body["label"]["url"], headers=auth)
    assert file.data == content(response)
    original = client.get(body["label"]["url"] + "?layout=original", headers=auth).data
    assert page_sizes(original) == [(288, 432)]  # the stored label is as Starshipit made it
    assert client.get(body["label"]["url"] + "?layout=letter", headers=auth).status_code == 422
    prefer(client, auth, label_layout="4x6")
    reprint = print_order(client, auth).get_json()
    assert reprint["label"]["layout"] == "4x6" and base64.b64decode(reprint["label"]["content_base64"]) == original


def test_a_zpl_account_prints_zpl_untouched_whatever_the_layout(client, auth, admin, listener):
    use_zpl_account(client, admin)
    add_printer(client, admin, "zebra", port=listener.port, language="zpl", dpi=300)
    prefer(client, auth, label_layout="a4", printer="zebra")
    response = print_order(client, auth)
    body = response.get_json()
    zpl = content(response)
    assert body["label"]["format"] == "zpl" and body["label"]["layout"] == "original"
    assert zpl.startswith(b"^XA") and b"^PW812" in zpl and body["tracking_numbers"][0].encode() in zpl
    assert body["printer"]["status"] == "sent" and body["printer"]["warnings"] == [
        "This label is 203 dpi ZPL and printer 'zebra' is 300 dpi: it will print smaller than intended."
    ]
    assert listener.wait_for_jobs(1) == [zpl]
    file = client.get(body["label"]["url"], headers=auth)
    assert file.content_type == "application/zpl" and file.data == zpl


def test_a_zpl_label_is_not_sent_to_a_pdf_printer(client, auth, admin, listener):
    use_zpl_account(client, admin)
    add_printer(client, admin, port=listener.port)
    body = print_order(client, auth, printer="bench-1").get_json()
    assert body["printer"]["status"] == "failed" and "prints PDF and this label is ZPL" in body["printer"]["message"]
    assert listener.connections == 0


# --- packing slips -------------------------------------------------------------------------


def test_the_packing_slip_is_offered_when_the_workstation_wants_it(client, auth, control):
    assert print_order(client, auth).get_json()["packing_slip"] is None
    prefer(client, auth, packing_slip=True)
    body = print_order(client, auth).get_json()
    assert body["packing_slip"] == {"url": f"/api/v1/labels/{body['label']['id']}/packing-slip"}
    slip = client.get(body["packing_slip"]["url"], headers=auth)
    assert slip.status_code == 200 and slip.content_type == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(slip.data)).pages)
    assert "PACKING SLIP" in text and "SO-10045" in text
    assert control.counters("starshipit")["POST /api/orders/packingslips"] == 1
    assert client.get(body["packing_slip"]["url"], headers=auth).data == slip.data
    assert control.counters("starshipit")["POST /api/orders/packingslips"] == 1  # kept: asked once


def test_a_packing_slip_starshipit_cannot_make_is_a_clear_error_tried_again_later(client, auth, control):
    body = print_order(client, auth).get_json()
    url = f"/api/v1/labels/{body['label']['id']}/packing-slip"
    control.fault(
        service="starshipit",
        path="/api/orders/packingslips",
        status=400,
        count=1,
        body={"success": False, "errors": [{"message": "Packing slips are off", "details": "Settings"}]},
    )
    refused = client.get(url, headers=auth)
    assert refused.status_code == 502 and "Packing slips are off" in refused.get_json()["message"]
    assert client.get(url, headers=auth).status_code == 200
    assert client.get("/api/v1/labels/nope/packing-slip", headers=auth).status_code == 404
