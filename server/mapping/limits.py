"""Starshipit's field length limits, and what to do with a value over one.

A value is never cut: a shortened order number, SKU or street is a different, wrong value that
looks right. What happens instead depends on the field:

- SEND_WHOLE: the courier needs the value as written (address, contact, shipping method). It is
  sent whole with a warning; if Starshipit refuses it, the packer already knows which field to
  shorten in CartonCloud.
- LEAVE_OUT: the value is optional for shipping (reference, SKU, customs codes). It is left out
  with a warning, so the label still prints.
- BLOCK: the value identifies the order (order number) or the destination (a post code over 10
  characters is not a post code); nothing can be shipped until it is fixed.

Limits from docs/starshipit-api-notes.md ("Orders"); street, suburb, city, state, delivery instructions, SKU,
shipping method and country of origin from rknell/starshipit_dart, the fullest field reference.
"""

from dataclasses import dataclass
from enum import Enum

from server.mapping.issues import IssueLog


class WhenTooLong(Enum):
    SEND_WHOLE = "send_whole"
    LEAVE_OUT = "leave_out"
    BLOCK = "block"


@dataclass(frozen=True)
class Limit:
    label: str
    max_chars: int
    when_too_long: WhenTooLong


_SEND_WHOLE, _LEAVE_OUT, _BLOCK = WhenTooLong.SEND_WHOLE, WhenTooLong.LEAVE_OUT, WhenTooLong.BLOCK

_LIMITS = {
    "order_number": Limit("Order number", 50, _BLOCK),
    "reference": Limit("Reference", 50, _LEAVE_OUT),
    "shipping_method": Limit("Shipping method", 100, _SEND_WHOLE),
    "shipping_description": Limit("Requested service", 100, _SEND_WHOLE),
    "destination.name": Limit("Recipient name", 100, _SEND_WHOLE),
    "destination.company": Limit("Company name", 100, _SEND_WHOLE),
    "destination.street": Limit("Street (address line 1)", 100, _SEND_WHOLE),
    "destination.building": Limit("Address line 2", 100, _SEND_WHOLE),
    "destination.suburb": Limit("Suburb", 100, _SEND_WHOLE),
    "destination.city": Limit("City", 100, _SEND_WHOLE),
    "destination.state": Limit("State", 100, _SEND_WHOLE),
    "destination.post_code": Limit("Post code", 10, _BLOCK),
    "destination.phone": Limit("Phone number", 100, _SEND_WHOLE),
    "destination.email": Limit("Email address", 100, _SEND_WHOLE),
    "destination.delivery_instructions": Limit("Delivery instructions", 100, _SEND_WHOLE),
    "items.sku": Limit("SKU", 50, _LEAVE_OUT),
    "items.tariff_code": Limit("Tariff code", 18, _LEAVE_OUT),
    "items.country_of_origin": Limit("Country of origin", 50, _LEAVE_OUT),
}


def fit(value: str | None, starshipit_field: str, source_field: str, log: IssueLog, *, subject: str = "") -> str | None:
    """`value` if Starshipit's limit allows it; otherwise log why and return what to send.

    `subject` names which one where the field repeats ("item 2 (SKU123)").
    """
    if value is None:
        return None
    limit = _LIMITS[starshipit_field]
    length = len(value)
    if length <= limit.max_chars:
        return value
    label = f"{limit.label} of {subject}" if subject else limit.label
    too_long = f"{label} is {length} characters long; Starshipit allows at most {limit.max_chars}."
    if limit.when_too_long is WhenTooLong.BLOCK:
        log.block(source_field, "too_long", f"{too_long} It cannot be cut: shorten it in CartonCloud.")
        return None
    if limit.when_too_long is WhenTooLong.LEAVE_OUT:
        log.warn(
            source_field,
            "too_long",
            f"{too_long} It is left out of the Starshipit order rather than cut, since a cut value would be wrong.",
        )
        return None
    log.warn(
        source_field,
        "too_long",
        f"{too_long} It is sent whole, not cut, so Starshipit may refuse the order: "
        "if it does, shorten it in CartonCloud.",
    )
    return value
