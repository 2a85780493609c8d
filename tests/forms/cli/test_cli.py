"""`python -m forms` as a real subprocess: exit codes, JSON on stdout, one-line errors, never a traceback."""

import json
import os
import subprocess
import sys

import pytest
from openpyxl import Workbook

from forms.compile import compile_file
from forms.compile.library import library_path
from tests.conftest import ROOT

HOUSE = str(library_path("house_assessment"))
PROGRESS = str(library_path("construction_progress"))


def run(*args):
    out = subprocess.run(
        [sys.executable, "-m", "forms", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=120,
    )
    assert "Traceback" not in out.stderr, out.stderr
    return out


def md(tmp_path, text, name="form.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def survey(*rows, header="| | type | name | label |"):
    return "\n".join(["| survey |", header, *rows]) + "\n"


@pytest.mark.parametrize("path", [HOUSE, PROGRESS])
def test_check_library_forms(path):
    out = run("check", path)
    assert out.returncode == 0, out.stderr
    summary = json.loads(out.stdout)
    assert summary["form_id"] in ("house_assessment", "construction_progress")
    assert summary["version"] and summary["languages"] == ["vi", "en"]
    assert summary["types"]["image"] >= 3 and summary["types"]["geopoint"] == 1


def test_check_counts_types(tmp_path):
    out = run(
        "check", md(tmp_path, survey("| | text | a | A |", "| | text | b | B |", "| | integer | n | N |"))
    )
    assert out.returncode == 0
    summary = json.loads(out.stdout)
    assert summary["types"] == {"integer": 1, "text": 2} and summary["questions"] == 3


def _bad_forms(tmp_path):
    corrupt = tmp_path / "corrupt.xlsx"
    corrupt.write_bytes(os.urandom(4096))
    book = Workbook()
    book.active.title = "choices"
    book.active.append(["list_name", "name", "label"])
    no_survey = tmp_path / "no_survey.xlsx"
    book.save(no_survey)
    rel = "| | type | name | label | relevant |"
    return {
        "corrupt": (corrupt, None, None, None, "corrupt.xlsx"),
        "no_survey": (no_survey, "survey", None, None, "survey"),
        "unknown_type": (
            md(tmp_path, survey("| | text | a | A |", "| | photograph | p | P |"), "t.md"),
            "survey",
            3,
            "type",
            "photograph",
        ),
        "unknown_function": (
            md(
                tmp_path,
                survey("| | text | a | A | |", "| | text | b | B | magic(${a}) |", header=rel),
                "f.md",
            ),
            "survey",
            3,
            "relevant",
            "magic()",
        ),
        "syntax": (
            md(
                tmp_path, survey("| | integer | a | A | (${a} > 1 |", header=rel).replace("${a}", "3"), "s.md"
            ),
            "survey",
            2,
            "relevant",
            "(",
        ),
        "unknown_ref": (
            md(tmp_path, survey("| | text | a | A | ${ghost} = 1 |", header=rel), "r.md"),
            "survey",
            2,
            "relevant",
            "ghost",
        ),
    }


@pytest.mark.parametrize(
    "case", ["corrupt", "no_survey", "unknown_type", "unknown_function", "syntax", "unknown_ref"]
)
def test_check_bad_forms(tmp_path, case):
    path, sheet, row, column, word = _bad_forms(tmp_path)[case]
    out = run("check", path, "--lang", "en")
    assert out.returncode == 1
    [problem] = json.loads(out.stdout)["errors"]
    assert (problem["sheet"], problem["row"], problem["column"]) == (sheet, row, column)
    assert word in problem["message"]
    line = out.stderr.strip().splitlines()[0]
    if row:
        assert line.startswith(f"sheet {sheet}, row {row}, column {column}: ")


def test_check_messages_in_vietnamese_by_default(tmp_path):
    out = run("check", md(tmp_path, survey("| | text | a | A |", "| | photograph | p | P |")))
    assert out.returncode == 1
    assert out.stderr.startswith(
        "trang survey, dòng 3, cột type: loại câu hỏi 'photograph' không được hỗ trợ"
    )


def test_check_circular_calculation(tmp_path):
    text = survey(
        "| | calculate | a | | ${b} + 1 |",
        "| | calculate | b | | ${a} * 2 |",
        header="| | type | name | label | calculation |",
    )
    out = run("check", md(tmp_path, text), "--lang", "en")
    assert out.returncode == 1
    [problem] = json.loads(out.stdout)["errors"]
    assert (problem["sheet"], problem["row"], problem["column"]) == ("survey", 2, "calculation")
    assert "circular" in problem["message"]


def test_compile_stdout_and_file(tmp_path):
    out = run("compile", PROGRESS)
    assert out.returncode == 0
    assert json.loads(out.stdout) == compile_file(PROGRESS)
    target = tmp_path / "out.json"
    out = run("compile", HOUSE, "-o", target)
    assert out.returncode == 0 and out.stdout == ""
    definition = json.loads(target.read_text(encoding="utf-8"))
    assert definition["schema_version"] == 1 and definition["form_id"] == "house_assessment"


def test_missing_file_and_bad_usage(tmp_path):
    out = run("check", tmp_path / "nope.xlsx")
    assert out.returncode == 1 and "nope.xlsx" in out.stderr
    out = run()
    assert out.returncode == 2 and "usage" in out.stderr


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("{not json", ("không phải JSON hợp lệ", "dòng 1")),
        ("[1, 2]", ("phải là một đối tượng JSON",)),
        (b"\xff\xfe\x00garbage", ("không phải JSON hợp lệ",)),
    ],
)
def test_validate_rejects_answers_that_are_not_an_object(tmp_path, content, words):
    answers = tmp_path / "answers.json"
    if isinstance(content, bytes):
        answers.write_bytes(content)
    else:
        answers.write_text(content, encoding="utf-8")
    out = run("validate", PROGRESS, answers)
    assert out.returncode == 1
    assert len(out.stderr.strip().splitlines()) == 1
    for word in words:
        assert word in out.stderr


@pytest.mark.parametrize("form", [HOUSE, PROGRESS])
def test_example_then_validate_round_trip(tmp_path, form):
    for seed in (0, 1, 7):
        out = run("example", form, "--seed", seed)
        assert out.returncode == 0, out.stderr
        answers = tmp_path / f"answers{seed}.json"
        answers.write_text(out.stdout, encoding="utf-8")
        checked = run("validate", form, answers)
        assert checked.returncode == 0, checked.stdout + checked.stderr


def test_validate_reports_errors_by_field(tmp_path):
    compiled = tmp_path / "progress.json"
    assert run("compile", PROGRESS, "-o", compiled).returncode == 0
    answers = tmp_path / "bad.json"
    answers.write_text(
        json.dumps(
            {"house_id": "", "commune_code": "123", "stage": "finished", "workdays_contributed": "many"}
        ),
        encoding="utf-8",
    )
    out = run("validate", compiled, answers, "--lang", "en")
    assert out.returncode == 1
    errors = json.loads(out.stdout)
    codes = {e["field"]: e["code"] for e in errors}
    assert codes.get("house_id") == "required"
    assert codes.get("commune_code") == "constraint"
    assert codes.get("stage") == "choice"
    assert codes.get("workdays_contributed") == "type"
    assert all(set(e) == {"field", "code", "message"} for e in errors)


def test_check_lists_pyxform_warnings(tmp_path):
    header = "| | type | name | label::Tiếng Việt (vi) | label::English (en) | hint::Tiếng Việt (vi) |"
    out = run("check", md(tmp_path, survey("| | text | a | Tên | Name | Ghi đủ họ tên |", header=header)))
    assert out.returncode == 0
    [warning] = json.loads(out.stdout)["warnings"]
    assert "English (en)" in warning and "hint" in warning
    assert json.loads(run("check", HOUSE).stdout)["warnings"] == []


@pytest.mark.parametrize(("content", "word"), [("{oops", "JSON"), ('{"schema_version": 1}', "questions")])
def test_bad_compiled_definition(tmp_path, content, word):
    form = tmp_path / "form.json"
    form.write_text(content, encoding="utf-8")
    answers = tmp_path / "answers.json"
    answers.write_text("{}", encoding="utf-8")
    for command in (("validate", form, answers), ("example", form)):
        out = run(*command, "--lang", "en")
        assert out.returncode == 1
        assert len(out.stderr.strip().splitlines()) == 1 and word in out.stderr


def test_example_is_reproducible_per_seed():
    meta = json.dumps({"now": "2026-11-28T09:00:00+07:00", "today": "2026-11-28", "username": "volunteer"})
    first, again, other = (run("example", PROGRESS, "--seed", s, "--meta", meta).stdout for s in (5, 5, 6))
    assert first == again and first != other
    assert json.loads(first)["commune_code"] == "20968"
    assert json.loads(first)["start"].startswith("2026-11-28T09:00")


def test_check_a_folder_prints_one_line_per_form(tmp_path):
    """An officer checking the forms an association already uses: accepted, or refused + first reason."""
    from tests.forms.odk_forms import FORMS, MEDIA_FORMS, write_with_media

    for name, text in FORMS.items():
        md(tmp_path, text, f"{name}.md")
    text, files = MEDIA_FORMS["from_file"]
    write_with_media(tmp_path, "from_file", text, files)
    md(tmp_path, survey("| | rank yn | r | R |") + "| choices |\n| | list_name | name | label |\n| | yn | y | Y |\n",
       "ranked.md")
    md(tmp_path, survey("| | text | a | A |", "| | text | b | B |", header="| | type | name | label |")
       .replace("| | text | b | B |", "| | integer | b | B |\n| | text | c | ${zz} |"), "zz.md")
    out = run("check", tmp_path)
    lines = out.stdout.strip().splitlines()
    assert out.returncode == 1
    assert len(lines) == len(FORMS) + 3 + 1  # one per form, then the totals
    assert lines[0] == "✓ aliases.md: nhận (aliases, phiên bản , 8 câu hỏi)"
    assert "✓ from_file.md: nhận" in out.stdout
    ranked = next(line for line in lines if "ranked.md" in line)
    assert ranked.startswith("✗ ranked.md: từ chối: trang survey, dòng 2, cột type: loại câu hỏi")
    assert lines[-1] == f"{len(FORMS) + 1} biểu mẫu được nhận, 2 bị từ chối"
    assert run("check", tmp_path, "--lang", "en").stdout.strip().splitlines()[-1].endswith("2 refused")
