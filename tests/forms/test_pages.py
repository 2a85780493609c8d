"""`FormSession.pages()`: the one page layout (the phone's form screen uses it as it is)."""

from forms.compile import load_file
from forms.definition import load
from forms.session import FormSession
from tests.forms.engine_helpers import definition, group, q, repeat
from tests.mobile.ui.conftest import ROOT


def _form():
    return load(definition(
        q("intro", "note"),
        q("start", "start"),
        q("a", "integer"),
        q("total", "calculate", calculation="${a} * 2"),
        q("c", relevant="${a} > 3"),
        group("open", [q("o1"), q("o2")]),  # no field-list: transparent
        group("page", [q("p1"), q("p2", relevant="${a} = 1"), q("p_calc", "calculate", calculation="1"),
                       group("inner", [q("p3")]), q("p_note", "note")], appearance="field-list"),
        group("gated", [q("g1")], appearance="field-list", relevant="${a} = 5"),
        repeat("rooms", [q("room"), group("dims", [q("area", "decimal")]),
                         repeat("windows", [q("width", "decimal")])]),
    ))


def test_question_field_list_and_transparent_group_pages():
    s = FormSession(_form())
    pages = s.pages()
    assert [(p.key, p.kind) for p in pages] == [
        ("intro", "question"), ("a", "question"), ("o1", "question"), ("o2", "question"),
        ("page", "group"), ("rooms", "repeat")]  # meta + calculations never; c and gated irrelevant
    page = pages[4]
    assert page.title == "PAGE"
    # the field-list shows its nested group inline, keeps irrelevant questions as rows, never calculations
    assert [i[1] for i in page.items] == ["p1", "p2", "p3", "p_note"]
    assert page.fields == ["p1", "p3", "p_note"]  # relevant now: what Next checks
    assert page.shows("p2") and not page.shows("p_calc")


def test_relevance_brings_pages_back():
    s = FormSession(_form())
    s.set("a", 5)
    keys = [p.key for p in s.pages()]
    assert "c" in keys and "gated" in keys
    s.set("a", 1)
    page = next(p for p in s.pages() if p.key == "page")
    assert page.fields == ["p1", "p2", "p3", "p_note"]


def test_a_repeat_is_one_page_with_items_and_add():
    s = FormSession(_form())
    empty = next(p for p in s.pages() if p.key == "rooms")
    assert empty.items == [("repeat_add", "rooms")] and empty.fields == []  # stays, to add the first
    s.add_repeat("rooms")
    s.add_repeat("rooms")
    s.add_repeat("rooms[2]/windows")
    page = next(p for p in s.pages() if p.key == "rooms")
    assert page.items == [
        ("repeat_item", "rooms", 1), ("question", "rooms[1]/room"), ("question", "rooms[1]/area"),
        ("repeat_add", "rooms[1]/windows"),
        ("repeat_item", "rooms", 2), ("question", "rooms[2]/room"), ("question", "rooms[2]/area"),
        ("repeat_item", "rooms[2]/windows", 1), ("question", "rooms[2]/windows[1]/width"),
        ("repeat_add", "rooms[2]/windows"),
        ("repeat_add", "rooms"),
    ]
    assert page.kind == "repeat" and page.title == "ROOMS"


def test_house_assessment_pages():
    s = FormSession(load_file(ROOT / "forms" / "library" / "house_assessment.xlsx"))
    pages = s.pages()
    assert [p.key for p in pages][:4] == ["location", "household", "household_size", "members"]
    keys = {p.key for p in pages}
    assert "start" not in keys and "members_count" not in keys
    household = pages[1]
    assert ("question", "head_name") in household.items
    assert not household.shows("head_age")  # a calculate inside a field-list group
    s.set("household_size", 3)  # members: repeat_count = household_size - 1
    members = next(p for p in s.pages() if p.key == "members")
    assert members.items[0] == ("repeat_item", "members", 1)
    assert members.shows("members[2]/member_name") and members.items[-1] == ("repeat_add", "members")
