"""How the simulators read the points docs/*-api-notes.md mark ⚠ (both readings must be testable).

Each option has a start-up setting (Flask config key; also LABELBRIDGE_SANDBOX_* in the
environment) and can be changed while the sandbox runs (`PUT /_sandbox/options`); a reset puts
the start-up values back.
- SANDBOX_STARSHIPIT_NOT_FOUND (200): the HTTP status of Starshipit's answer for an unknown
  order — 200 with `success: false`, "General Exception" / "Unable to find order number: N", as
  clients in the wild expect, or 404;
- SANDBOX_STARSHIPIT_SHIPPED_ROWS ("summary"): what `GET /api/orders/shipped` lists — flat
  summary rows (as documented), or "full" orders (the other reading);
- SANDBOX_CARTONCLOUD_DATETIME_SEARCH (None): None accepts `DateTimeComparisonCondition`;
  400 or 422 refuses it with CartonCloud's error body of that status;
- SANDBOX_CARTONCLOUD_STRICT (False): the sale-order create refuses an unknown SKU or a missing
  customer (422) instead of filling them in;
- SANDBOX_STARSHIPIT_MANIFEST_NUMBER (False): the manifest answer also names its
  `manifest_number` (the documented answer is `{label_type, pdf, success}` only);
- SANDBOX_STARSHIPIT_RETURN_NUMBER ("suffix"): the number a return clone gets — its order's
  number with `-R` after it, or "same" as its order's (the clone's answer beyond `success` and
  the new `order` is not documented, nor is the clone's number).
"""

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

SHIPPED_ROWS = ("summary", "full")
NOT_FOUND_STATUSES = (200, 404)
DATETIME_REFUSALS = (400, 422)
RETURN_NUMBERS = ("suffix", "same")


@dataclass(frozen=True)
class SandboxOptions:
    starshipit_not_found: int = 200
    starshipit_shipped_rows: str = "summary"
    cartoncloud_datetime_search: int | None = None
    cartoncloud_strict: bool = False
    starshipit_manifest_number: bool = False
    starshipit_return_number: str = "suffix"

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> "SandboxOptions":
        refusal = config.get("SANDBOX_CARTONCLOUD_DATETIME_SEARCH")
        return cls().changed(
            {
                "starshipit_not_found": int(config.get("SANDBOX_STARSHIPIT_NOT_FOUND", 200)),
                "starshipit_shipped_rows": config.get("SANDBOX_STARSHIPIT_SHIPPED_ROWS", "summary"),
                "cartoncloud_datetime_search": None if refusal in (None, "", "accept") else int(refusal),
                "cartoncloud_strict": _flag(config.get("SANDBOX_CARTONCLOUD_STRICT", False)),
                "starshipit_manifest_number": _flag(config.get("SANDBOX_STARSHIPIT_MANIFEST_NUMBER", False)),
                "starshipit_return_number": config.get("SANDBOX_STARSHIPIT_RETURN_NUMBER", "suffix"),
            }
        )

    def changed(self, values: Mapping[str, Any]) -> "SandboxOptions":
        """A copy with `values` applied; ValueError names an unknown option or a bad value."""
        known = {option.name for option in fields(self)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"unknown option(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        options = replace(self, **values)
        if options.starshipit_not_found not in NOT_FOUND_STATUSES:
            raise ValueError(f"starshipit_not_found must be one of {NOT_FOUND_STATUSES}")
        if options.starshipit_shipped_rows not in SHIPPED_ROWS:
            raise ValueError(f"starshipit_shipped_rows must be one of {SHIPPED_ROWS}")
        if options.cartoncloud_datetime_search not in (None, *DATETIME_REFUSALS):
            raise ValueError(f"cartoncloud_datetime_search must be null (accepted) or one of {DATETIME_REFUSALS}")
        if options.starshipit_return_number not in RETURN_NUMBERS:
            raise ValueError(f"starshipit_return_number must be one of {RETURN_NUMBERS}")
        for flag in ("cartoncloud_strict", "starshipit_manifest_number"):
            if not isinstance(getattr(options, flag), bool):
                raise ValueError(f"{flag} must be true or false")
        return options

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _flag(value: Any) -> bool:
    return str(value).lower() in ("1", "true", "yes")
