"""Delivery address -> Starshipit destination."""

import pytest

from server.mapping import UnshippableOrder, build_starshipit_order

from .orders import MISSING, codes, load_order, only

ADDRESS = "details.deliver.address"


def destination_of(changes: dict) -> tuple[dict, list]:
    order, warnings = build_starshipit_order(load_order("au_full", changes))
    return order["destination"], warnings


def blocking_codes(changes: dict) -> list[tuple[str, str]]:
    with pytest.raises(UnshippableOrder) as raised:
        build_starshipit_order(load_order("au_full", changes))
    return codes(raised.value.issues)


# --- recipient -------------------------------------------------------------------------------


def test_contact_and_company_both_kept():
    destination, _ = destination_of({})

    assert (destination["name"], destination["company"]) == ("Mr Smith", "Company A")


def test_contact_only_address_has_no_company():
    destination, _ = destination_of({f"{ADDRESS}.companyName": None})

    assert destination["name"] == "Mr Smith"
    assert "company" not in destination


def test_company_only_address_names_the_company_once():
    destination, _ = destination_of({f"{ADDRESS}.contactName": None})

    assert destination["name"] == "Company A"
    assert "company" not in destination


@pytest.mark.parametrize("blank", [None, "", "  ", MISSING])
def test_no_contact_and_no_company_blocks(blank):
    changes = {f"{ADDRESS}.contactName": blank, f"{ADDRESS}.companyName": blank}

    assert blocking_codes(changes) == [(f"{ADDRESS}.contactName", "no_recipient_name")]


# --- address lines ---------------------------------------------------------------------------


def test_address_line_1_is_the_street_and_line_2_the_building():
    destination, _ = destination_of({})

    assert (destination["street"], destination["building"]) == ("1 Main Street", "Unit 2")


def test_no_address_line_2_means_no_building():
    destination, _ = destination_of({f"{ADDRESS}.address2": None})

    assert destination["street"] == "1 Main Street"
    assert "building" not in destination


@pytest.mark.parametrize("blank", [None, "", "   ", MISSING])
def test_no_street_blocks(blank):
    assert blocking_codes({f"{ADDRESS}.address1": blank}) == [(f"{ADDRESS}.address1", "no_street")]


def test_line_2_alone_is_not_taken_for_a_street():
    changes = {f"{ADDRESS}.address1": None, f"{ADDRESS}.address2": "Unit 2"}

    assert blocking_codes(changes) == [(f"{ADDRESS}.address1", "no_street")]


def test_text_is_trimmed():
    destination, _ = destination_of({f"{ADDRESS}.address1": "  1 Main Street \n"})

    assert destination["street"] == "1 Main Street"


# --- suburb, city, state ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ({"code": "QLD", "name": "Queensland"}, "QLD"),
        ({"code": None, "name": "Queensland"}, "Queensland"),
        ({"name": "Queensland"}, "Queensland"),
    ],
)
def test_state_is_the_code_else_the_name(state, expected):
    destination, _ = destination_of({f"{ADDRESS}.state": state})

    assert destination["state"] == expected


@pytest.mark.parametrize("state", [None, {"code": None, "name": None}, MISSING])
def test_no_state_is_left_out(state):
    destination, _ = destination_of({f"{ADDRESS}.state": state})

    assert "state" not in destination


def test_no_suburb_or_city_is_left_out():
    destination, _ = destination_of({f"{ADDRESS}.suburb": None, f"{ADDRESS}.city": None})

    assert "suburb" not in destination and "city" not in destination


# --- country ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "expected"),
    [
        ({"iso2Code": "AU", "iso3Code": "AUS", "name": "Australia"}, "Australia"),
        ({"iso2Code": "NZ", "iso3Code": None, "name": None}, "New Zealand"),
        ({"iso2Code": "us", "iso3Code": None, "name": None}, "United States"),
        ({"iso2Code": "GB", "iso3Code": None, "name": "Great Britain"}, "United Kingdom"),
        ({"iso2Code": "KR", "iso3Code": None, "name": None}, "South Korea"),
        ({"iso2Code": None, "iso3Code": "NZL", "name": None}, "New Zealand"),
        ({"iso2Code": "QQ", "iso3Code": "NZL", "name": None}, "New Zealand"),
        ({"iso2Code": "XK", "iso3Code": None, "name": "Kosovo"}, "Kosovo"),
        ({"iso2Code": None, "iso3Code": None, "name": "Australia"}, "Australia"),
    ],
)
def test_country_name_from_the_iso_code_else_the_orders_name(country, expected):
    destination, _ = destination_of({f"{ADDRESS}.country": country})

    assert destination["country"] == expected


@pytest.mark.parametrize(
    "country", [None, {}, {"iso2Code": None, "iso3Code": None, "name": None}, {"iso2Code": " "}, MISSING]
)
def test_no_country_blocks(country):
    assert blocking_codes({f"{ADDRESS}.country": country}) == [(f"{ADDRESS}.country", "no_country")]


@pytest.mark.parametrize(
    ("country", "field"),
    [
        ({"iso2Code": "ZZ", "iso3Code": None, "name": None}, f"{ADDRESS}.country.iso2Code"),
        ({"iso2Code": None, "iso3Code": "ZZZ", "name": None}, f"{ADDRESS}.country.iso3Code"),
        ({"iso2Code": "Australia"}, f"{ADDRESS}.country.iso2Code"),
    ],
)
def test_unknown_country_code_without_a_name_blocks(country, field):
    with pytest.raises(UnshippableOrder) as raised:
        build_starshipit_order(load_order("au_full", {f"{ADDRESS}.country": country}))

    assert codes(raised.value.issues) == [(field, "unknown_country")]
    assert "is not a known country" in str(raised.value)


# --- contact details: missing ones are warnings ----------------------------------------------


@pytest.mark.parametrize(
    ("key", "starshipit_field", "code"),
    [("phone", "phone", "no_phone"), ("email", "email", "no_email"), ("postcode", "post_code", "no_postcode")],
)
def test_missing_contact_detail_is_a_warning(key, starshipit_field, code):
    destination, warnings = destination_of({f"{ADDRESS}.{key}": None})

    assert starshipit_field not in destination
    assert codes(warnings) == [(f"{ADDRESS}.{key}", code), ("packages", "default_package")]


# --- delivery instructions -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("deliver_instructions", "order_instructions", "expected"),
    [
        ("Leave by front door", "Fragile", "Leave by front door"),
        (None, "Fragile", "Fragile"),
        (MISSING, "Fragile", "Fragile"),
        ("", "Fragile", "Fragile"),
    ],
)
def test_delivery_instructions_fall_back_to_the_orders(deliver_instructions, order_instructions, expected):
    destination, _ = destination_of(
        {
            "details.deliver.instructions": deliver_instructions,
            "details.instructions": order_instructions,
        }
    )

    assert destination["delivery_instructions"] == expected


def test_no_instructions_anywhere_is_left_out():
    destination, _ = destination_of({"details.deliver.instructions": None, "details.instructions": None})

    assert "delivery_instructions" not in destination


# --- length limits ---------------------------------------------------------------------------


def test_long_address_line_is_sent_whole_with_a_warning():
    street = "Lot 7 " + "Very Long Industrial Estate Access Road " * 3
    destination, warnings = destination_of({f"{ADDRESS}.address1": street})

    assert destination["street"] == street.strip()
    issue = only(warnings, "too_long")
    assert issue.field == f"{ADDRESS}.address1"
    assert f"{len(street.strip())} characters" in issue.message
    assert "at most 100" in issue.message
    assert "Starshipit may refuse" in issue.message


@pytest.mark.parametrize(
    ("key", "starshipit_field"),
    [
        ("contactName", "name"),
        ("companyName", "company"),
        ("address2", "building"),
        ("suburb", "suburb"),
        ("city", "city"),
        ("phone", "phone"),
        ("email", "email"),
    ],
)
def test_every_long_address_field_is_sent_whole_with_a_warning(key, starshipit_field):
    value = "x" * 101
    destination, warnings = destination_of({f"{ADDRESS}.{key}": value})

    assert destination[starshipit_field] == value
    assert codes(warnings) == [(f"{ADDRESS}.{key}", "too_long"), ("packages", "default_package")]


def test_long_company_name_used_as_recipient_is_reported_against_the_company_field():
    destination, warnings = destination_of({f"{ADDRESS}.contactName": None, f"{ADDRESS}.companyName": "C" * 120})

    assert destination["name"] == "C" * 120
    assert only(warnings, "too_long").field == f"{ADDRESS}.companyName"


def test_long_delivery_instructions_are_sent_whole_with_a_warning():
    instructions = "Please leave the parcel behind the blue gate and text on arrival. " * 2
    destination, warnings = destination_of({"details.deliver.instructions": instructions})

    assert destination["delivery_instructions"] == instructions.strip()
    assert only(warnings, "too_long").field == "details.deliver.instructions"


def test_post_code_of_ten_characters_is_fine():
    destination, _ = destination_of({f"{ADDRESS}.postcode": "1234567890"})

    assert destination["post_code"] == "1234567890"


def test_post_code_over_ten_characters_blocks():
    with pytest.raises(UnshippableOrder) as raised:
        build_starshipit_order(load_order("au_full", {f"{ADDRESS}.postcode": "4000 QLD AUSTRALIA"}))

    issue = only(list(raised.value.issues), "too_long")
    assert issue.field == f"{ADDRESS}.postcode"
    assert "18 characters" in issue.message and "at most 10" in issue.message
