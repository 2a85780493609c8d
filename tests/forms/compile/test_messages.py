"""pyxform's errors in Vietnamese with their sheet/row/column, one per row; library warnings kept in
the result (never printed); a runaway repeat_count gives one clear error."""

import warnings

import pytest
from openpyxl import Workbook

import forms.compile.compiler as compiler
from forms.compile import CompileError, compile_file
from forms.definition import load
from forms.validate import validate
from tests.forms.compile.helpers import compile_md, survey


def errors_of(path, lang="vi"):
    with pytest.raises(CompileError) as info:
        compile_file(path)
    return info.value.errors(lang)


def test_a_duplicated_column_header_says_so(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    sheet.append(["type", "name", "label", "label"])
    sheet.append(["text", "a", "A", "B"])
    book.save(tmp_path / "dup.xlsx")
    assert errors_of(tmp_path / "dup.xlsx") == [
        {"sheet": None, "row": 1, "column": "label", "message": "Cột tiêu đề bị lặp: label"}]
    assert errors_of(tmp_path / "dup.xlsx", "en")[0]["message"] == "Duplicate column header: label"


def test_a_coded_pyxform_error_is_in_vietnamese_on_its_cell(tmp_path):
    text = survey("| | begin group | g | G |", "| | text | a | A |")  # never closed
    path = tmp_path / "f.md"
    path.write_text(text, encoding="utf-8")
    [problem] = errors_of(path)
    assert problem["sheet"] == "survey" and problem["row"] == 2
    assert "chưa được đóng" in problem["message"]


def test_an_error_over_many_rows_is_one_message_per_row(tmp_path):
    rows = "".join(f"| | yn | y | Yes {i} |\n" for i in range(30))
    path = tmp_path / "f.md"
    path.write_text(survey("| | select_one yn | a | A |",
                           extra="| choices |\n| | list_name | name | label |\n" + rows), encoding="utf-8")
    found = errors_of(path)
    assert [p["row"] for p in found] == list(range(3, 32))
    assert {(p["sheet"], p["column"], p["message"]) for p in found} == {
        ("choices", "name", "trong một danh sách lựa chọn, mỗi tên (cột name) chỉ dùng một lần.")}
    assert all(len(p["message"]) < 200 for p in found)


def test_library_warnings_are_kept_in_the_result_not_printed(tmp_path, monkeypatch, capsys):
    real = compiler.get_xlsform

    def noisy(*args, **kwargs):
        warnings.warn("Data Validation extension is not supported and will be removed", UserWarning, stacklevel=1)
        return real(*args, **kwargs)

    monkeypatch.setattr(compiler, "get_xlsform", noisy)
    path = tmp_path / "f.md"
    path.write_text(survey("| | text | a | A |"), encoding="utf-8")
    found: list = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning escaping would fail here
        compile_file(path, found)
    assert any("Data Validation extension" in w for w in found)
    assert capsys.readouterr().err == ""


def test_a_runaway_repeat_count_is_one_clear_error(tmp_path):
    form = load(compile_md(tmp_path, survey(
        "| | integer | n | How many? | |",
        "| | begin repeat | member | Member | ${n} |",
        "| | text | name | Name | |",
        "| | end repeat | | | |",
        header="| | type | name | label | repeat_count |",
    )))
    result = validate(form, {"n": 10**9})
    assert [(e.field, e.code) for e in result.errors] == [("member", "constraint")]
    assert "1000" in result.errors[0].message
    assert validate(form, {"n": 2, "member": [{"name": "An"}, {"name": "Bình"}]}).ok
