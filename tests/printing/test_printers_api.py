"""Network printers (/api/v1/printers) and a workstation's preferences (/api/v1/workstation)."""

from __future__ import annotations

import pytest

from server.models import Printer
from server.printing.printer_jobs import pdf_test_page, zpl_test_page


def add_printer(client, admin, **fields):
    body = {"name": "bench-1", "host": "127.0.0.1", "language": "pdf", **fields}
    response = client.post("/api/v1/printers", json=body, headers=admin)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


# --- printers ------------------------------------------------------------------------------


def test_an_admin_registers_printers_and_every_token_lists_them(client, admin, auth):
    added = add_printer(client, admin, name="bench-2", host="printer-2.local", language="zpl", dpi=300)
    assert added == {
        "id": added["id"],
        "name": "bench-2",
        "host": "printer-2.local",
        "port": 9100,
        "language": "zpl",
        "dpi": 300,
    }
    add_printer(client, admin, name="bench-1", port=9101)
    listed = client.get("/api/v1/printers", headers=auth).get_json()["printers"]
    assert [(p["name"], p["port"], p["dpi"]) for p in listed] == [("bench-1", 9101, 203), ("bench-2", 9100, 300)]


def test_packers_cannot_change_printers(client, auth, admin):
    assert (
        client.post("/api/v1/printers", json={"name": "x", "host": "h", "language": "pdf"}, headers=auth).status_code
        == 403
    )
    add_printer(client, admin)
    assert client.put("/api/v1/printers/bench-1", json={"dpi": 300}, headers=auth).status_code == 403
    assert client.delete("/api/v1/printers/bench-1", headers=auth).status_code == 403


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "bench/1", "host": "h", "language": "pdf"}, "name"),
        ({"name": "bench-1", "host": "h h", "language": "pdf"}, "host"),
        ({"name": "bench-1", "host": "h", "language": "epl"}, "language"),
        ({"name": "bench-1", "host": "h", "language": "pdf", "port": 70000}, "port"),
        ({"name": "bench-1", "host": "h", "language": "pdf", "port": "9100"}, "port"),
        ({"name": "bench-1", "host": "h", "language": "pdf", "dpi": 150}, "dpi"),
        ({"host": "h", "language": "pdf"}, "name"),
    ],
)
def test_a_printer_with_an_invalid_field_is_refused_with_its_name(client, admin, body, field):
    response = client.post("/api/v1/printers", json=body, headers=admin)
    assert response.status_code == 422 and field in response.get_json()["errors"]


def test_a_printer_name_is_taken_once(client, admin):
    add_printer(client, admin)
    response = client.post(
        "/api/v1/printers", json={"name": "bench-1", "host": "other", "language": "zpl"}, headers=admin
    )
    assert response.status_code == 409 and response.get_json()["code"] == "printer_exists"


def test_changing_and_removing_a_printer(client, admin, auth, app):
    add_printer(client, admin)
    changed = client.put("/api/v1/printers/bench-1", json={"host": "10.0.0.9", "dpi": 300}, headers=admin).get_json()
    assert (changed["host"], changed["dpi"], changed["language"]) == ("10.0.0.9", 300, "pdf")
    assert client.put("/api/v1/printers/bench-1", json={}, headers=admin).status_code == 422
    assert client.put("/api/v1/printers/nope", json={"dpi": 300}, headers=admin).status_code == 404
    client.put("/api/v1/workstation", json={"printer": "bench-1"}, headers=auth)
    assert client.delete("/api/v1/printers/bench-1", headers=admin).status_code == 204
    assert client.get("/api/v1/printers", headers=auth).get_json() == {"printers": []}
    assert client.get("/api/v1/workstation", headers=auth).get_json()["printer"] is None
    assert client.delete("/api/v1/printers/bench-1", headers=admin).status_code == 404


def test_a_test_page_in_the_printers_language(client, admin, auth, listener):
    add_printer(client, admin, name="zebra", port=listener.port, language="zpl", dpi=300)
    response = client.post("/api/v1/printers/zebra/test", headers=admin)
    assert response.status_code == 200
    [job] = listener.wait_for_jobs(1)
    assert response.get_json() == {
        "name": "zebra",
        "status": "sent",
        "bytes": len(job),
        "message": None,
        "warnings": [],
    }
    assert job == zpl_test_page(Printer(name="zebra", host="127.0.0.1", port=listener.port, language="zpl", dpi=300))
    assert b"^PW1200" in job  # 4 inches at the printer's 300 dpi
    add_printer(client, admin, name="laser", port=listener.port, language="pdf")
    assert client.post("/api/v1/printers/laser/test", headers=admin).status_code == 200
    assert listener.wait_for_jobs(2)[1].startswith(b"%PDF")
    assert len(pdf_test_page(Printer(name="laser", host="h", port=1, language="pdf", dpi=203))) > 0


def test_a_test_page_to_an_offline_printer_is_a_503_saying_what_to_check(client, admin, auth, closed_port):
    add_printer(client, admin, port=closed_port)
    response = client.post("/api/v1/printers/bench-1/test", headers=admin)
    assert response.status_code == 503 and response.headers["Retry-After"]
    body = response.get_json()
    assert body["code"] == "printer_offline" and "could not be reached" in body["message"]
    assert client.post("/api/v1/printers/nope/test", headers=admin).status_code == 404
    events = client.get("/api/v1/events?kind=printer_failed", headers=admin).get_json()["events"]
    assert [(e["detail"]["printer"], e["detail"]["test_page"]) for e in events] == [("bench-1", True)]


def test_only_an_admin_sends_a_test_page(client, admin, auth, listener):
    """A test page makes the backend connect where the entry says: not for every packer."""
    add_printer(client, admin, port=listener.port)
    response = client.post("/api/v1/printers/bench-1/test", headers=auth)
    assert response.status_code == 403 and response.get_json()["code"] == "forbidden"
    assert listener.connections == 0


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"host": "10.0.0.5", "port": 22}, "port"),
        ({"host": "10.0.0.5", "port": 6379}, "port"),
        ({"host": "127.0.0.1"}, "host"),
        ({"host": "169.254.169.254"}, "host"),
        ({"host": "::1", "port": 631}, "host"),
    ],
)
def test_by_default_printers_are_on_printing_ports_and_not_on_loopback_or_metadata(app, client, admin, fields, field):
    app.config.update(PRINTER_ALLOW_ANY_PORT=False, PRINTER_ALLOW_LOOPBACK=False)
    response = client.post("/api/v1/printers", json={"name": "bench-1", "language": "pdf", **fields}, headers=admin)
    assert response.status_code == 422 and field in response.get_json()["errors"]
    add_printer(client, admin, host="10.0.0.5", port=515)
    changed = client.put("/api/v1/printers/bench-1", json=fields, headers=admin)
    assert changed.status_code == 422 and field in changed.get_json()["errors"]


# --- workstation ---------------------------------------------------------------------------


def test_a_new_workstation_prints_from_the_browser(client, auth):
    assert client.get("/api/v1/workstation", headers=auth).get_json() == {
        "name": "bench-1",
        "label_layout": "original",
        "printer": None,
        "packing_slip": False,
    }


def test_a_workstation_sets_its_own_preferences(client, auth, admin, make_token):
    printer = add_printer(client, admin)
    response = client.put(
        "/api/v1/workstation", json={"label_layout": "4x6", "printer": "bench-1", "packing_slip": True}, headers=auth
    )
    assert response.status_code == 200
    assert response.get_json() == {"name": "bench-1", "label_layout": "4x6", "printer": printer, "packing_slip": True}
    only_layout = client.put("/api/v1/workstation", json={"label_layout": "a4"}, headers=auth).get_json()
    assert (only_layout["label_layout"], only_layout["printer"], only_layout["packing_slip"]) == ("a4", printer, True)
    assert client.put("/api/v1/workstation", json={"printer": None}, headers=auth).get_json()["printer"] is None
    other = {"Authorization": f"Bearer {make_token('bench-2')}"}
    assert client.get("/api/v1/workstation", headers=other).get_json()["label_layout"] == "original"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "_schema"),
        ({"label_layout": "letter"}, "label_layout"),
        ({"packing_slip": "yes"}, "packing_slip"),
        ({"printer": "nope"}, "printer"),
        ({"copies": 2}, "copies"),
    ],
)
def test_invalid_preferences_are_refused_and_nothing_changes(client, auth, body, field):
    response = client.put("/api/v1/workstation", json=body, headers=auth)
    assert response.status_code == 422 and field in response.get_json()["errors"]
    assert client.get("/api/v1/workstation", headers=auth).get_json()["label_layout"] == "original"
