"""ISO country codes -> the names couriers expect."""

import pytest

from server.countries import country_name


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("AU", "Australia"),
        ("NZ", "New Zealand"),
        ("US", "United States"),
        ("GB", "United Kingdom"),
        ("KR", "South Korea"),
        ("RU", "Russia"),
        ("TR", "Turkey"),
        ("VN", "Vietnam"),
        ("TW", "Taiwan"),
        ("DE", "Germany"),
        ("au", "Australia"),
        (" nz ", "New Zealand"),
        ("AUS", "Australia"),
        ("gbr", "United Kingdom"),
    ],
)
def test_known_codes(code, name):
    assert country_name(code) == name


@pytest.mark.parametrize("code", ["", "ZZ", "QQQ", "A", "AUST", "A1", "ÅÅ", "Australia"])
def test_unknown_codes(code):
    assert country_name(code) is None
