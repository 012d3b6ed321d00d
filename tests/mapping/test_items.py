"""Sale order lines -> Starshipit items."""

import pytest

from server.mapping import build_starshipit_order

from .orders import MISSING, codes, load_order, only

LINE = "items.0"


def items_of(changes: dict) -> tuple[list, list]:
    order, warnings = build_starshipit_order(load_order("au_full", changes))
    return order["items"], warnings


def item_warnings(warnings: list) -> list[tuple[str, str]]:
    return [entry for entry in codes(warnings) if entry != ("packages", "default_package")]


@pytest.mark.parametrize(
    ("quantity", "expected"),
    [(25, 25), (25.0, 25), (2.5, 2.5), (1, 1)],
)
def test_quantity_is_a_whole_number_when_it_is_one(quantity, expected):
    items, warnings = items_of({f"{LINE}.measures.quantity": quantity})

    assert items[0]["quantity"] == expected
    assert type(items[0]["quantity"]) is type(expected)
    assert item_warnings(warnings) == []


@pytest.mark.parametrize("quantity", [0, 0.0, -3])
def test_zero_or_negative_quantity_is_a_warning(quantity):
    items, warnings = items_of({f"{LINE}.measures.quantity": quantity})

    assert items[0]["quantity"] == quantity
    issue = only(warnings, "zero_quantity")
    assert issue.field == f"{LINE}.measures.quantity"
    assert issue.message.startswith("Item 1 (SKU123) has quantity")


@pytest.mark.parametrize(
    "changes",
    [
        {f"{LINE}.measures.quantity": None},
        {f"{LINE}.measures.quantity": "25"},
        {f"{LINE}.measures.quantity": True},
        {f"{LINE}.measures": MISSING},
        {f"{LINE}.measures": "lots"},
    ],
)
def test_unreadable_quantity_is_a_warning_and_left_out(changes):
    items, warnings = items_of(changes)

    assert "quantity" not in items[0]
    assert item_warnings(warnings) == [(f"{LINE}.measures.quantity", "no_quantity")]


@pytest.mark.parametrize("amount", ["5.00", "five", [5], {"value": 5}, False, float("nan")])
def test_non_numeric_unit_value_is_a_warning_and_left_out(amount):
    items, warnings = items_of({f"{LINE}.details.approximateUnitPrice.amount": amount})

    assert "value" not in items[0]
    assert item_warnings(warnings) == [(f"{LINE}.details.approximateUnitPrice.amount", "value_not_a_number")]


@pytest.mark.parametrize(
    "changes",
    [{f"{LINE}.details.approximateUnitPrice": None}, {f"{LINE}.details.approximateUnitPrice.amount": None}],
)
def test_no_unit_price_is_simply_absent(changes):
    items, warnings = items_of(changes)

    assert "value" not in items[0]
    assert item_warnings(warnings) == []


def test_line_without_product_keeps_what_it_has():
    items, warnings = items_of({f"{LINE}.details.product": None})

    assert items == [{"quantity": 25, "value": 5}]
    assert item_warnings(warnings) == []


@pytest.mark.parametrize("lines", [[], None, MISSING, "SKU123 x 25", {"0": {}}])
def test_no_items_is_a_warning(lines):
    items, warnings = items_of({"items": lines})

    assert items == []
    assert item_warnings(warnings) == [("items", "no_items")]


def test_unreadable_lines_are_left_out_with_a_warning_each():
    sale_order = load_order("au_full")
    readable = sale_order["items"][0]
    sale_order["items"] = [None, readable, "garbage"]

    order, warnings = build_starshipit_order(sale_order)

    assert order["items"] == [{"description": "Product", "sku": "SKU123", "quantity": 25, "value": 5}]
    assert item_warnings(warnings) == [("items.0", "unreadable_item"), ("items.2", "unreadable_item")]


def test_several_lines_map_in_order():
    order, _ = build_starshipit_order(load_order("nz_residential"))

    assert [item["sku"] for item in order["items"]] == ["MB-001", "ROPE-M"]


def test_tariff_code_and_origin_come_from_line_properties():
    items, _ = items_of({f"{LINE}.properties": {"tariffCode": "6109.10", "countryOfOrigin": "China"}})

    assert (items[0]["tariff_code"], items[0]["country_of_origin"]) == ("6109.10", "China")


def test_long_tariff_code_is_left_out_with_a_warning():
    items, warnings = items_of({f"{LINE}.properties": {"tariffCode": "6109.10.0000.000.0001"}})

    assert "tariff_code" not in items[0]
    issue = only(warnings, "too_long")
    assert issue.field == f"{LINE}.properties.tariffCode"
    assert issue.message.startswith("Tariff code of item 1 (SKU123) is 21 characters long")


def test_long_sku_is_left_out_with_a_warning_not_cut():
    sku = "SKU-" + "9" * 60
    items, warnings = items_of({f"{LINE}.details.product.references.code": sku})

    assert "sku" not in items[0]
    assert items[0]["description"] == "Product"
    issue = only(warnings, "too_long")
    assert issue.field == f"{LINE}.details.product.references.code"
    assert "64 characters" in issue.message and "left out" in issue.message
