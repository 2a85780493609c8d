"""One error catalogue: every refusal is a DomainError whose vi and en text live in server/errors.py."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from server.errors import CATALOGUE, DomainError, catalogue_text

SERVER = Path(__file__).resolve().parents[2] / "server"


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def _calls(name: str):
    """(file, first argument) of every ``name("...")`` call in server/ with a literal code."""
    for path in SERVER.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == name \
                    and node.args and isinstance(node.args[0], ast.Constant):
                yield path.relative_to(SERVER.parent), node.args[0].value


def test_every_entry_has_a_status_and_both_languages_with_the_same_placeholders():
    for code, (status, vi, en) in CATALOGUE.items():
        assert 400 <= status <= 599, code
        assert vi.strip() and en.strip() and vi != en, code
        assert _fields(vi) == _fields(en), code


def test_every_code_raised_in_server_is_in_the_catalogue():
    raised = list(_calls("DomainError"))
    assert len(raised) > 30
    assert [(str(p), c) for p, c in raised if c not in CATALOGUE] == []


def test_no_other_exception_class_carries_its_own_text():
    """The seven classes that each held vi/en text (ReviewError, TargetError, ExportError, ReportError,
    FundingRuleError, IllegalTransition, HouseNotFound, and HouseChanged) are gone: only DomainError
    (and its subclasses) may define ``message``."""
    own = []
    for path in SERVER.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and node.name != "DomainError" \
                    and not any(getattr(b, "id", None) == "DomainError" for b in node.bases) \
                    and any(isinstance(f, ast.FunctionDef) and f.name == "message" for f in node.body):
                own.append(f"{path.name}:{node.name}")
    assert own == []


def test_params_fill_the_catalogue_text_in_each_language():
    err = DomainError("house_closed", params={"verb": {"vi": "duyệt", "en": "approved"},
                                              "status": {"vi": "Đã rút", "en": "Withdrawn"}})
    assert err.status == 409
    assert err.message("vi").startswith("Không thể duyệt khảo sát này: nhà đang ở trạng thái “Đã rút”.")
    assert err.message("en").startswith("This survey cannot be approved: the house is “Withdrawn”.")
    assert catalogue_text("split_mismatch", "en", {"new_builds": 1, "repairs": 2, "houses": 4}) == \
        "New builds (1) + repairs (2) must equal the total (4)."
    assert "…" in DomainError("bad_year").message("vi")  # a missing parameter never raises


def test_a_field_error_names_its_field_in_the_answer():
    body = DomainError("comment_required", field="comment").body("en")["error"]
    assert body == {"code": "comment_required", "message": "A comment is required to reject or request changes.",
                    "fields": {"comment": ["A comment is required to reject or request changes."]}}


@pytest.mark.parametrize("kind, year, code", [("quarterly", 2025, "bad_report_kind"), ("year_end", "x", "bad_year")])
def test_report_refusals_render_on_the_one_error_page(kind, year, code):
    from server.services.reports.periodic import period

    with pytest.raises(DomainError) as err:
        period(kind, year)
    assert err.value.code == code and err.value.status == 400
