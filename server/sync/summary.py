"""What one pass did, in the words ``labelbridge sync --once`` prints and the status API shows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

MAX_ERRORS = 10


@dataclass
class Summary:
    found: int = 0  # sale orders at or past a trigger status, and tracking updates, seen
    created: int = 0  # Starshipit orders created
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> count
    written_back: int = 0  # writebacks delivered to CartonCloud
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def skip(self, reason: str, count: int = 1) -> None:
        self.skipped[reason] += count

    def fail(self, message: str, count: int = 1) -> None:
        self.failed += count
        if message not in self.errors:
            self.errors = [*self.errors, message][-MAX_ERRORS:]

    def add(self, other: Summary) -> None:
        self.found += other.found
        self.created += other.created
        self.skipped.update(other.skipped)
        self.written_back += other.written_back
        self.failed += other.failed
        for message in other.errors:
            self.fail(message, count=0)

    def did_something(self) -> bool:
        """Whether the pass made progress (a loop goes round again at once when it did)."""
        return bool(self.found or self.created or self.written_back)

    def to_dict(self) -> dict[str, Any]:
        return {
            "found": self.found,
            "created": self.created,
            "skipped": dict(sorted(self.skipped.items())),
            "written_back": self.written_back,
            "failed": self.failed,
            "errors": list(self.errors),
        }

    def describe(self) -> str:
        skipped = ", ".join(f"{count} {reason.replace('_', ' ')}" for reason, count in sorted(self.skipped.items()))
        return (
            f"found {self.found}, created {self.created}, "
            f"skipped {sum(self.skipped.values())}{f' ({skipped})' if skipped else ''}, "
            f"written back {self.written_back}, failed {self.failed}"
        )
