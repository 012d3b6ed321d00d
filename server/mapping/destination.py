"""Sale order delivery address -> Starshipit `destination`."""

from typing import NamedTuple

from server.countries import country_name
from server.mapping.issues import IssueLog
from server.mapping.limits import fit
from server.mapping.values import dig, text, without_empty

_ADDRESS = "details.deliver.address"


class Sourced(NamedTuple):
    """A value with the dotted CartonCloud path it came from, so issues can name the field."""

    value: str | None
    field: str


def build_destination(sale_order: dict, log: IssueLog) -> dict:
    """The Starshipit destination; missing essentials are logged as blocking issues."""
    address = dig(sale_order, "details", "deliver", "address")

    def read(key: str) -> Sourced:
        return Sourced(text(dig(address, key)), f"{_ADDRESS}.{key}")

    name, company = _recipient(read("contactName"), read("companyName"), log)
    street = read("address1")
    if street.value is None:
        log.block(street.field, "no_street", "Delivery address has no street (address line 1).")
    # CartonCloud's address1 is the street line and address2 the secondary line (unit, level,
    # building); Starshipit has the same pair as `street` ("street number and name") and
    # `building`. Mapping them one to one keeps both lines whole and in their own place, where
    # merging them into `street` would break courier address validation and crowd its limit.
    sources: dict[str, Sourced] = {
        "name": name,
        "company": company,
        "street": street,
        "building": read("address2"),
        "suburb": read("suburb"),
        "city": read("city"),
        "state": _state(address),
        "post_code": _wanted(
            read("postcode"), log, "no_postcode", "Delivery address has no post code; most couriers need one."
        ),
        "phone": _wanted(
            read("phone"), log, "no_phone", "Delivery address has no phone number for the courier to call."
        ),
        "email": _wanted(
            read("email"), log, "no_email", "Delivery address has no email, so no tracking emails can be sent."
        ),
        "delivery_instructions": _delivery_instructions(sale_order),
    }
    destination = {
        field: fit(sourced.value, f"destination.{field}", sourced.field, log) for field, sourced in sources.items()
    }
    destination["country"] = _country(address, log)
    return without_empty(destination)


def _recipient(contact: Sourced, company: Sourced, log: IssueLog) -> tuple[Sourced, Sourced]:
    """Name the person when there is one, the company otherwise; never the same name twice."""
    if contact.value is not None:
        return contact, company
    if company.value is not None:
        return company, Sourced(None, company.field)
    log.block(
        contact.field,
        "no_recipient_name",
        "Delivery address has no recipient: neither a contact name nor a company name.",
    )
    return contact, company


def _wanted(sourced: Sourced, log: IssueLog, code: str, message: str) -> Sourced:
    """`sourced` as it is, with a warning when it has no value."""
    if sourced.value is None:
        log.warn(sourced.field, code, message)
    return sourced


def _state(address: object) -> Sourced:
    """The state's code ("QLD") as couriers print it, else its name."""
    code = text(dig(address, "state", "code"))
    if code is not None:
        return Sourced(code, f"{_ADDRESS}.state.code")
    return Sourced(text(dig(address, "state", "name")), f"{_ADDRESS}.state.name")


def _delivery_instructions(sale_order: dict) -> Sourced:
    """The delivery's own instructions, else the order's general ones."""
    instructions = text(dig(sale_order, "details", "deliver", "instructions"))
    if instructions is not None:
        return Sourced(instructions, "details.deliver.instructions")
    return Sourced(text(dig(sale_order, "details", "instructions")), "details.instructions")


def _country(address: object, log: IssueLog) -> str | None:
    """The country name from the ISO code, else the name the order gives; blocking when neither."""
    codes = [
        Sourced(code, f"{_ADDRESS}.country.{key}")
        for key in ("iso2Code", "iso3Code")
        if (code := text(dig(address, "country", key))) is not None
    ]
    for code in codes:
        if (name := country_name(code.value)) is not None:
            return name
    name = text(dig(address, "country", "name"))
    if name is not None:
        return name
    if codes:
        code = codes[0]
        log.block(
            code.field,
            "unknown_country",
            f"Delivery country code '{code.value}' is not a known country, and the order gives no country name.",
        )
    else:
        log.block(f"{_ADDRESS}.country", "no_country", "Delivery address has no country.")
    return None
