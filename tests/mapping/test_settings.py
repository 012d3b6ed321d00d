"""MappingSettings refuse bad configuration when built."""

import pytest

from server.mapping import MappingSettings, PackageDefaults


@pytest.mark.parametrize(
    "kwargs",
    [
        {"order_number_source": "uuid"},
        {"currency": "AU"},
        {"currency": "dollars"},
        {"currency": None},
        {"shipping_methods": {"Express": None}},
        {"shipping_methods": {1: "Express"}},
        {"default_package": {"weight_kg": 1}},
    ],
)
def test_bad_mapping_settings_are_refused(kwargs):
    with pytest.raises(ValueError):
        MappingSettings(**kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [{"weight_kg": 0}, {"length_m": -0.1}, {"width_m": float("inf")}, {"height_m": "0.1"}, {"weight_kg": True}],
)
def test_bad_package_defaults_are_refused(kwargs):
    with pytest.raises(ValueError):
        PackageDefaults(**kwargs)


def test_defaults():
    settings = MappingSettings()

    assert settings.order_number_source == "customer_reference"
    assert settings.default_package == PackageDefaults(weight_kg=1.0, length_m=0.3, width_m=0.2, height_m=0.1)
    assert dict(settings.shipping_methods) == {}
    assert settings.currency == "AUD"


def test_currency_is_upper_cased():
    assert MappingSettings(currency="nzd").currency == "NZD"


def test_shipping_methods_cannot_change_after_construction():
    methods = {"Express": "AusPost Express Post"}
    settings = MappingSettings(shipping_methods=methods)
    methods["Express"] = "changed"

    assert settings.shipping_methods["Express"] == "AusPost Express Post"
    with pytest.raises(TypeError):
        settings.shipping_methods["Express"] = "changed"
