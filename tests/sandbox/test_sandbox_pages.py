"""The look-alike CartonCloud sale-order pages the extension runs on."""

import re

import pytest

from .helpers import sale_order_by_reference

VIEW = "/app/demo-warehouse/SaleOrders/view"


def test_view_page_has_the_documented_structure(api):
    response = api.get(f"{VIEW}/787061")
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "<title>Sale Order 787061 | CartonCloud</title>" in html
    assert '<h1 class="page-title">Sale Order 787061</h1>' in html
    actions = re.search(r'<div class="page-actions">(.*?)</div>', html, re.S).group(1)
    assert re.findall(r"<button[^>]*>(\w+)</button>", actions) == ["Edit", "Documents"]
    rows = dict(re.findall(r"<tr><th>([^<]+)</th><td>(.*?)</td></tr>", html))
    assert rows["Customer Reference"] == "SO-10045"
    assert "Packed" in rows["Status"]
    assert rows["Customer"] == "Acme Outdoor Supplies"
    assert rows["Warehouse"] == "Brisbane DC"
    assert rows["Requested Service"] == "Express"
    assert rows["Created"] == "18/06/2025 10:00"  # two days before the seed anchor, Brisbane time
    assert "Delivery Address" in html and "12 Eagle Street" in html and "Brisbane City QLD 4000" in html
    assert "Bennett &amp; Co" in html  # escaped
    assert "<td>TENT-2P</td><td>Lightweight 2-Person Tent</td><td>1</td>" in html
    assert "<script" not in html


def test_the_uuid_url_renders_the_same_page(api, state):
    order = sale_order_by_reference(state, "SO-10045")
    by_uuid = api.get(f"/app/demo-warehouse/outbound-orders/{order['id']}").get_data(as_text=True)
    assert by_uuid == api.get(f"{VIEW}/787061").get_data(as_text=True)
    assert api.get(f"/app/demo-warehouse/outbound-orders/{order['id']}/items").status_code == 200


def test_non_ascii_names_render(api, state):
    numeric_id = sale_order_by_reference(state, "SO-10050")["references"]["numericId"]
    assert "渡辺 健" in api.get(f"{VIEW}/{numeric_id}").get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    [
        f"{VIEW}/1",
        "/app/other-tenant/SaleOrders/view/787061",
        "/app/demo-warehouse/outbound-orders/787061",
        "/app/other-tenant/SaleOrders",
    ],
)
def test_unknown_pages_are_404(api, path):
    response = api.get(path)
    assert response.status_code == 404 and "Page not found" in response.get_data(as_text=True)


def test_spa_mode_adds_the_script_and_links_to_other_orders(api):
    html = api.get(f"{VIEW}/787061?spa=1").get_data(as_text=True)
    assert html.count("<script>") == 1 and "history.pushState" in html and "setTimeout" in html
    links = re.findall(r'<a data-spa href="([^"]+)">', html)
    assert links == [f"{VIEW}/{n}?spa=1" for n in (787062, 787063, 787064)]


def test_list_and_home_pages(api):
    assert api.get("/").headers["Location"] == "/app/demo-warehouse/SaleOrders"
    html = api.get("/app/demo-warehouse/SaleOrders").get_data(as_text=True)
    assert html.count(f'href="{VIEW}/') == 60


def test_the_list_has_a_checkbox_per_row_and_select_all(api, state):
    html = api.get("/app/demo-warehouse/SaleOrders").get_data(as_text=True)
    header = re.search(r"<thead>(.*?)</thead>", html, re.S).group(1)
    assert header.count('<input type="checkbox"') == 1 and 'aria-label="Select all"' in header
    rows = re.findall(r"<tr>(.*?)</tr>", re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1), re.S)
    assert len(rows) == 60
    for row, order in zip(rows, state.sale_orders(), strict=False):
        numeric_id = order["references"]["numericId"]
        assert f'<input type="checkbox" name="selected" value="{order["id"]}"' in row
        assert f'<a href="{VIEW}/{numeric_id}">{numeric_id}</a>' in row
    assert html.count("<script>") == 1 and "indeterminate" in html
    assert "1–60 of 60" in html and "Next" not in html


def test_the_list_shows_100_orders_a_page(api, state):
    for number in range(45):
        state.create_sale_order({"references": {"customer": f"LIST-{number}"}, "status": "PACKED"})
    first = api.get("/app/demo-warehouse/SaleOrders").get_data(as_text=True)
    second = api.get("/app/demo-warehouse/SaleOrders?page=2").get_data(as_text=True)
    assert first.count(f'href="{VIEW}/') == 100 and first.count('name="selected"') == 100
    assert second.count(f'href="{VIEW}/') == 5
    assert "1–100 of 105" in first and 'href="/app/demo-warehouse/SaleOrders?page=2">Next' in first
    assert "101–105 of 105" in second and 'href="/app/demo-warehouse/SaleOrders?page=1">Previous' in second
    assert api.get("/app/demo-warehouse/SaleOrders?page=9").get_data(as_text=True) == second  # past the end: the last
