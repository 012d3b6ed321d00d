"""The courier service a packer picks for a print, instead of the one the mapping rules pick."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..failures import Conflict
from ..models import Label


@dataclass(frozen=True)
class ChosenService:
    """``carrier`` may be None: Starshipit's rates name the service code only, and the code
    alone picks the service when the shipment is printed."""

    carrier: str | None
    carrier_service_code: str

    @classmethod
    def from_mapping(cls, fields: dict[str, Any] | None) -> ChosenService | None:
        if not fields:
            return None
        return cls(fields.get("carrier"), fields["carrier_service_code"])

    def as_detail(self) -> dict[str, str | None]:
        return {"carrier": self.carrier, "carrier_service_code": self.carrier_service_code}

    def booked_on(self, label: Label) -> bool:
        """Whether ``label`` was booked with this service already (so printing it is a reprint)."""
        return (label.carrier_service_code or "").casefold() == self.carrier_service_code.casefold()


def needs_redo() -> Conflict:
    return Conflict(
        "service_needs_redo",
        "This order has a label already: printing it with another service books a new shipment. "
        "Confirm it as a new label (redo), with the reason.",
    )
