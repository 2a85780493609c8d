"""server/services has no import cycles: every import (also one inside a function, the usual way to
dodge a cycle) is an edge; the graph must be acyclic so the services read as layers."""

import ast

import pytest

from tests.conftest import ROOT

SERVICES = ROOT / "server" / "services"


PREFIX = "server.services."


def _module_name(path) -> str:
    """`server/services/surveys/review.py` -> `surveys.review` (a package's __init__ -> `surveys`)."""
    parts = path.relative_to(SERVICES).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _known_modules() -> set[str]:
    return {_module_name(p) for p in SERVICES.rglob("*.py")}


def _resolve(dotted: str, known: set[str]) -> str | None:
    """The service module an import names: `surveys.review` or, for `surveys.review.decide`, `surveys.review`."""
    while dotted and dotted not in known:
        dotted = dotted.rpartition(".")[0]
    return dotted or None


def _edges() -> dict[str, set[str]]:
    known = _known_modules()
    graph: dict[str, set[str]] = {}
    for path in sorted(SERVICES.rglob("*.py")):
        name = _module_name(path)
        deps = graph.setdefault(name, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("server.services"):
                base = node.module[len(PREFIX):] if node.module != "server.services" else ""
                targets = [f"{base}.{a.name}".strip(".") for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name[len(PREFIX):] for a in node.names if a.name.startswith(PREFIX)]
            deps.update(m for t in targets if (m := _resolve(t, known)))
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


def test_every_service_lives_in_a_folder_that_names_its_part():
    """The flat folder was split so the folder names show the architecture: no module sits loose."""
    loose = [p.name for p in SERVICES.glob("*.py") if p.name != "__init__.py"]
    assert not loose, loose


def test_the_graph_sees_imports_of_submodules():
    graph = _edges()
    assert "accounts.access" in graph["surveys.review"]
    assert "houses.writes" in graph["surveys.review"]


@pytest.mark.parametrize("module", ["houses/lifecycle"])
def test_pure_modules_import_no_database_and_no_flask(module):
    text = (SERVICES / f"{module}.py").read_text(encoding="utf-8")
    assert "sqlalchemy" not in text and "flask" not in text and "server.models" not in text


def _function_local_imports() -> list[str]:
    found = []
    for path in sorted(SERVICES.rglob("*.py")):
        for fn in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                found += [f"{_module_name(path)}:{n.lineno}" for n in ast.walk(fn) if isinstance(n, ast.Import | ast.ImportFrom)]
    return found


def test_no_service_imports_inside_a_function():
    """An import inside a function is how a cycle hides; the services import at the top only."""
    assert _function_local_imports() == []
