"""Delivery extras kept in one CartonCloud custom property (the ``extras_property`` setting),
e.g. "Signature required" or "Authority to leave"."""

import re

from server.mapping.issues import IssueLog
from server.mapping.settings import MappingSettings
from server.mapping.values import dig

# Each phrase a warehouse may type, and whether it means a signature is required.
_SIGNATURE_PHRASES = {
    "signature required": True,
    "signature": True,
    "sig": True,
    "authority to leave": False,
    "atl": False,
    "leave": False,
}


def build_extras(sale_order: dict, settings: MappingSettings, log: IssueLog) -> dict:
    """Starshipit order fields from the custom property; words it does not know are warnings,
    never guesses."""
    name = settings.extras_property
    if name is None:
        return {}
    field = f"properties.{name}"
    value = dig(sale_order, "properties", name)
    if value is None or value == "":
        return {}
    if isinstance(value, bool):
        return {"signature_required": value}
    if not isinstance(value, str):
        log.warn(
            field, "unknown_extra", f"The custom property '{name}' holds {value!r}, which labelbridge cannot read."
        )
        return {}
    wanted = set()
    for phrase in filter(None, (part.strip().casefold() for part in re.split(r"[,;/\n]", value))):
        if phrase in _SIGNATURE_PHRASES:
            wanted.add(_SIGNATURE_PHRASES[phrase])
        else:
            log.warn(
                field,
                "unknown_extra",
                f"The custom property '{name}' says '{phrase}', which labelbridge does not know; it is ignored. "
                "Known: signature required, authority to leave.",
            )
    if len(wanted) > 1:
        log.warn(
            field,
            "conflicting_extras",
            f"The custom property '{name}' asks for both a signature and authority to leave; "
            "a signature is required to be safe.",
        )
        return {"signature_required": True}
    return {"signature_required": wanted.pop()} if wanted else {}
