"""The role column `bind::maiam:role`: carried per node, checked with the cell it is in (vi and en)."""

import pytest

from forms.compile import CompileError
from tests.forms.compile.helpers import by_name, compile_md, survey

HEADER = "| | type | name | label | bind::maiam:role |"


def problems_of(tmp_path, *rows):
    with pytest.raises(CompileError) as info:
        compile_md(tmp_path, survey(*rows, header=HEADER))
    return info.value.errors("en"), info.value.errors("vi")


def test_a_declared_role_is_carried_on_its_node(tmp_path):
    definition = compile_md(tmp_path, survey(
        "| | text | chu_ho | Chủ hộ | head_name |",
        "| | geopoint | toa_do | Toạ độ | house_location |",
        "| | integer | n | N | |",
        header=HEADER))
    nodes = by_name(definition)
    assert nodes["chu_ho"]["role"] == "head_name" and nodes["toa_do"]["role"] == "house_location"
    assert nodes["n"].get("role") is None


def test_unknown_role(tmp_path):
    en, vi = problems_of(tmp_path, "| | text | a | A | |", "| | text | chu_ho | Chủ hộ | household_boss |")
    assert [(p["sheet"], p["row"], p["column"]) for p in en] == [("survey", 3, "bind::maiam:role")]
    assert "unknown role 'household_boss'" in en[0]["message"] and "head_name" in en[0]["message"]
    assert "vai trò 'household_boss' không tồn tại" in vi[0]["message"]


def test_one_question_per_role(tmp_path):
    en, vi = problems_of(tmp_path, "| | text | a | A | head_name |", "| | text | b | B | head_name |")
    assert [(p["sheet"], p["row"], p["column"]) for p in en] == [("survey", 3, "bind::maiam:role")]
    assert "already given to 'a'" in en[0]["message"]
    assert "mỗi vai trò chỉ một câu hỏi" in vi[0]["message"]


def test_a_role_needs_the_right_type(tmp_path):
    en, vi = problems_of(tmp_path, "| | text | gps | GPS | house_location |")
    assert (en[0]["row"], en[0]["column"]) == (2, "bind::maiam:role")
    assert "needs a question of type geopoint, not 'text'" in en[0]["message"]
    assert "cần câu hỏi loại geopoint" in vi[0]["message"]


def test_a_role_cannot_be_inside_a_repeat(tmp_path):
    en, vi = problems_of(tmp_path, "| | begin repeat | people | People | |",
                         "| | text | name | Name | head_name |", "| | end repeat | | | |")
    assert (en[0]["row"], en[0]["column"]) == (3, "bind::maiam:role")
    assert "inside a repeat" in en[0]["message"] and "nhóm lặp" in vi[0]["message"]


def test_every_role_problem_is_listed_at_once(tmp_path):
    en, _ = problems_of(tmp_path, "| | text | a | A | nope |", "| | integer | b | B | head_name |")
    assert [p["row"] for p in en] == [2, 3]


def test_the_title_in_other_languages_comes_from_the_maiam_settings_column(tmp_path):
    definition = compile_md(tmp_path, survey(
        "| | text | a | A |",
        extra="| settings |\n| | form_title | maiam::form_title::English (en) | default_language |\n"
              "| | Khảo sát | Survey | Tiếng Việt (vi) |\n"))
    assert definition["title"] == {"vi": "Khảo sát", "en": "Survey"}
