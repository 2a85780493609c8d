"""server/services has no import cycles: every import (also one inside a function, the usual way to
dodge a cycle) is an edge; the graph must be acyclic so the services read as layers."""

import ast

import pytest

from tests.conftest import ROOT

SERVICES = ROOT / "server" / "services"


def _edges() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in sorted(SERVICES.glob("*.py")):
        name = path.stem
        deps = graph.setdefault(name, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                if node.module == "server.services":
                    deps.update(alias.name for alias in node.names)
                elif node.module.startswith("server.services."):
                    deps.add(node.module.split(".")[2])
            elif isinstance(node, ast.Import):
                deps.update(a.name.split(".")[2] for a in node.names if a.name.startswith("server.services."))
        deps.discard(name)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str] | None:
        state[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state and (found := visit(m)):
                return found
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state and (found := visit(n)):
            return found
    return None


def test_the_services_import_graph_has_no_cycle():
    cycle = _cycle(_edges())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_finder_finds_one():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize("module", ["lifecycle"])
def test_pure_modules_import_no_database_and_no_flask(module):
    text = (SERVICES / f"{module}.py").read_text(encoding="utf-8")
    assert "sqlalchemy" not in text and "flask" not in text and "server.models" not in text
