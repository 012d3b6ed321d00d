"""The simulated Starshipit's print settings and documents: an account that prints ZPL, and
packing slips (`POST /api/orders/packingslips`)."""

import base64
import re

import pytest

from server.sandbox import credentials

from .helpers import assert_order_not_found, new_order, pdf_text


@pytest.fixture
def zpl_account(starshipit_as):
    return starshipit_as(credentials.STARSHIPIT_ZPL_API_KEY, credentials.STARSHIPIT_ZPL_SUBSCRIPTION_KEY)


def create(call, number="SO-90001", **fields) -> dict:
    response = call("post", "/api/orders", json=new_order(number, **fields))
    assert response.status_code == 200, response.json
    return response.json["order"]


# --- ZPL ----------------------------------------------------------------------------------


def test_a_zpl_account_prints_one_203_dpi_zpl_label_per_package(zpl_account, api):
    order = create(zpl_account, "SO-ZPL1", packages=[{"weight": 1.0}, {"weight": 2.5}])
    body = zpl_account("post", "/api/orders/shipment", json={"order_id": order["order_id"]}).json
    assert body["success"] is True and len(body["tracking_numbers"]) == 2
    zpl = base64.b64decode(body["labels"][0]).decode("utf-8")
    formats = re.findall(r"\^XA.*?\^XZ", zpl, flags=re.S)
    assert len(formats) == 2 and zpl.strip().endswith("^XZ")
    for tracking_number, format_ in zip(body["tracking_numbers"], formats, strict=False):
        assert "^PW812" in format_ and "^LL1218" in format_  # 4 × 6 inches at 203 dpi
        assert f"^BCN,220,Y,N,N^FH_^FD{tracking_number}^FS" in format_  # Code 128 of the tracking number
        assert "Olivia Bennett" in format_ and "Order: SO-ZPL1" in format_
    label_url = zpl_account("get", f"/api/orders?order_id={order['order_id']}").json["order"]["packages"][0]["labels"][
        0
    ]
    assert label_url["label_url"].endswith(f"/_sandbox/starshipit/labels/{order['order_id']}.zpl")
    served = api.get(f"/_sandbox/starshipit/labels/{order['order_id']}.zpl")
    assert served.status_code == 200 and served.mimetype == "application/zpl" and served.data.decode() == zpl


def test_zpl_field_data_cannot_end_a_field_or_a_label(zpl_account):
    order = create(zpl_account, destination={**new_order()["order"]["destination"], "name": "Ann ^XZ~JA_1"})
    zpl = base64.b64decode(
        zpl_account("post", "/api/orders/shipment", json={"order_id": order["order_id"]}).json["labels"][0]
    )
    assert zpl.count(b"^XZ") == 1 and b"~JA" not in zpl
    assert b"^FH_^FDAnn _5EXZ_7EJA_5F1^FS" in zpl


def test_the_demo_account_still_prints_pdf(starshipit):
    order = create(starshipit)
    label = starshipit("post", "/api/orders/shipment", json={"order_id": order["order_id"]}).json["labels"][0]
    assert base64.b64decode(label).startswith(b"%PDF")


# --- packing slips ------------------------------------------------------------------------


def test_packing_slips_are_a_pdf_page_per_order_with_its_items(starshipit):
    first = create(starshipit, "SO-1", items=[{"sku": "MUG-01", "description": "Blue mug", "quantity": 2}])
    second = create(starshipit, "SO-2", items=[{"sku": "CUP-02", "description": "Tea cup", "quantity": 5}])
    response = starshipit(
        "post", "/api/orders/packingslips", json={"order_ids": [first["order_id"], second["order_id"]]}
    )
    assert response.status_code == 200
    assert response.json["success"] is True and response.json["label_type"] == "PackingSlip"
    text = pdf_text(response.json["pdf"])
    assert text.count("PACKING SLIP") == 2
    assert "Order SO-1" in text and "MUG-01" in text and "Blue mug" in text and "Olivia Bennett" in text
    assert "Order SO-2" in text and "CUP-02" in text


def test_a_packing_summary_totals_each_sku_over_the_orders(starshipit):
    ids = [
        create(starshipit, f"SO-{n}", items=[{"sku": "MUG-01", "description": "Blue mug", "quantity": n}])["order_id"]
        for n in (2, 3)
    ]
    text = pdf_text(
        starshipit("post", "/api/orders/packingslips", json={"order_ids": ids, "summary": True}).json["pdf"]
    )
    assert "PACKING SUMMARY" in text and "MUG-01" in text and "5" in text.split("MUG-01")[1]


@pytest.mark.parametrize(
    "body", [{}, {"order_ids": []}, {"order_ids": ["1"]}, {"order_ids": [1], "summary": "yes"}, []]
)
def test_packing_slips_refuse_a_malformed_request(starshipit, body):
    response = starshipit("post", "/api/orders/packingslips", json=body)
    assert response.status_code == 400 and response.json["success"] is False


def test_packing_slips_see_only_the_accounts_own_orders(starshipit, zpl_account):
    theirs = create(zpl_account)
    response = starshipit("post", "/api/orders/packingslips", json={"order_ids": [theirs["order_id"]]})
    assert_order_not_found(response)
