"""Dynamic defaults (pyxform: a default that is an expression): evaluated once when the survey is
new or a repeat item is added (ODK's odk-instance-first-load / odk-new-repeat), never on reopening."""

from forms.definition import load
from forms.session import FormSession
from forms.validate import validate
from tests.forms.compile.helpers import compile_md, survey

META = {"today": "2026-11-29", "username": "cuu"}


def form(tmp_path):
    text = survey(
        "| | date | visit | Ngày | today() |",
        "| | integer | n | Số | 3 |",
        "| | text | code | Mã | concat('H-', ${n}) |",
        "| | begin repeat | people | Người | |",
        "| | integer | order | Thứ tự | position(..) |",
        "| | end repeat | | | |",
        header="| | type | name | label | default |",
    )
    return load(compile_md(tmp_path, text))


def test_a_new_survey_gets_its_dynamic_defaults(tmp_path):
    f = form(tmp_path)
    node = f.nodes["visit"]
    assert node.default is None and node.default_expr is not None and f.nodes["n"].default == "3"
    s = FormSession(f, meta=META)
    assert s.get("visit") == "2026-11-29" and s.get("n") == 3 and s.get("code") == "H-3"
    assert validate(f, s.finished_answers(), meta=META).ok


def test_reopening_a_draft_does_not_run_them_again(tmp_path):
    f = form(tmp_path)
    s = FormSession(f, answers={"visit": "2026-11-01", "n": 5}, meta=META)
    assert s.get("visit") == "2026-11-01"  # not today
    assert s.get("code") is None  # cleared or never set: left alone


def test_each_new_repeat_item_gets_its_own(tmp_path):
    s = FormSession(form(tmp_path), meta=META)
    for _ in range(3):
        s.add_repeat("people")
    assert [s.get(f"people[{i}]/order") for i in (1, 2, 3)] == [1, 2, 3]


def test_a_default_of_the_wrong_type_leaves_the_answer_empty(tmp_path):
    text = survey("| | integer | age | Tuổi | today() |", header="| | type | name | label | default |")
    s = FormSession(load(compile_md(tmp_path, text)), meta=META)
    assert s.get("age") is None
