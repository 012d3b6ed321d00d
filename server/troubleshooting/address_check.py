"""Starshipit's address validation (``GET /api/address/validate``) as a warning with
suggestions. Only ever advice: the order is never changed to a suggestion."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..http.errors import UpstreamError, UpstreamNotFound
from ..mapping import MappingIssue
from ..starshipit.client import StarshipitClient

ADDRESS_FIELD = "details.deliver.address"
_COMPARED = ("street", "suburb", "city", "state", "post_code", "country")


@dataclass(frozen=True)
class AddressCheck:
    """``checked``: Starshipit answered; ``valid`` its verdict (None when not checked)."""

    checked: bool
    valid: bool | None = None
    suggestions: list[dict[str, Any]] = field(default_factory=list)
    issue: MappingIssue | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "checked": self.checked,
            "valid": self.valid,
            "suggestions": self.suggestions,
            "message": self.issue.message if self.issue else None,
        }


def check_address(starshipit: StarshipitClient, destination: dict[str, Any]) -> AddressCheck:
    """Ask Starshipit about ``destination`` (a mapped Starshipit destination). Never raises:
    an address that cannot be checked is said so, and printing is not held up by it."""
    if not destination.get("street") or not destination.get("country"):
        return AddressCheck(checked=False)  # already blocking: nothing to ask
    given = {name: destination.get(name) for name in _COMPARED}
    try:
        answer = starshipit.validate_address(**given)
    except UpstreamNotFound:
        return AddressCheck(checked=False)  # this Starshipit offers no address validation
    except UpstreamError as error:
        return AddressCheck(
            checked=False,
            issue=MappingIssue(
                ADDRESS_FIELD,
                "address_not_checked",
                f"Starshipit's address validation could not be reached ({error.message or 'no reason given'}); "
                "the address was not checked.",
            ),
        )
    return address_verdict(given, answer)


def address_verdict(given: dict[str, Any], answer: Any) -> AddressCheck:
    """Starshipit's answer as a check; a refused address is a warning naming each suggestion."""
    if not isinstance(answer, dict) or answer.get("valid") is None:
        return AddressCheck(checked=False)
    if answer["valid"]:
        return AddressCheck(checked=True, valid=True)
    suggestions = [s for s in answer.get("suggestions") or [] if isinstance(s, dict)]
    changes = ["; ".join(_differences(given, s)) for s in suggestions]
    changes = [change for change in changes if change]
    if changes:
        advice = "Starshipit suggests: " + " or ".join(changes) + "."
    else:
        advice = "It has no suggestion: check the street, suburb, state and post code."
    message = (
        f"Starshipit's address validation did not accept this address. {advice} "
        "labelbridge has not changed it: correct it in CartonCloud if Starshipit is right."
    )
    return AddressCheck(True, False, suggestions, MappingIssue(ADDRESS_FIELD, "address_not_valid", message))


def _differences(given: dict[str, Any], suggestion: dict[str, Any]) -> list[str]:
    return [
        f"{name.replace('_', ' ')} {suggestion[name]} instead of {given.get(name) or 'nothing'}"
        for name in _COMPARED
        if suggestion.get(name) not in (None, "") and str(suggestion[name]) != str(given.get(name) or "")
    ]
