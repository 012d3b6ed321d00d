"""Sale order fixtures for the mapping tests, and small ways to vary them."""

import json
from pathlib import Path

from server.mapping import MappingIssue

FIXTURES = Path(__file__).parent / "fixtures"

# As a value in `changes`: remove the key instead of setting it.
MISSING = object()


def load_order(name: str, changes: dict | None = None) -> dict:
    """The fixture `name`, with each dotted path in `changes` set (or removed with MISSING)."""
    order = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    for path, value in (changes or {}).items():
        *parents, last = path.split(".")
        target = order
        for key in parents:
            target = target[_key(target, key)]
        if value is MISSING:
            del target[_key(target, last)]
        else:
            target[_key(target, last)] = value
    return order


def _key(target: dict | list, key: str) -> str | int:
    return int(key) if isinstance(target, list) else key


def codes(issues: list[MappingIssue] | tuple[MappingIssue, ...]) -> list[tuple[str, str]]:
    """(field, code) of each issue, in order: what tests compare."""
    return [(issue.field, issue.code) for issue in issues]


def only(issues: list[MappingIssue], code: str) -> MappingIssue:
    """The one issue with `code`."""
    matching = [issue for issue in issues if issue.code == code]
    assert len(matching) == 1, codes(issues)
    return matching[0]
