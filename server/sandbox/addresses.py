"""Address checks shared by label printing and `GET /api/address/validate`.

Rules are deliberately simple: name, street and country are needed everywhere; in Australia a
suburb and a post code too, and the post code must lie in the state's ranges (Australia Post's
published ranges). Messages follow Starshipit's "Address is invalid: ..." style.
"""

import pycountry

AU_STATE_NAMES = {
    "ACT": "Australian Capital Territory",
    "NSW": "New South Wales",
    "NT": "Northern Territory",
    "QLD": "Queensland",
    "SA": "South Australia",
    "TAS": "Tasmania",
    "VIC": "Victoria",
    "WA": "Western Australia",
}

AU_POSTCODE_RANGES = {
    "NSW": ((1000, 2599), (2619, 2899), (2921, 2999)),
    "ACT": ((200, 299), (2600, 2618), (2900, 2920)),
    "VIC": ((3000, 3999), (8000, 8999)),
    "QLD": ((4000, 4999), (9000, 9999)),
    "SA": ((5000, 5999),),
    "WA": ((6000, 6999),),
    "TAS": ((7000, 7999),),
    "NT": ((800, 999),),
}


def country_iso2(value: str | None) -> str | None:
    """ISO alpha-2 code for a country name or code ("Australia", "AU", "AUS"); None if unknown."""
    if not value or not value.strip():
        return None
    try:
        return pycountry.countries.lookup(value.strip()).alpha_2
    except LookupError:
        return None


def au_state_code(value: str | None) -> str | None:
    """ "QLD" for "qld" or "Queensland"; None when it is no Australian state."""
    if not value:
        return None
    wanted = value.strip().lower()
    return next((code for code, name in AU_STATE_NAMES.items() if wanted in (code.lower(), name.lower())), None)


def au_states_for_postcode(post_code: str) -> list[str]:
    if not (post_code.isdigit() and len(post_code) == 4):
        return []
    number = int(post_code)
    return [state for state, ranges in AU_POSTCODE_RANGES.items() if any(lo <= number <= hi for lo, hi in ranges)]


def address_problems(destination: dict, *, need_recipient: bool = True) -> list[str]:
    """Why a label cannot be printed to `destination` (empty when it can)."""

    def blank(key: str) -> bool:
        value = destination.get(key)
        return value is None or not str(value).strip()

    required = (("name", "name"),) + _REQUIRED if need_recipient else _REQUIRED
    problems = [f"Address is invalid: {label} missing" for key, label in required if blank(key)]
    if blank("country"):
        return problems
    iso2 = country_iso2(destination["country"])
    if iso2 is None:
        return problems + [f"Address is invalid: country '{destination['country']}' is not recognised"]
    if iso2 == "AU":
        problems += [f"Address is invalid: {label} missing" for key, label in _REQUIRED_IN_AU if blank(key)]
        if not blank("post_code") and not blank("state"):
            problems += _au_postcode_problems(str(destination["post_code"]).strip(), str(destination["state"]))
    return problems


_REQUIRED = (("street", "street"), ("country", "country"))
_REQUIRED_IN_AU = (("suburb", "suburb"), ("post_code", "postcode"), ("state", "state"))


def _au_postcode_problems(post_code: str, state: str) -> list[str]:
    states = au_states_for_postcode(post_code)
    if not states:
        return [f"Address is invalid: postcode {post_code} does not exist"]
    code = au_state_code(state)
    if code is None:
        return [f"Address is invalid: state '{state}' is not an Australian state"]
    if code not in states:
        return [f"Address is invalid: postcode {post_code} is not in {code}"]
    return []


def validate(fields: dict) -> tuple[bool, list[dict]]:
    """Validity of an address (no recipient) and, for a wrong Australian state, corrected ones."""
    problems = address_problems(fields, need_recipient=False)
    if not problems:
        return True, []
    post_code = str(fields.get("post_code") or "").strip()
    states = au_states_for_postcode(post_code) if country_iso2(fields.get("country")) == "AU" else []
    only_state_wrong = all("is not in" in p or "state" in p for p in problems)
    if states and only_state_wrong:
        return False, [{**fields, "state": state} for state in states]
    return False, []
