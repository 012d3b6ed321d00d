"""The troubleshooting endpoints against the simulators: preview, settings that change the
preview and the next print, the per-order history, and the SKU table's CSV import."""

from __future__ import annotations

import pytest

from server.clients import get_upstreams
from server.db import get_database
from server.worker import Worker

SHOWCASE = {"customer_reference": "SO-10045", "numeric_id": "787061"}
AU_ADDRESS = {
    "contactName": "Kim Lee",
    "address1": "5 Ann Street",
    "suburb": "Brisbane City",
    "state": {"code": "QLD"},
    "postcode": "4000",
    "country": {"iso2Code": "AU"},
    "phone": "07 3000 0000",
    "email": "kim@example.com",
}
ITEMS = [{"details": {"product": {"references": {"code": "TENT-2P"}}}, "measures": {"quantity": 2}}]


@pytest.fixture
def admin(make_token) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_token('lead', role='admin')}"}


@pytest.fixture
def preview(client, auth):
    def call(**query):
        return client.get("/api/v1/orders/preview", query_string=query, headers=auth)

    return call


def new_order(control, reference: str, requested_service: str = "Express", **address) -> dict:
    return control.create_sale_order(
        {
            "references": {"customer": reference},
            "status": "PACKED",
            "items": ITEMS,
            "details": {
                "deliver": {"address": {**AU_ADDRESS, **address}, "method": {"requestedService": requested_service}}
            },
        }
    )


def codes(issues: list[dict]) -> list[str]:
    return [issue["code"] for issue in issues]


def starshipit_writes(control) -> dict[str, int]:
    return {call: n for call, n in control.counters("starshipit").items() if not call.startswith("GET")}


def test_preview_shows_fields_order_and_warnings_and_creates_nothing(preview, control):
    response = preview(numeric_id=SHOWCASE["numeric_id"])
    assert response.status_code == 200
    body = response.get_json()
    assert body["shippable"] is True and body["blocking"] == []
    assert body["sale_order"]["customer_reference"] == "SO-10045"
    assert body["starshipit_order"]["order_number"] == "SO-10045"
    assert body["starshipit_order"]["destination"]["street"] == "12 Eagle Street"
    assert body["cartoncloud"]["references"]["numericId"] == "787061"
    street = next(row for row in body["fields"] if row["starshipit"] == "destination.street")
    assert street == {
        "starshipit": "destination.street",
        "value": "12 Eagle Street",
        "cartoncloud": "details.deliver.address.address1",
        "cartoncloud_value": "12 Eagle Street",
    }
    assert "default_package" in codes(body["warnings"])
    assert body["address_validation"] == {"checked": True, "valid": True, "suggestions": [], "message": None}
    assert starshipit_writes(control) == {}
    assert control.starshipit_orders("SO-10045") == []


@pytest.mark.parametrize("query", [{"customer_reference": "SO-10045"}, {"numeric_id": "787061"}])
def test_preview_by_uuid_numeric_id_or_reference_agree(client, auth, preview, control, query):
    by_uuid = client.get(f"/api/v1/orders/{control.sale_order('SO-10045')['id']}/preview", headers=auth).get_json()
    assert preview(**query).get_json() == by_uuid


def test_order_with_no_street_is_blocked_with_its_reason(preview, control):
    no_street = new_order(control, "TS-NOSTREET", address1=None)
    body = preview(customer_reference="TS-NOSTREET").get_json()
    assert body["shippable"] is False
    assert [(i["field"], i["code"]) for i in body["blocking"]] == [("details.deliver.address.address1", "no_street")]
    assert body["sale_order"]["id"] == no_street["id"]
    assert body["address_validation"]["checked"] is False


def test_postcode_not_in_the_state_is_a_warning_with_starshipits_suggestion_never_applied(preview, control):
    new_order(control, "TS-POSTCODE", state={"code": "NSW"})
    body = preview(customer_reference="TS-POSTCODE").get_json()
    assert body["shippable"] is True
    warning = next(issue for issue in body["warnings"] if issue["code"] == "address_not_valid")
    assert "state QLD instead of NSW" in warning["message"]
    assert body["address_validation"]["valid"] is False
    assert [s["state"] for s in body["address_validation"]["suggestions"]] == ["QLD"]
    assert body["starshipit_order"]["destination"]["state"] == "NSW"


def test_address_validation_down_is_said_and_does_not_fail_the_preview(preview, control):
    control.fault(service="starshipit", path="/api/address/validate", status=503, rate=1.0)
    body = preview(numeric_id="787061").get_json()
    assert "address_not_checked" in codes(body["warnings"])
    assert body["address_validation"]["checked"] is False


def test_address_validation_can_be_switched_off(preview, client, admin, control):
    assert client.put("/api/v1/settings", json={"validate_addresses": False}, headers=admin).status_code == 200
    body = preview(numeric_id="787061").get_json()
    assert control.counters("starshipit").get("GET /api/address/validate", 0) == 0
    assert body["address_validation"]["checked"] is False


def test_no_phone_for_a_courier_that_needs_one_blocks_in_preview_and_print(
    preview, client, admin, print_label, control
):
    new_order(control, "TS-NOPHONE", phone=None)
    rules = {"carrier_services": {"Express": {"carrier": "StarTrack", "service_code": "PRM"}}}
    assert client.put("/api/v1/settings", json=rules, headers=admin).status_code == 200
    body = preview(customer_reference="TS-NOPHONE").get_json()
    assert codes(body["blocking"]) == ["no_phone_for_carrier"]
    printed = print_label(customer_reference="TS-NOPHONE")
    assert printed.status_code == 422
    assert "StarTrack needs the recipient's phone number" in printed.get_json()["message"]
    assert control.starshipit_orders("TS-NOPHONE") == []


def test_mapping_settings_change_the_preview_and_the_next_print(preview, client, admin, print_label, control):
    before = preview(numeric_id="787061").get_json()["starshipit_order"]
    assert "carrier" not in before and before["reference"] == "787061"
    changes = {
        "carrier_services": {"express": {"carrier": "StarTrack", "service_code": "PRM"}},
        "sku_packages": {"TENT-2P": {"weight_kg": 1.8, "length_m": 0.5}, "BOTTLE-750": {"weight_kg": 0.45}},
        "reference_source": "none",
    }
    assert client.put("/api/v1/settings", json=changes, headers=admin).status_code == 200
    after = preview(numeric_id="787061").get_json()
    order = after["starshipit_order"]
    assert (order["carrier"], order["carrier_service_code"]) == ("StarTrack", "PRM")
    assert order["packages"] == [{"weight": 2.7, "length": 0.5, "width": 0.2, "height": 0.1}]
    assert "reference" not in order and "default_package" not in codes(after["warnings"])

    assert print_label(numeric_id="787061").status_code == 201
    (created,) = control.starshipit_orders("SO-10045")
    assert (created["carrier"], created["carrier_service_code"]) == ("StarTrack", "PRM")
    assert created["packages"][0]["weight"] == 2.7
    assert not created.get("reference")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sku_packages": {"A": {"weight_kg": 0}}}, "sku_packages"),
        ({"carrier_services": {"Express": {"service_code": "PRM"}}}, "carrier_services"),
        ({"reference_source": "invoice"}, "reference_source"),
        ({"phone_required_carriers": "StarTrack"}, "phone_required_carriers"),
    ],
)
def test_invalid_mapping_settings_are_refused_by_field(client, admin, changes, field):
    response = client.put("/api/v1/settings", json=changes, headers=admin)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]


def test_unknown_order_is_404_and_a_bad_query_422(preview, client, auth):
    assert preview(numeric_id="999999999").status_code == 404
    assert preview().status_code == 422
    assert preview(numeric_id="12", customer_reference="X").get_json()["code"] == "validation_error"


def test_history_of_print_writeback_reprint_redo(app, client, auth, print_label, control):
    control.fault(service="starshipit", path="/api/orders/shipment", method="POST", status=400, count=1)
    assert print_label(customer_reference="SO-10045").status_code == 502
    first = print_label(customer_reference="SO-10045").get_json()
    worker = Worker(get_database(app).sessions, get_upstreams(app).cartoncloud, name="worker-1")
    assert worker.run_once() == 1
    assert print_label(numeric_id="787061").status_code == 200
    redo = client.post(
        f"/api/v1/labels/{first['label']['id']}/redo", json={"confirm": True, "reason": "label torn"}, headers=auth
    )
    assert redo.status_code == 201
    assert worker.run_once() == 1

    response = client.get("/api/v1/orders/787061/events", headers=auth)
    assert response.status_code == 200
    body = response.get_json()
    assert body["sale_order"]["customer_reference"] == "SO-10045"
    events = body["events"]
    assert [e["kind"] for e in events] == [
        "starshipit_order_created",
        "error",
        "print",
        "writeback_queued",
        "written_back",
        "reprint",
        "redo_started",  # the old label taken off the order before Starshipit is asked
        "redo",
        "writeback_queued",
        "written_back",
    ]
    error = events[1]["detail"]
    assert error["code"] == "upstream_rejected" and error["message"].startswith(
        "Starshipit refused printing the label: "
    )
    assert events[6]["detail"] == {"label_id": first["label"]["id"], "reason": "label torn"}
    assert events[7]["detail"]["reason"] == "label torn"
    assert events[7]["detail"]["replaces_label_id"] == first["label"]["id"]
    assert events[-1]["detail"]["tracking_numbers"] == redo.get_json()["tracking_numbers"]
    assert all(e["actor"] for e in events)
    by_reference = client.get("/api/v1/orders/SO-10045/events", headers=auth).get_json()
    assert by_reference == body


def test_history_of_an_order_never_handled_is_empty(client, auth):
    body = client.get("/api/v1/orders/787061/events", headers=auth).get_json()
    assert body == {"sale_order": None, "events": []}
    assert client.get("/api/v1/orders/787061/events?limit=0", headers=auth).status_code == 422


def test_csv_import_fills_the_sku_table_and_the_preview_uses_it(client, admin, preview):
    csv = "sku,weight_kg,length_m,width_m,height_m\nTENT-2P,1.8,0.5,0.2,0.15\nBOTTLE-750,0.45,,,\n"
    response = client.post("/api/v1/settings/sku-packages/import", json={"csv": csv}, headers=admin)
    assert response.status_code == 200
    assert response.get_json()["imported"] == 2
    assert response.get_json()["sku_packages"]["TENT-2P"] == {
        "weight_kg": 1.8,
        "length_m": 0.5,
        "width_m": 0.2,
        "height_m": 0.15,
    }
    assert preview(numeric_id="787061").get_json()["starshipit_order"]["packages"][0]["weight"] == 2.7

    more = client.post(
        "/api/v1/settings/sku-packages/import", data="sku,weight_kg\nMUG,0.3\n", content_type="text/csv", headers=admin
    )
    assert more.get_json()["total"] == 3
    replaced = client.post(
        "/api/v1/settings/sku-packages/import?replace=true",
        data="sku,weight_kg\nMUG,0.4\n",
        content_type="text/csv",
        headers=admin,
    )
    assert replaced.get_json()["sku_packages"] == {"MUG": {"weight_kg": 0.4}}


def test_csv_import_with_bad_rows_reports_each_by_line_and_saves_nothing(client, admin):
    csv = "sku,weight_kg\nGOOD,1\nBAD,zero\n,2\n"
    response = client.post("/api/v1/settings/sku-packages/import", json={"csv": csv}, headers=admin)
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == "invalid_csv" and body["message"].startswith("2 rows are invalid")
    assert body["errors"] == {"line 3": ["weight_kg 'zero' is not a positive number."], "line 4": ["sku is empty."]}
    assert client.get("/api/v1/settings", headers=admin).get_json()["sku_packages"] == {}


def test_csv_import_needs_an_admin_token(client, auth):
    response = client.post("/api/v1/settings/sku-packages/import", json={"csv": "sku,weight_kg\nA,1\n"}, headers=auth)
    assert response.status_code == 403


def import_csv(client, admin, data: bytes, content_type: str = "text/csv"):
    return client.post("/api/v1/settings/sku-packages/import", data=data, content_type=content_type, headers=admin)


@pytest.mark.parametrize("body", [b"sku,weight_kg\nMU\x00G,0.3\n", b"sku,weight_kg\nMUG,0.3\x00\n"])
def test_a_csv_body_with_a_nul_is_refused_as_a_json_one_is(client, admin, body):
    response = import_csv(client, admin, body)
    assert response.status_code == 422 and response.get_json()["code"] == "validation_error"
    assert client.get("/api/v1/settings", headers=admin).get_json()["sku_packages"] == {}


def test_a_csv_body_that_is_not_utf8_is_refused_naming_the_line_not_stored_as_replacement_characters(client, admin):
    response = import_csv(client, admin, b"sku,weight_kg\nMUG,0.3\nT\xe9A,0.2\n")
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == "invalid_text" and list(body["errors"]) == ["line 3"]
    assert client.get("/api/v1/settings", headers=admin).get_json()["sku_packages"] == {}


def test_a_csv_body_in_its_declared_charset_is_read_in_it(client, admin):
    response = import_csv(client, admin, "sku,weight_kg\nTÉA,0.2\n".encode("latin-1"), "text/csv; charset=ISO-8859-1")
    assert response.status_code == 200 and response.get_json()["sku_packages"] == {"TÉA": {"weight_kg": 0.2}}
    unknown = import_csv(client, admin, b"sku,weight_kg\nA,1\n", "text/csv; charset=rot13")
    assert unknown.status_code == 415 and unknown.get_json()["code"] == "unsupported_media_type"


def test_a_csv_field_past_the_readers_limit_is_a_422_naming_its_line(client, admin):
    body = b"sku,weight_kg\nMUG,0.3\n" + b"BIG," + b"9" * 900_000 + b"\n"
    response = import_csv(client, admin, body)
    assert response.status_code == 422
    payload = response.get_json()
    assert payload["code"] == "invalid_csv" and list(payload["errors"]) == ["line 3"]
    assert "field larger than field limit" in payload["errors"]["line 3"][0]
