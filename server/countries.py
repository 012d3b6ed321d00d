"""Country names from ISO codes, in the form couriers expect.

Starshipit wants a country NAME in `destination.country`; CartonCloud gives ISO codes.
"""

from functools import cache

import pycountry

# ISO's names are diplomatic ("Russian Federation", "Korea, Republic of") and pycountry's
# data changes over time ("Turkey" became "Türkiye" in 2023). Courier country lists use the
# everyday English names, so these few are pinned whatever pycountry version is installed.
_COURIER_NAMES = {
    "GB": "United Kingdom",
    "KR": "South Korea",
    "RU": "Russia",
    "TR": "Turkey",
    "US": "United States",
}


def country_name(code: str) -> str | None:
    """The courier-friendly name for an ISO 3166 alpha-2 or alpha-3 code; None when unknown."""
    code = code.strip().upper()
    if not (code.isascii() and code.isalpha() and len(code) in (2, 3)):
        return None
    return _name_of(code)


@cache  # at most 26² + 26³ codes; pycountry's look-up was a twentieth of a bulk transfer's time
def _name_of(code: str) -> str | None:
    country = pycountry.countries.get(**{"alpha_2" if len(code) == 2 else "alpha_3": code})
    if country is None:
        return None
    return _COURIER_NAMES.get(country.alpha_2) or getattr(country, "common_name", None) or country.name


def country_code(name: str) -> str | None:
    """The ISO 3166 alpha-2 code of a country named as ``country_name`` names it (or as ISO
    does); None when unknown."""
    wanted = name.strip().casefold()
    pinned = next((code for code, pinned in _COURIER_NAMES.items() if pinned.casefold() == wanted), None)
    if pinned is not None:
        return pinned
    try:
        return pycountry.countries.lookup(name.strip()).alpha_2
    except LookupError:
        return None
