"""How a caller names a sale order: its UUID, its numericId or its customer reference."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Literal

Kind = Literal["id", "numeric_id", "customer_reference"]


@dataclass(frozen=True)
class SaleOrderRef:
    kind: Kind
    value: str

    @classmethod
    def from_mapping(cls, fields: dict[str, str]) -> SaleOrderRef:
        """From a validated mapping holding exactly one of the three identifiers."""
        ((kind, value),) = fields.items()
        return cls(kind, str(value))

    @classmethod
    def from_identifier(cls, identifier: str) -> SaleOrderRef:
        """One identifier of any kind: a UUID names the sale order, digits its numericId,
        anything else its customer reference."""
        try:
            return cls("id", str(uuid.UUID(identifier)))
        except ValueError:
            digits = identifier.isascii() and identifier.isdigit()
            return cls("numeric_id" if digits else "customer_reference", identifier)

    def describe(self) -> str:
        return {
            "id": f"Sale order {self.value}",
            "numeric_id": f"Sale order {self.value}",
            "customer_reference": f"The sale order with customer reference {self.value}",
        }[self.kind]
