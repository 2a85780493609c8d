"""Bad XLSForms: CompileError lists each problem with its sheet, row and column, in vi and en."""

import os

import pytest
from openpyxl import Workbook

from forms.compile import CompileError, compile_file
from tests.forms.compile.helpers import compile_md, survey, write_md


def problems_of(tmp_path, text, lang="en"):
    with pytest.raises(CompileError) as info:
        compile_md(tmp_path, text)
    return info.value.errors(lang)


def where(problem):
    return problem["sheet"], problem["row"], problem["column"]


def test_corrupt_xlsx(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(os.urandom(2048))
    with pytest.raises(CompileError) as info:
        compile_file(path)
    [problem] = info.value.errors("en")
    assert "broken.xlsx" in problem["message"] and "damaged" in problem["message"]
    assert "bị hỏng" in info.value.errors("vi")[0]["message"]


def test_missing_survey_sheet(tmp_path):
    book = Workbook()
    book.active.title = "choices"
    book.active.append(["list_name", "name", "label"])
    book.active.append(["yn", "yes", "Yes"])
    book.create_sheet("settings").append(["form_id"])
    path = tmp_path / "no_survey.xlsx"
    book.save(path)
    with pytest.raises(CompileError) as info:
        compile_file(path)
    [problem] = info.value.errors("en")
    assert problem["sheet"] == "survey"
    assert "no 'survey' sheet" in problem["message"] and "choices" in problem["message"]


def test_unknown_type(tmp_path):
    [problem] = problems_of(tmp_path, survey("| | text | a | A |", "| | textt | b | B |"))
    assert where(problem) == ("survey", 3, "type")
    assert "'textt'" in problem["message"]


def test_unsupported_types_are_all_listed(tmp_path):
    found = problems_of(
        tmp_path, survey("| | background-audio | a | |", "| | text | t | T |", "| | rank yn | b | B |",
                         extra="| choices |\n| | list_name | name | label |\n| | yn | y | Y |\n")
    )
    assert [where(p) for p in found] == [("survey", 2, "type"), ("survey", 4, "type")]


def test_unknown_function(tmp_path):
    text = survey(
        "| | integer | a | A | |",
        "| | text | b | B | foo(${a}) > 1 |",
        header="| | type | name | label | relevant |",
    )
    [problem] = problems_of(tmp_path, text)
    assert where(problem) == ("survey", 3, "relevant")
    assert "unknown function foo()" in problem["message"]
    [vi] = problems_of(tmp_path, text, lang="vi")
    assert "hàm không tồn tại foo()" in vi["message"]


def test_syntax_error(tmp_path):
    text = survey("| | integer | a | A | . > and 3 |", header="| | type | name | label | constraint |")
    [problem] = problems_of(tmp_path, text)
    assert where(problem) == ("survey", 2, "constraint")
    assert "character" in problem["message"]


@pytest.mark.parametrize("column", ["relevant", "calculation", "constraint"])
def test_unknown_reference(tmp_path, column):
    text = survey(
        "| | integer | a | A | ${nope} > 1 |",
        header=f"| | type | name | label | {column} |",
    ).replace("| | integer |", "| | calculate |" if column == "calculation" else "| | integer |")
    [problem] = problems_of(tmp_path, text)
    assert where(problem) == ("survey", 2, column)
    assert "nope" in problem["message"]


def test_unknown_reference_in_instance_name(tmp_path):
    text = survey("| | text | a | A |") + "| settings |\n| | instance_name |\n| | concat(${a}, ${b}) |\n"
    found = problems_of(tmp_path, text)
    assert any(p["sheet"] == "settings" and "b" in p["message"] for p in found)


def test_duplicate_names_in_one_group(tmp_path):
    """XLSForm allows a name again only in another group (tests/forms/test_odk_types.py)."""
    text = survey(
        "| | begin group | g | G |", "| | text | a | A |", "| | text | a | Again |", "| | end group | | |"
    )
    [problem] = problems_of(tmp_path, text)
    assert where(problem)[:2] == ("survey", 4)
    assert "'a'" in problem["message"]


def test_choice_filter_column_missing(tmp_path):
    text = survey(
        "| | text | c | C | |",
        "| | select_one v | v | V | district = ${c} |",
        header="| | type | name | label | choice_filter |",
        extra="| choices |\n| | list_name | name | label | commune |\n| | v | 1 | One | 20968 |\n",
    )
    [problem] = problems_of(tmp_path, text)
    assert where(problem) == ("survey", 3, "choice_filter")
    assert "'district'" in problem["message"]


@pytest.mark.parametrize("expr, part", [("${nope}", "nope"), ("todayy()", "todayy")])
def test_a_bad_dynamic_default_names_its_cell(tmp_path, expr, part):
    text = survey("| | text | t | T | |", f"| | text | d | D | {expr} |", header="| | type | name | label | default |")
    [problem] = problems_of(tmp_path, text)
    assert where(problem) == ("survey", 3, "default")
    assert part in problem["message"]


def test_unknown_choice_list(tmp_path):
    text = survey(
        "| | select_one nope | a | A |",
        extra="| choices |\n| | list_name | name | label |\n| | yn | y | Y |\n",
    )
    [problem] = problems_of(tmp_path, text)
    assert problem["sheet"] == "survey" and problem["row"] == 2
    assert "nope" in problem["message"]


def test_unclosed_group(tmp_path):
    [problem] = problems_of(tmp_path, survey("| | begin group | g | G |", "| | text | a | A |"))
    assert problem["sheet"] == "survey" and problem["row"] == 2


def test_not_an_xlsform_file(tmp_path):
    path = tmp_path / "form.txt"
    path.write_text("hello", encoding="utf-8")
    with pytest.raises(CompileError) as info:
        compile_file(path)
    assert ".xlsx" in info.value.errors("en")[0]["message"]


def test_missing_file(tmp_path):
    with pytest.raises(CompileError) as info:
        compile_file(tmp_path / "absent.xlsx")
    assert "absent.xlsx" in info.value.errors("en")[0]["message"]


def test_circular_calculation(tmp_path):
    text = survey(
        "| | calculate | a | | ${b} + 1 |",
        "| | calculate | b | | ${a} + 1 |",
        header="| | type | name | label | calculation |",
    )
    [problem] = problems_of(tmp_path, text)
    assert where(problem) in (("survey", 2, "calculation"), ("survey", 3, "calculation"))
    assert (
        "circular" in problem["message"] and "a -> b" in problem["message"] or "b -> a" in problem["message"]
    )
    [vi] = problems_of(tmp_path, text, lang="vi")
    assert "vòng tròn" in vi["message"]


def test_error_line_names_the_place(tmp_path):
    with pytest.raises(CompileError) as info:
        compile_file(write_md(tmp_path, survey("| | text | a | A |", "| | textt | b | B |")))
    assert info.value.problems[0].line("en").startswith("sheet survey, row 3, column type: ")
    assert info.value.problems[0].line("vi").startswith("trang survey, dòng 3, cột type: ")


def test_misspelt_column_is_a_warning(tmp_path):
    warnings = []
    path = write_md(tmp_path, survey("| | integer | a | A | . > 1 |", header="| | type | name | label | contraint |"))
    definition = compile_file(path, warnings)
    assert definition["questions"][0]["constraint"] is None
    assert any("'contraint'" in w and "typo" in w for w in warnings)


def test_pyxforms_frequent_messages_read_in_vietnamese(tmp_path):
    ref = problems_of(tmp_path, survey("| | integer | a | A | ${nope} > 1 |", header="| | type | name | label | relevant |"),
                      "vi")
    assert ref[0]["message"] == "cột 'relevant' dùng ${nope}, nhưng không có câu hỏi nào tên «nope» trên trang survey."
    listed = problems_of(tmp_path, survey("| | select_one nope | a | A |",
                                          extra="| choices |\n| | list_name | name | label |\n| | yn | y | Y |\n"), "vi")
    assert listed[0]["message"] == "danh sách lựa chọn «nope» không có trên trang choices."
    for p in ref + listed:
        assert "Lỗi XLSForm" not in p["message"]
