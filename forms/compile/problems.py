"""What is wrong with an XLSForm, and where: sheet, row, column, in Vietnamese and English."""

import re
from dataclasses import dataclass

from forms.text import Catalogue

_ROW = re.compile(r"\[row\s*:\s*(\d+)\]\s*")
_SHEET = re.compile(r"[Oo]n the '(\w+)' sheet")
_COLUMN = re.compile(r"the '([^']+)' (?:value|column)")

# English fragments of pyxform's messages -> the column they concern.
_COLUMN_HINTS = (
    ("question type", "type"),
    ("unknown question type", "type"),
    ("no type", "type"),
    ("no name", "name"),
    ("invalid xml tag", "name"),
    ("names must", "name"),
    ("choice_filter", "choice_filter"),
    ("repeat_count", "repeat_count"),
    ("parameter", "parameters"),
    ("list name", "type"),
    ("list_name", "type"),
    ("begin_", "type"),
    ("end_", "type"),
)


_WHERE = Catalogue({
    "sheet": {"vi": "trang {v}", "en": "sheet {v}"},
    "row": {"vi": "dòng {v}", "en": "row {v}"},
    "column": {"vi": "cột {v}", "en": "column {v}"},
})


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the form. ``row`` is the 1-based row of the sheet (header = row 1)."""

    sheet: str | None
    row: int | None
    column: str | None
    message: str
    message_vi: str

    def as_dict(self, lang="vi"):
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message_vi if lang == "vi" else self.message,
        }

    def line(self, lang="vi"):
        """'survey, row 5, column constraint: ...' - a one-line summary for people."""
        where = [_WHERE.text(part, _lang(lang), v=value)
                 for part, value in (("sheet", self.sheet), ("row", self.row), ("column", self.column)) if value]
        text = self.message_vi if lang == "vi" else self.message
        return (", ".join(where) + ": " + text) if where else text


def _lang(lang):
    return "vi" if lang == "vi" else "en"


class CompileError(ValueError):
    """The XLSForm cannot be compiled: ``problems`` lists every problem found (at least one)."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(p.line("en") for p in self.problems))

    def errors(self, lang="vi"):
        """The problems as ``[{sheet, row, column, message}]`` in ``lang``."""
        return [p.as_dict(lang) for p in self.problems]


def problem(sheet, row, column, en, vi):
    return Problem(sheet, row, column, en, vi)


def _group(match: re.Match[str] | None) -> str | None:
    return match.group(1) if match else None


def from_pyxform(message):
    """A pyxform error message -> Problem, keeping the row (and the sheet/column when it says)."""
    text = " ".join(str(message).split())
    row = None
    match = _ROW.search(text)
    if match:
        row = int(match.group(1))
        text = _ROW.sub("", text).strip()
    sheet = _group(_SHEET.search(text))
    column = _group(_COLUMN.search(text))
    lowered = text.lower()
    if column is None:
        column = next((col for hint, col in _COLUMN_HINTS if hint in lowered), None)
    if sheet is None:
        if row is not None:
            sheet = "survey"
        elif "choices sheet" in lowered or "'choices'" in lowered:
            sheet = "choices"
        elif "settings" in lowered:
            sheet = "settings"
        elif "survey" in lowered:
            sheet = "survey"
    return Problem(sheet, row, column, text, _in_vietnamese(text))


# pyxform's most frequent messages -> what they say in Vietnamese (the rest keep pyxform's English)
_PYXFORM_VI = (
    (re.compile(r"the '([^']+)' value is invalid\. Reference variables must contain a name from the '(\w+)' sheet\. "
                r"Could not find the name '([^']+)'"),
     "cột '{0}' dùng ${{{2}}}, nhưng không có câu hỏi nào tên «{2}» trên trang {1}."),
    (re.compile(r"the 'name' value '([^']+)' is invalid\. Questions, groups, and repeats must be unique"),
     "tên «{0}» đã được dùng cho một câu hỏi khác: trong cùng một nhóm, mỗi tên chỉ dùng một lần."),
    (re.compile(r"the 'name' value is invalid\. Names must begin with a letter or underscore"),
     "tên không hợp lệ: tên bắt đầu bằng chữ cái hoặc dấu gạch dưới, sau đó chỉ gồm chữ, số, '_', '-' hoặc '.'."),
    (re.compile(r"List name not in choices sheet: (\S+)"),
     "danh sách lựa chọn «{0}» không có trên trang choices."),
    (re.compile(r"Choice names must be unique for each choice list"),
     "trong một danh sách lựa chọn, mỗi tên (cột name) chỉ dùng một lần."),
    (re.compile(r"Unmatched '(begin|end)_(group|repeat)'"),
     "'{0} {1}' không có dòng '{2} {1}' đi cùng: mỗi nhóm mở bằng 'begin' phải đóng bằng 'end'."),
    (re.compile(r"Question or group with no name"), "câu hỏi hoặc nhóm chưa có tên (cột name)."),
    (re.compile(r"Question with no type"), "câu hỏi chưa có loại (cột type)."),
)


def _in_vietnamese(text: str) -> str:
    for pattern, vi in _PYXFORM_VI:
        match = pattern.search(text)
        if match:
            groups = list(match.groups())
            if vi.startswith("'{0} {1}'"):  # the other half of an unmatched begin/end
                groups.append("end" if groups[0] == "begin" else "begin")
            return vi.format(*groups)
    return "Lỗi XLSForm: " + text
