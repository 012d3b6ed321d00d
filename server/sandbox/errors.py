"""What the simulators' business logic raises; the blueprints turn it into each service's body."""

from dataclasses import dataclass, field


@dataclass(eq=False)
class StarshipitRefusal(Exception):
    """Starshipit says no: `success: false` with `errors`, sent with HTTP `status`.

    `errors` holds (message, details) pairs; the first is the headline.
    """

    status: int
    errors: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def one(cls, status: int, message: str, details: str = "") -> "StarshipitRefusal":
        return cls(status, [(message, details)])

    def __str__(self) -> str:
        return "; ".join(message for message, _ in self.errors)


@dataclass(eq=False)
class CartonCloudError(Exception):
    """CartonCloud says no: `[{"message", "field"?, "type"?}]` with HTTP `status`."""

    status: int
    message: str
    field: str | None = None
    kind: str | None = None

    def __str__(self) -> str:
        return self.message
