"""The mapping settings of issue 8, on fixtures with no I/O: per-SKU weights, requested service
-> carrier rules, the phone some couriers need, the reference's source, delivery extras, and
the field-by-field sources a preview shows."""

from __future__ import annotations

import pytest

from server.mapping import (
    CarrierService,
    MappingSettings,
    SkuPackage,
    UnshippableOrder,
    build_starshipit_order,
    preview_starshipit_order,
)
from server.mapping.sources import source_fields
from tests.mapping.orders import MISSING, codes, load_order, only

STARTRACK = {"Express": CarrierService("StarTrack", "PRM")}


def two_lines(**changes) -> dict:
    order = load_order("au_full", changes)
    second = {
        **order["items"][0],
        "details": {**order["items"][0]["details"], "product": {"name": "Bottle", "references": {"code": "BOTTLE"}}},
        "measures": {"quantity": 2},
    }
    order["items"].append(second)
    return order


def test_sku_table_weighs_the_parcel_and_sizes_it_by_its_largest_item():
    settings = MappingSettings(
        sku_packages={
            "SKU123": SkuPackage(0.2, 0.3, 0.1, 0.05),
            "BOTTLE": SkuPackage(0.5, 0.1, 0.4, None),
        }
    )
    order, warnings = build_starshipit_order(two_lines(), settings)
    assert order["packages"] == [{"weight": 6.0, "length": 0.3, "width": 0.4, "height": 0.05}]
    assert "default_package" not in [issue.code for issue in warnings]


def test_an_item_missing_from_the_sku_table_is_a_no_weight_warning_naming_it():
    settings = MappingSettings(sku_packages={"SKU123": SkuPackage(0.2)})
    order, warnings = build_starshipit_order(two_lines(), settings)
    assert order["packages"][0]["weight"] == 5.0
    assert ("items.1.details.product.references.code", "no_weight") in codes(warnings)
    assert "BOTTLE" in only(warnings, "no_weight").message


def test_no_known_weight_at_all_falls_back_to_the_default_parcel_with_a_warning():
    settings = MappingSettings(sku_packages={"OTHER": SkuPackage(3.0)})
    order, warnings = build_starshipit_order(load_order("au_full"), settings)
    assert order["packages"][0]["weight"] == settings.default_package.weight_kg
    assert {"no_weight", "default_package"} <= {issue.code for issue in warnings}


def test_requested_service_rule_picks_the_carrier_and_service_code():
    order, _ = build_starshipit_order(load_order("au_full"), MappingSettings(carrier_services=STARTRACK))
    assert (order["carrier"], order["carrier_service_code"]) == ("StarTrack", "PRM")
    unmatched, _ = build_starshipit_order(
        load_order("au_full", {"details.deliver.method.requestedService": "Economy"}),
        MappingSettings(carrier_services=STARTRACK),
    )
    assert "carrier" not in unmatched


def test_rule_matching_ignores_case_and_may_leave_the_service_to_starshipit():
    rules = {" express ": CarrierService("AusPost")}
    order, _ = build_starshipit_order(load_order("au_full"), MappingSettings(carrier_services=rules))
    assert order["carrier"] == "AusPost" and "carrier_service_code" not in order


def test_no_phone_blocks_for_a_courier_that_needs_one():
    no_phone = load_order("au_full", {"details.deliver.address.phone": None})
    with pytest.raises(UnshippableOrder) as raised:
        build_starshipit_order(no_phone, MappingSettings(carrier_services=STARTRACK))
    assert codes(raised.value.issues) == [("details.deliver.address.phone", "no_phone_for_carrier")]
    assert "StarTrack" in raised.value.issues[0].message


@pytest.mark.parametrize(
    "settings",
    [
        MappingSettings(),
        MappingSettings(carrier_services={"Express": CarrierService("AusPost", "7E55")}),
        MappingSettings(carrier_services=STARTRACK, phone_required_carriers=frozenset()),
    ],
)
def test_no_phone_is_only_a_warning_when_the_courier_does_not_need_one(settings):
    _, warnings = build_starshipit_order(load_order("au_full", {"details.deliver.address.phone": MISSING}), settings)
    assert "no_phone" in [issue.code for issue in warnings]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("other_identifier", "787061"),
        ("customer_reference", "SO-10045"),
        ("numeric_id", "787061"),
        ("none", None),
    ],
)
def test_reference_comes_from_the_configured_identifier(source, expected):
    sale_order = load_order("au_full", {"references.customer": "SO-10045", "references.numericId": "787061"})
    order, _ = build_starshipit_order(sale_order, MappingSettings(reference_source=source))
    assert order.get("reference") == expected
    assert order["order_number"] == "SO-10045"


@pytest.mark.parametrize(
    ("value", "signature", "warning"),
    [
        ("Signature required", True, None),
        ("ATL", False, None),
        ("authority to leave; fragile", False, "unknown_extra"),
        ("signature, ATL", True, "conflicting_extras"),
        (True, True, None),
        (12, None, "unknown_extra"),
    ],
)
def test_extras_property_sets_signature_required(value, signature, warning):
    sale_order = load_order("au_full", {"properties": {"delivery": value}})
    order, warnings = build_starshipit_order(sale_order, MappingSettings(extras_property="delivery"))
    assert order.get("signature_required") == signature
    assert (
        (warning in [issue.code for issue in warnings])
        if warning
        else not {"unknown_extra", "conflicting_extras"} & {issue.code for issue in warnings}
    )


def test_extras_are_read_only_from_the_configured_property():
    sale_order = load_order("au_full", {"properties": {"delivery": "Signature required"}})
    order, _ = build_starshipit_order(sale_order, MappingSettings())
    assert "signature_required" not in order


def test_address_line_over_the_limit_is_a_warning_and_unknown_country_blocks():
    sale_order = load_order(
        "au_full",
        {
            "details.deliver.address.address1": "1 " + "Very Long Street Name " * 6,
            "details.deliver.address.country": {"iso2Code": "XX"},
        },
    )
    order, blocking, warnings = preview_starshipit_order(sale_order, MappingSettings())
    assert ("details.deliver.address.address1", "too_long") in codes(warnings)
    assert codes(blocking) == [("details.deliver.address.country.iso2Code", "unknown_country")]
    assert order["destination"]["street"].startswith("1 Very Long")


@pytest.mark.parametrize(
    ("field", "settings", "expected"),
    [
        ("order_number", MappingSettings(), ("references.customer",)),
        ("order_number", MappingSettings(order_number_source="numeric_id"), ("references.numericId",)),
        ("reference", MappingSettings(reference_source="none"), ()),
        ("destination.street", MappingSettings(), ("details.deliver.address.address1",)),
        ("items.3.sku", MappingSettings(), ("items.3.details.product.references.code",)),
        ("signature_required", MappingSettings(extras_property="delivery"), ("properties.delivery",)),
        ("packages.0.weight", MappingSettings(), ("settings: SKU table or default parcel",)),
    ],
)
def test_each_starshipit_field_names_its_cartoncloud_source(field, settings, expected):
    assert source_fields(field, settings) == expected


@pytest.mark.parametrize(
    "kwargs",
    [
        {"reference_source": "order_date"},
        {"sku_packages": {"A": {"weight_kg": 1}}},
        {"carrier_services": {"Express": "StarTrack"}},
        {"extras_property": " "},
    ],
)
def test_bad_mapping_control_settings_are_refused(kwargs):
    with pytest.raises(ValueError):
        MappingSettings(**kwargs)


@pytest.mark.parametrize("kwargs", [{"weight_kg": 0}, {"weight_kg": 1, "height_m": -1}, {"weight_kg": "1"}])
def test_bad_sku_units_are_refused(kwargs):
    with pytest.raises(ValueError):
        SkuPackage(**kwargs)
