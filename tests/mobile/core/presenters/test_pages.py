"""How the house assessment is cut into pages for the form screen."""

from forms.compile import compile_file
from mobile.core.presenters import pages
from tests.mobile.ui.conftest import ROOT


def test_house_assessment_pages():
    definition = compile_file(ROOT / "forms" / "library" / "house_assessment.xlsx")
    nodes = pages.page_nodes(definition)
    names = [n["name"] for n in nodes]
    assert names[:4] == ["location", "household", "household_size", "members"]
    assert "start" not in names and "members_count" not in names  # meta and calculations never shown
    household = pages.layout(nodes[1], lambda repeat: 0)
    assert ("question", "head_name") in household
    assert all(item[1] != "head_age" for item in household)  # a calculate inside a field-list group
    members = pages.layout(nodes[3], lambda repeat: 2)
    assert members[0] == ("repeat_item", "members", 1)
    assert ("question", "members[2]/member_name") in members
    assert members[-1] == ("repeat_add", "members")


def test_value_at_reads_repeat_paths():
    answers = {"a": 1, "rep": [{"x": "one"}, {"x": "two", "inner": [{"y": 3}]}]}
    assert pages.value_at(answers, "a") == 1
    assert pages.value_at(answers, "rep[2]/x") == "two"
    assert pages.value_at(answers, "rep[2]/inner[1]/y") == 3
    assert pages.value_at(answers, "rep[5]/x") is None
