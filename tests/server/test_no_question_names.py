"""The server never guesses a question by its name: no string literal in server/ (the demo seed and
the migrations aside) is a question name of the library forms, unless it is also a word of the
server's own vocabulary (a role id, a question type, a table column, a funding source, a page text key)."""

from __future__ import annotations

import ast
from pathlib import Path

import server.models  # noqa: F401 - every table registered on the metadata
from forms.compile import compile_file
from forms.compile.library import SOURCES, library_path
from forms.definition import QUESTION_TYPES
from forms.roles import ROLES
from server.extensions import db
from server.services.houses.funding import SOURCES as FUND_SOURCES
from server.web.i18n import TEXT

SERVER = Path(__file__).resolve().parents[2] / "server"
EXEMPT = {SERVER / "services" / "demo" / "seed.py"}  # the demo seed fills the library forms by name


def _walk(nodes):
    for node in nodes:
        yield node
        yield from _walk(node.get("children") or [])


def _library_names() -> set[str]:
    return {n["name"] for form_id in SOURCES for n in _walk(compile_file(library_path(form_id))["questions"])}


def _vocabulary() -> set[str]:
    columns = {c.name for table in db.metadata.tables.values() for c in table.columns}
    return set(ROLES) | set(QUESTION_TYPES) | columns | set(FUND_SOURCES) | set(TEXT)


def test_no_library_question_name_is_written_in_the_server():
    names = _library_names() - _vocabulary()
    assert {"gps", "head_cccd", "commune_code", "stage", "eligible", "req_sponsor"} <= names  # it looks
    found = []
    for path in sorted(SERVER.rglob("*.py")):
        if path in EXEMPT or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in names:
                found.append(f"{path.relative_to(SERVER.parent)}:{node.lineno}: {node.value!r}")
    assert not found, "question names guessed by the server:\n" + "\n".join(found)
