"""The one error of the expression language: what went wrong and where, in Vietnamese and English."""

# code -> (English template, Vietnamese template); both are formatted with the same keyword arguments.
MESSAGES = {
    "empty": ("the expression is empty", "biểu thức trống"),
    "char": ("unexpected character {char!r}", "ký tự không hợp lệ {char!r}"),
    "string": ("string not closed: missing {quote}", "chuỗi chưa được đóng: thiếu dấu {quote}"),
    "ref": (
        "bad reference {text!r}: write ${{name}} with a question name",
        "tham chiếu sai {text!r}: hãy viết ${{tên}} với tên một câu hỏi",
    ),
    "end": ("the expression ends too early", "biểu thức kết thúc quá sớm"),
    "token": ("unexpected {token}", "không mong đợi {token}"),
    "extra": (
        "unexpected {token}: an operator (and, or, =, + ...) is missing before it",
        "không mong đợi {token}: thiếu một phép toán (and, or, =, + ...) trước nó",
    ),
    "paren": ("'(' is never closed: ')' is missing", "dấu '(' chưa được đóng: thiếu dấu ')'"),
    "comma": (
        "expected ',' or ')' in the arguments of {name}()",
        "cần dấu ',' hoặc ')' trong các đối số của {name}()",
    ),
    "deep": (
        "the expression is nested too deeply (more than {limit} levels)",
        "biểu thức lồng nhau quá sâu (quá {limit} cấp)",
    ),
    "function": ("unknown function {name}()", "hàm không tồn tại {name}()"),
    "arity": (
        "{name}() takes {expected} argument(s), not {got}",
        "hàm {name}() cần {expected} đối số, không phải {got}",
    ),
    "parent": ("'..' is only allowed as position(..)", "'..' chỉ được dùng trong position(..)"),
    "path": (
        "paths such as {token} are not supported: refer to questions as ${{name}}",
        "không hỗ trợ đường dẫn như {token}: hãy tham chiếu câu hỏi bằng ${{tên}}",
    ),
    "regex": ("invalid regular expression {pattern!r}: {detail}", "biểu thức chính quy sai {pattern!r}: {detail}"),
    "indexed_repeat": (
        "indexed-repeat() needs ${{question}}, ${{repeat}}, index (more ${{repeat}}, index pairs when nested)",
        "indexed-repeat() cần ${{câu hỏi}}, ${{nhóm lặp}}, chỉ số (thêm cặp ${{nhóm lặp}}, chỉ số khi lồng nhau)",
    ),
    "position": ("write position(..) or position()", "hãy viết position(..) hoặc position()"),
    "choice_name": (
        "the second argument of jr:choice-name() must name a question, like '${{q}}'",
        "đối số thứ hai của jr:choice-name() phải là tên câu hỏi, ví dụ '${{q}}'",
    ),
}

_WHERE = {"en": "at character {n}", "vi": "ở ký tự {n}"}
_ANY = {"en": "or more", "vi": "trở lên"}
_OR = {"en": "or", "vi": "hoặc"}


class ExprError(ValueError):
    """A syntax error, an unknown function or a wrong number of arguments, found when parsing.

    ``message`` (English) and ``message_vi`` say what and where; ``position`` is the 0-based offset in
    ``expression``; ``code`` is one of the keys of ``MESSAGES``. ``text(lang)`` picks the language.
    """

    def __init__(self, message, position=0, expression="", *, message_vi=None, code="syntax"):
        super().__init__(message, position, expression)
        self.message = message
        self.message_vi = message_vi or message
        self.position = position
        self.expression = expression
        self.code = code

    @classmethod
    def build(cls, code, position, expression, **kwargs):
        en, vi = MESSAGES[code]
        where = position + 1
        message = en.format(**_pick(kwargs, "en")) + " " + _WHERE["en"].format(n=where)
        message_vi = vi.format(**_pick(kwargs, "vi")) + " " + _WHERE["vi"].format(n=where)
        return cls(message, position, expression, message_vi=message_vi, code=code)

    def text(self, lang="vi"):
        return self.message_vi if lang == "vi" else self.message

    def __str__(self):
        return f"{self.message}: {self.expression}"


def _pick(kwargs, lang):
    """Arguments given as {'en': ..., 'vi': ...} are taken in the message's language."""
    return {k: (v[lang] if isinstance(v, dict) else v) for k, v in kwargs.items()}


def arity_text(low, high, lang):
    """'2', '1 or 2', '2 or more' - the expected argument count of a function, for messages."""
    if high is None:
        return f"{low} {_ANY[lang]}"
    if high == low:
        return str(low)
    if high == low + 1:
        return f"{low} {_OR[lang]} {high}"
    return f"{low}-{high}"
