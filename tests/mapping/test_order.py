"""Whole orders and the order-level fields: identifiers, date, shipping, currency, packages."""

import copy

import pytest

from server.mapping import (
    MappingSettings,
    PackageDefaults,
    UnshippableOrder,
    blocking_issues,
    build_starshipit_order,
    order_number_for,
)

from .orders import MISSING, codes, load_order, only

DEFAULT_PACKAGE = {"weight": 1.0, "length": 0.3, "width": 0.2, "height": 0.1}


def test_full_australian_order_maps_every_field():
    order, warnings = build_starshipit_order(load_order("au_full"))

    assert order == {
        "order_number": "SO-10045",
        "reference": "787061",
        "order_date": "2025-04-10T12:10:04+10:00",
        "shipping_method": "Express",
        "shipping_description": "Express",
        "currency": "AUD",
        "destination": {
            "name": "Mr Smith",
            "company": "Company A",
            "street": "1 Main Street",
            "building": "Unit 2",
            "suburb": "Springfield",
            "city": "Metropolis",
            "state": "QLD",
            "post_code": "4000",
            "country": "Australia",
            "phone": "07 5512 3456",
            "email": "info@company.com",
            "delivery_instructions": "Leave by front door",
        },
        "items": [{"description": "Product", "sku": "SKU123", "quantity": 25, "value": 5}],
        "packages": [DEFAULT_PACKAGE],
    }
    assert codes(warnings) == [("packages", "default_package")]


def test_new_zealand_order():
    order, warnings = build_starshipit_order(load_order("nz_residential"))

    assert order == {
        "order_number": "WEB-20931",
        "reference": "787102",
        "order_date": "2025-05-02T03:15:00+00:00",
        "currency": "NZD",
        "destination": {
            "name": "Aroha Ngata",
            "street": "45 Ponsonby Road",
            "suburb": "Grey Lynn",
            "city": "Auckland",
            "state": "Auckland",
            "post_code": "1021",
            "country": "New Zealand",
            "phone": "+64 21 555 0192",
            "email": "aroha@example.co.nz",
            "delivery_instructions": "Ring the bell twice",
        },
        "items": [
            {"description": "Merino beanie", "sku": "MB-001", "quantity": 3, "value": 34.5},
            {"description": "Rope (metres)", "sku": "ROPE-M", "quantity": 2.5},
        ],
        "packages": [DEFAULT_PACKAGE],
    }
    assert codes(warnings) == [("packages", "default_package")]


def test_united_states_order_with_customs_details():
    order, warnings = build_starshipit_order(load_order("us_company"))

    assert order == {
        "order_number": "PO-US-5531",
        "reference": "787230",
        "order_date": "2025-06-20T16:45:30.250000-07:00",
        "shipping_method": "International Economy",
        "shipping_description": "International Economy",
        "currency": "USD",
        "destination": {
            "name": "Acme Receiving Dock 4",
            "street": "500 Howard Street",
            "building": "Suite 210",
            "city": "San Francisco",
            "state": "CA",
            "post_code": "94105",
            "country": "United States",
            "phone": "+1 415 555 0100",
            "email": "receiving@acme.example",
            "delivery_instructions": "Dock hours 8am-4pm",
        },
        "items": [
            {
                "description": "Stainless water bottle 750ml",
                "sku": "BTL-750-SS",
                "quantity": 40,
                "value": 24.5,
                "tariff_code": "7323.93.0080",
                "country_of_origin": "AU",
            }
        ],
        "packages": [DEFAULT_PACKAGE],
    }
    assert codes(warnings) == [("packages", "default_package")]


def test_british_order_keeps_non_ascii_text_exactly():
    order, warnings = build_starshipit_order(load_order("gb_non_ascii"))

    assert order == {
        "order_number": "ÉTÉ-2025/Ø1",
        "reference": "787311",
        "order_date": "2025-03-30T08:00:00+01:00",
        "shipping_method": "Tracked 48",
        "shipping_description": "Tracked 48",
        "currency": "GBP",
        "destination": {
            "name": "Zoë Brontë-Łukasiewicz",
            "company": "Café Société Ltd",
            "street": "14 Ærøskøbing Mews",
            "building": "Flat 3, Ōtaki House",
            "suburb": "Kensington",
            "city": "London",
            "post_code": "W8 4PT",
            "country": "United Kingdom",
            "phone": "+44 20 7946 0958",
            "email": "zoë@café.example",
            "delivery_instructions": "Laissez le colis à la réception — merci",
        },
        "items": [{"description": "Crème brûlée torch – 日本製", "sku": "CBT-01", "quantity": 2, "value": 43.2}],
        "packages": [DEFAULT_PACKAGE],
    }
    assert codes(warnings) == [("packages", "default_package")]


def test_mapping_is_pure_and_deterministic():
    sale_order = load_order("gb_non_ascii")
    untouched = copy.deepcopy(sale_order)

    first = build_starshipit_order(sale_order)
    second = build_starshipit_order(sale_order)

    assert first == second
    assert sale_order == untouched


# --- order number and reference -------------------------------------------------------------


def test_numeric_id_source_swaps_order_number_and_reference():
    settings = MappingSettings(order_number_source="numeric_id")

    order, _ = build_starshipit_order(load_order("au_full"), settings)

    assert (order["order_number"], order["reference"]) == ("787061", "SO-10045")
    assert order_number_for(load_order("au_full"), settings) == "787061"


def test_numeric_id_sent_as_a_json_number_becomes_text():
    sale_order = load_order("au_full", {"references.numericId": 787061})

    assert order_number_for(sale_order, MappingSettings(order_number_source="numeric_id")) == "787061"


def test_order_number_for_the_default_source():
    assert order_number_for(load_order("au_full"), MappingSettings()) == "SO-10045"


@pytest.mark.parametrize(
    ("source", "path", "value"),
    [
        ("customer_reference", "references.customer", None),
        ("customer_reference", "references.customer", MISSING),
        ("customer_reference", "references.customer", "   "),
        ("numeric_id", "references.numericId", None),
        ("numeric_id", "references.numericId", MISSING),
    ],
)
def test_missing_order_number_source_blocks(source, path, value):
    sale_order = load_order("au_full", {path: value})
    settings = MappingSettings(order_number_source=source)

    with pytest.raises(UnshippableOrder) as raised:
        build_starshipit_order(sale_order, settings)

    assert codes(raised.value.issues) == [(path, "no_order_number")]
    with pytest.raises(UnshippableOrder):
        order_number_for(sale_order, settings)


def test_missing_references_object_blocks():
    with pytest.raises(UnshippableOrder) as raised:
        build_starshipit_order(load_order("au_full", {"references": MISSING}))

    assert codes(raised.value.issues) == [("references.customer", "no_order_number")]


def test_order_number_of_fifty_characters_is_kept_whole():
    fifty = "SO-" + "9" * 47

    order, _ = build_starshipit_order(load_order("au_full", {"references.customer": fifty}))

    assert order["order_number"] == fifty


def test_order_number_over_fifty_characters_blocks_and_is_never_cut():
    sale_order = load_order("au_full", {"references.customer": "SO-" + "9" * 48})

    with pytest.raises(UnshippableOrder) as raised:
        build_starshipit_order(sale_order)
    with pytest.raises(UnshippableOrder):
        order_number_for(sale_order, MappingSettings())

    issue = only(list(raised.value.issues), "too_long")
    assert issue.field == "references.customer"
    assert "51 characters" in issue.message and "50" in issue.message


def test_missing_reference_is_simply_absent():
    order, warnings = build_starshipit_order(load_order("au_full", {"references.numericId": None}))

    assert "reference" not in order
    assert codes(warnings) == [("packages", "default_package")]


def test_reference_over_fifty_characters_is_left_out_with_a_warning():
    long_reference = "CUSTOMER-REF-" + "X" * 50
    sale_order = load_order("au_full", {"references.customer": long_reference})

    order, warnings = build_starshipit_order(sale_order, MappingSettings(order_number_source="numeric_id"))

    assert order["order_number"] == "787061"
    assert "reference" not in order
    issue = only(warnings, "too_long")
    assert issue.field == "references.customer"
    assert "63 characters" in issue.message and "left out" in issue.message


# --- status ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "words"),
    [("DRAFT", "still a draft"), ("REJECTED", "rejected"), ("draft", "still a draft")],
)
def test_draft_and_rejected_orders_cannot_be_shipped(status, words):
    with pytest.raises(UnshippableOrder) as raised:
        build_starshipit_order(load_order("au_full", {"status": status}))

    assert codes(raised.value.issues) == [("status", "status_not_shippable")]
    assert words in str(raised.value)


@pytest.mark.parametrize(
    "status", ["AWAITING_PICK_AND_PACK", "PACKING_IN_PROGRESS", "PICKED", "PACKED", "DISPATCHED", None]
)
def test_other_statuses_can_be_shipped(status):
    order, _ = build_starshipit_order(load_order("au_full", {"status": status}))

    assert order["order_number"] == "SO-10045"


# --- every blocking issue at once -----------------------------------------------------------


def test_every_blocking_issue_is_reported_at_once():
    sale_order = load_order(
        "au_full",
        {
            "status": "REJECTED",
            "references.customer": None,
            "details.deliver.address.contactName": None,
            "details.deliver.address.companyName": None,
            "details.deliver.address.address1": None,
            "details.deliver.address.postcode": "12345678901",
            "details.deliver.address.country": {"iso2Code": "QQ", "iso3Code": None, "name": None},
        },
    )

    with pytest.raises(UnshippableOrder) as raised:
        build_starshipit_order(sale_order)

    expected = [
        ("status", "status_not_shippable"),
        ("references.customer", "no_order_number"),
        ("details.deliver.address.contactName", "no_recipient_name"),
        ("details.deliver.address.address1", "no_street"),
        ("details.deliver.address.postcode", "too_long"),
        ("details.deliver.address.country.iso2Code", "unknown_country"),
    ]
    assert codes(raised.value.issues) == expected
    assert codes(blocking_issues(sale_order)) == expected
    assert str(raised.value) == " ".join(issue.message for issue in raised.value.issues)
    assert "Delivery address has no street (address line 1)." in str(raised.value)


def test_a_shippable_order_has_no_blocking_issues():
    assert blocking_issues(load_order("au_full")) == []


def test_blocking_issues_follow_the_order_number_source():
    sale_order = load_order("au_full", {"references.numericId": None})

    assert blocking_issues(sale_order) == []
    assert codes(blocking_issues(sale_order, MappingSettings(order_number_source="numeric_id"))) == [
        ("references.numericId", "no_order_number")
    ]


# --- order date ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("created", "order_date"),
    [
        ("2025-04-10T12:10:04+10:00", "2025-04-10T12:10:04+10:00"),
        ("2025-04-10T02:10:04Z", "2025-04-10T02:10:04+00:00"),
        ("2025-04-10T12:10:04", "2025-04-10T12:10:04"),
    ],
)
def test_order_date_is_the_created_time_in_iso_8601(created, order_date):
    order, _ = build_starshipit_order(load_order("au_full", {"timestamps.created.time": created}))

    assert order["order_date"] == order_date


@pytest.mark.parametrize("changes", [{"timestamps.created": None}, {"timestamps": MISSING}])
def test_missing_created_time_leaves_order_date_out(changes):
    order, warnings = build_starshipit_order(load_order("au_full", changes))

    assert "order_date" not in order
    assert codes(warnings) == [("packages", "default_package")]


def test_unreadable_created_time_is_a_warning():
    order, warnings = build_starshipit_order(load_order("au_full", {"timestamps.created.time": "last Tuesday"}))

    assert "order_date" not in order
    assert only(warnings, "bad_order_date").field == "timestamps.created.time"


# --- shipping method -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("requested", "methods", "shipping_method"),
    [
        ("Express", {"Express": "AusPost Express Post"}, "AusPost Express Post"),
        ("express", {"Express": "AusPost Express Post"}, "AusPost Express Post"),
        ("Express", {"Standard": "AusPost Parcel Post"}, "Express"),
        ("Express", {}, "Express"),
    ],
)
def test_shipping_method_is_mapped_or_passed_through(requested, methods, shipping_method):
    sale_order = load_order("au_full", {"details.deliver.method.requestedService": requested})

    order, _ = build_starshipit_order(sale_order, MappingSettings(shipping_methods=methods))

    assert order["shipping_method"] == shipping_method
    assert order["shipping_description"] == requested


@pytest.mark.parametrize(
    "changes",
    [
        {"details.deliver.method.requestedService": None},
        {"details.deliver.method": None},
        {"details.deliver.method": MISSING},
    ],
)
def test_no_requested_service_means_no_shipping_method(changes):
    settings = MappingSettings(shipping_methods={"Express": "AusPost Express Post"})

    order, _ = build_starshipit_order(load_order("au_full", changes), settings)

    assert "shipping_method" not in order
    assert "shipping_description" not in order


def test_long_requested_service_is_sent_whole_with_a_warning():
    service = "Express " * 15
    sale_order = load_order("au_full", {"details.deliver.method.requestedService": service})

    order, warnings = build_starshipit_order(sale_order)

    assert order["shipping_description"] == service.strip()
    assert codes(warnings).count(("details.deliver.method.requestedService", "too_long")) == 2


# --- currency --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "currency"),
    [
        ({}, "AUD"),
        ({"details.invoiceValue.currency": "nzd"}, "NZD"),
        ({"details.invoiceValue.currency": None}, "SGD"),
        ({"details.invoiceValue": None}, "SGD"),
        ({"details.invoiceValue": MISSING}, "SGD"),
    ],
)
def test_currency_comes_from_the_invoice_value_else_the_settings(changes, currency):
    order, _ = build_starshipit_order(load_order("au_full", changes), MappingSettings(currency="SGD"))

    assert order["currency"] == currency


@pytest.mark.parametrize("garbled", ["AU", "AUDX", "A$D", "ÄUD"])
def test_garbled_currency_is_left_out_with_a_warning(garbled):
    order, warnings = build_starshipit_order(load_order("au_full", {"details.invoiceValue.currency": garbled}))

    assert "currency" not in order
    assert only(warnings, "bad_currency").field == "details.invoiceValue.currency"


# --- packages --------------------------------------------------------------------------------


def test_default_package_comes_from_the_settings_with_a_warning():
    settings = MappingSettings(default_package=PackageDefaults(weight_kg=2.5, length_m=0.4, width_m=0.3, height_m=0.25))

    order, warnings = build_starshipit_order(load_order("au_full"), settings)

    assert order["packages"] == [{"weight": 2.5, "length": 0.4, "width": 0.3, "height": 0.25}]
    assert "2.5 kg, 0.4 x 0.3 x 0.25 m" in only(warnings, "default_package").message
