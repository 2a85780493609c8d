import pytest

from forms.definition import load
from forms.session import FormSession
from forms.state import BadPath
from tests.forms.engine_helpers import definition, group, q, repeat, yes_no


def _form():
    return load(definition(
        q("a", "integer"),
        q("b", "calculate", calculation="${a} * 2"),
        q("c", relevant="${b} > 10"),
        q("unrelated1"), q("unrelated2", relevant="${unrelated1} = 'x'"),
        group("page", [q("p1"), q("p2", "select_one", list_name="yn")], appearance="field-list"),
        repeat("r", [q("x", "integer"), q("y", "calculate", calculation="${x} + ${a}")]),
        q("sum_y", "calculate", calculation="sum(${y})"),
        choices={"yn": yes_no()},
    ))


def test_set_reevaluates_only_dependants():
    s = FormSession(_form())
    before = s.evaluations
    changed = s.set("unrelated1", "x")
    assert changed == {"unrelated1", "unrelated2"}
    assert s.evaluations - before == 1  # unrelated2 only
    changed = s.set("a", 6)
    assert {"a", "b", "c"} <= changed
    assert "unrelated2" not in changed and s.is_relevant("c")
    assert s.get("b") == 12


def test_repeat_add_remove_and_relative_calculation():
    s = FormSession(_form())
    s.set("a", 1)
    assert s.add_repeat("r") == 1 and s.add_repeat("r") == 2
    s.set("r[1]/x", 10)
    changed = s.set("r[2]/x", 20)
    assert "r[2]/y" in changed and "sum_y" in changed
    assert s.get("r[2]/y") == 21 and s.get("sum_y") == 32
    s.remove_repeat("r", 1)
    assert s.repeat_size("r") == 1 and s.get("r[1]/x") == 20 and s.get("sum_y") == 21
    with pytest.raises(BadPath):
        s.get("r[5]/nope")


def test_pages_field_list_and_repeats_and_relevance():
    s = FormSession(_form())
    keys = [p.key for p in s.pages()]
    assert "c" not in keys and "page" in keys
    s.set("a", 9)
    s.add_repeat("r")
    page = next(p for p in s.pages() if p.key == "page")
    assert page.fields == ["p1", "p2"]
    keys = [p.key for p in s.pages()]
    assert "c" in keys and "r" in keys and "r[1]/x" not in keys  # a repeat is one page with its items


def test_errors_missing_and_labels():
    form = load(definition(q("name", required=True, hint={"vi": "Gợi ý", "en": "Hint"}),
                           q("age", "integer", constraint=". < 120")))
    s = FormSession(form, lang="en")
    assert s.missing() == ["name"]
    s.set("age", 200)
    assert [(i.field, i.code) for i in s.errors(["age"])] == [("age", "constraint")]
    s.set("age", "abc")
    assert [i.code for i in s.errors(["age"])] == ["type"]
    assert s.label("name") == "name" and s.hint("name") == "Hint"
    assert FormSession(form, lang="vi").label("name") == "NAME"


def test_defaults_and_reload_from_answers():
    form = load(definition(q("n", "integer", default="0"), q("t")))
    s = FormSession(form)
    assert s.get("n") == 0
    s.set("t", "hello")
    again = FormSession(form, answers=s.answers)
    assert again.answers == {"n": 0, "t": "hello"}


def test_choice_filter_changes_are_reported():
    form = load(definition(
        q("commune"), q("village", "select_one", list_name="v", choice_filter="commune = ${commune}"),
        choices={"v": [{"name": "a", "props": {"commune": "1"}}, {"name": "b", "props": {"commune": "2"}}]},
    ))
    s = FormSession(form)
    assert "village" in s.set("commune", "2")
    assert [c.name for c in s.choices("village")] == ["b"]
