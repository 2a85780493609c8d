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


# pyxform >= 4 names each error (PyXFormError.code, with its sheet/row/column in .context): the
# Vietnamese words for the ones real forms meet, saying what is wrong and how to put it right. This is
# the ONE mapping: a message raised without its code is recognised by the code's template (_recognise);
# _UNCODED below covers the few messages pyxform still raises without a code. Others keep pyxform's
# English after "Lỗi XLSForm".
_OPEN_CLOSE = "mỗi nhóm mở bằng 'begin' phải đóng bằng 'end'."
_VI = {
    "HEADER_001": "trang '{sheet_name}' không có dòng tiêu đề (tên các cột)",
    "HEADER_002": "trang '{sheet_name}' có hai cột cùng nghĩa: '{other}' và '{header}'; hãy đổi tên hoặc xoá một cột",
    "HEADER_003": "trang '{sheet_name}' thiếu cột bắt buộc: {missing}",
    "HEADER_004": "tiêu đề cột '{column}' trên trang choices không được trống hay chứa dấu cách",
    "LABEL_001": "lựa chọn thiếu nhãn (cột label)",
    "NAMES_001": "tên «{value}» đã được dùng cho một câu hỏi khác: trong cùng một nhóm, mỗi tên chỉ dùng một lần.",
    "NAMES_002": "tên '{value}' trùng một tên khác nếu không phân biệt chữ hoa, chữ thường",
    "NAMES_003": "tên nhóm lặp '{value}' trùng tên gốc của biểu mẫu",
    "NAMES_004": "tên nhóm lặp '{value}' bị dùng hai lần trong biểu mẫu",
    "NAMES_005": "tên 'meta' dành cho siêu dữ liệu của biểu mẫu",
    "NAMES_006": "lựa chọn thiếu tên (cột name)",
    "NAMES_007": "trong một danh sách lựa chọn, mỗi tên (cột name) chỉ dùng một lần.",
    "NAMES_008": "tên không hợp lệ: tên bắt đầu bằng chữ cái hoặc dấu gạch dưới, sau đó chỉ gồm chữ, số, "
                 "'_', '-' hoặc '.'.",
    "NAMES_013": "trang '{a}' có phải là '{b}' viết sai không?",
    "PYREF_001": "không đọc được tham chiếu ${{...}} trong ô này",
    "PYREF_003": "cột '{column}' dùng ${{{q}}}, nhưng không có câu hỏi nào tên «{q}» trên trang survey.",
    "PYREF_004": "cột '{column}' dùng ${{{q}}}, nhưng tên «{q}» được dùng cho nhiều câu hỏi nên không rõ là câu nào.",
    "RANGE_001": "tham số '{name}' của câu hỏi range phải là số",
    "RANGE_002": "tham số '{name}' của câu hỏi range không được bằng 0",
    "SURVEY_001": "'end {type}' không có dòng 'begin {type}' đi cùng: " + _OPEN_CLOSE,
    "SURVEY_002": "'begin {type}' chưa được đóng bằng 'end {type}': " + _OPEN_CLOSE,
    "SURVEY_004": "không đọc được cột parameters",
    "SURVEY_005": "tham số không được hỗ trợ trong cột parameters",
}
_ROWS = re.compile(r"(?=\[row\s*:\s*\d+\])")


def _pattern(msg):
    """An ErrorCode's message template as a regex capturing its {fields}."""
    out, seen = [], set()
    for i, part in enumerate(re.split(r"\{(\w+)\}", " ".join(msg.split()))):
        if i % 2 == 0:
            out.append(re.escape(part))
        else:
            out.append(f"(?P={part})" if part in seen else f"(?P<{part}>.+?)")
            seen.add(part)
    return re.compile("^" + "".join(out) + "$")


def _patterns():
    try:
        from pyxform.errors import ErrorCode
    except ImportError:  # pragma: no cover - pyxform < 4 has no codes
        return []
    return [(code.name, _pattern(code.value.msg)) for code in ErrorCode if code.name in _VI]


_PATTERNS = _patterns()


def _recognise(text):
    """(code, context) of a message pyxform raised without its code (several rows joined), or (None, {})."""
    for code, pattern in _PATTERNS:
        match = pattern.match(text)
        if match:
            return code, match.groupdict()
    return None, {}


def from_pyxform_error(err):
    """A PyXFormError -> Problems: its code and context (pyxform >= 4) give the Vietnamese words and the
    sheet/row/column; a message covering several rows becomes one Problem per row."""
    code = getattr(getattr(err, "code", None), "name", None)
    context = dict(getattr(err, "context", None) or {})
    text = " ".join(str(err).split())
    if code is None:
        parts = [p.strip() for p in _ROWS.split(text) if p.strip()] or [text]
        return [_coded(part, *_recognise(part)) for part in dict.fromkeys(parts)]
    return [_coded(text, code, context)]


def _coded(text, code, context):
    template = _VI.get(code or "")
    problem_ = from_pyxform(text)
    if template is None:
        return problem_
    try:
        vi = template.format(**{k: v for k, v in context.items() if v is not None})
    except (KeyError, IndexError, ValueError):
        vi = problem_.message_vi
    sheet = context.get("sheet") or context.get("sheet_name") or problem_.sheet
    row = int(context["row"]) if str(context.get("row", "")).isdigit() else problem_.row
    return Problem(sheet, row, context.get("column") or problem_.column, problem_.message, vi)


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
    return Problem(sheet, row, column, text, _in_vietnamese(" ".join(str(message).split()), text))


# the messages pyxform raises without a code -> what they say in Vietnamese
_UNCODED = (
    (re.compile(r"List name not in choices sheet: (\S+)"), "danh sách lựa chọn «{0}» không có trên trang choices."),
    (re.compile(r"Question or group with no name"), "câu hỏi hoặc nhóm chưa có tên (cột name)."),
    (re.compile(r"Question with no type"), "câu hỏi chưa có loại (cột type)."),
)


def _in_vietnamese(whole: str, text: str) -> str:
    """``whole`` (with its [row : n]) read by the coded templates first, then ``text`` by _UNCODED."""
    code, context = _recognise(whole)
    if code:
        try:
            return _VI[code].format(**context)
        except (KeyError, IndexError, ValueError):
            pass
    for pattern, vi in _UNCODED:
        match = pattern.search(text)
        if match:
            return vi.format(*match.groups())
    return "Lỗi XLSForm: " + text
