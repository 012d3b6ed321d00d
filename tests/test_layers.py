"""The shape of ``server/``: no import cycles, and the layers of the design.

The order core (``server/orders/``) is the only place that creates Starshipit orders; the API,
the CLI and the sync call it and never each other (the API hands webhooks to the sync's inbox
and reads its status: that is the sync's intake, not a call into its work). The core, mapping,
printing and the HTTP clients never reach up. Domain errors (``server/failures.py``) become HTTP
answers only in the API and the error module.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

SERVER = Path(__file__).resolve().parent.parent / "server"


def _module_name(path: Path) -> str:
    parts = ["server", *path.relative_to(SERVER).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Every module of server/ and the server modules it imports (at any depth of its code)."""
    files = {_module_name(path): path for path in SERVER.rglob("*.py")}
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in files.items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom):
                base = ".".join(package[: len(package) - node.level + 1]) if node.level else ""
                module = ".".join(part for part in (base, node.module or "") if part)
                targets = [f"{module}.{alias.name}" for alias in node.names]
                targets = [target if target in files else module for target in targets]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                continue
            graph[name].update(target for target in targets if target in files and target != name)
    return graph


GRAPH = _imports()


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while (member := stack.pop()) != node:
                component.append(member)
            if component:
                found.append(sorted([node, *component]))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _packages(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """The same graph between top-level parts of server/ (``server.orders``, ``server.api``…)."""
    top = defaultdict(set)
    for source, targets in graph.items():
        for target in targets:
            a, b = ".".join(source.split(".")[:2]), ".".join(target.split(".")[:2])
            if a != b:
                top[a].add(b)
    return top


def test_no_module_imports_itself_back():
    assert _cycles(GRAPH) == []


def test_no_part_of_server_imports_itself_back():
    assert _cycles(_packages(GRAPH)) == []


ABOVE_THE_CORE = {"server.api", "server.cli", "server.sync", "server.worker", "server.demo", "server.serve"}


@pytest.mark.parametrize(
    ("layer", "forbidden"),
    [
        ("server.orders", ABOVE_THE_CORE),
        (
            "server.mapping",
            ABOVE_THE_CORE | {"server.orders", "server.printing", "server.starshipit", "server.cartoncloud"},
        ),
        ("server.printing", ABOVE_THE_CORE | {"server.orders"}),
        ("server.starshipit", ABOVE_THE_CORE | {"server.orders", "server.printing", "server.mapping"}),
        ("server.cartoncloud", ABOVE_THE_CORE | {"server.orders", "server.printing", "server.mapping"}),
        (
            "server.http",
            ABOVE_THE_CORE
            | {"server.orders", "server.printing", "server.mapping", "server.starshipit", "server.cartoncloud"},
        ),
        ("server.sync", {"server.api", "server.cli"}),
        ("server.cli", {"server.api"}),
    ],
)
def test_no_layer_reaches_up(layer, forbidden):
    reached = {target for target in _packages(GRAPH).get(layer, set()) if target in forbidden}
    assert reached == set()


def test_api_errors_are_made_only_in_the_api_and_the_error_module():
    makers = sorted(
        _module_name(path)
        for path in SERVER.rglob("*.py")
        if any(
            isinstance(node, ast.Call) and getattr(node.func, "id", None) == "ApiError"
            for node in ast.walk(ast.parse(path.read_text()))
        )
    )
    assert [name for name in makers if not name.startswith("server.api") and name != "server.errors"] == []
