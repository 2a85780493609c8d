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
    return Problem(sheet, row, column, text, "Lỗi XLSForm: " + text)
