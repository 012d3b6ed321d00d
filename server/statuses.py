"""CartonCloud sale-order statuses in the order an order moves through them, and which of them
count as "at or past" the trigger statuses."""

from __future__ import annotations

from collections.abc import Iterable

# The path of a sale order that will ship. DRAFT comes before it; REJECTED is off it.
PROGRESSION = (
    "AWAITING_STOCK",
    "AWAITING_PICK_AND_PACK",
    "PACKING_IN_PROGRESS",
    "PICKED",
    "PACKED",
    "DISPATCHED",
)


def parse_trigger_statuses(value: object) -> tuple[str, ...]:
    """``"PACKED"`` or ``"PACKED, DISPATCHED"`` (or a list); empty means no automatic transfer."""
    items = value if isinstance(value, (list, tuple)) else str(value or "").split(",")
    statuses = tuple(dict.fromkeys(str(item).strip().upper() for item in items if str(item).strip()))
    unknown = [status for status in statuses if status not in PROGRESSION]
    if unknown:
        raise ValueError(f"{', '.join(unknown)} is not one of {', '.join(PROGRESSION)}")
    return statuses


def eligible_statuses(triggers: Iterable[str]) -> tuple[str, ...]:
    """The trigger statuses and every status after the earliest of them: many tenants have
    PACKED switched off and go straight to DISPATCHED, and such an order must still ship."""
    # Statuses off the path (DRAFT, REJECTED) never trigger a shipment.
    ranks = [PROGRESSION.index(status) for status in triggers if status in PROGRESSION]
    return PROGRESSION[min(ranks) :] if ranks else ()
