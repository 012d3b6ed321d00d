"""What mapping found wrong with a sale order, in words a packer can act on."""

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class MappingIssue:
    """One problem with one CartonCloud field (`field` is a dotted path such as
    "details.deliver.address.address1"; `code` is stable, `message` is for people)."""

    field: str
    code: str
    message: str


class UnshippableOrder(Exception):
    """The sale order cannot become a Starshipit order; `issues` lists every reason at once."""

    def __init__(self, issues: Iterable[MappingIssue]):
        self.issues = tuple(issues)
        super().__init__(self.issues)

    def __str__(self) -> str:
        return " ".join(issue.message for issue in self.issues)


class IssueLog:
    """Collects issues while mapping, so all of them are reported together."""

    def __init__(self) -> None:
        self.blocking: list[MappingIssue] = []
        self.warnings: list[MappingIssue] = []

    def block(self, field: str, code: str, message: str) -> None:
        self.blocking.append(MappingIssue(field, code, message))

    def warn(self, field: str, code: str, message: str) -> None:
        self.warnings.append(MappingIssue(field, code, message))
