"""The one error of the expression language: what went wrong and where, in Vietnamese and English."""

from forms.text import Catalogue

# code -> its message in each language; both are formatted with the same keyword arguments.
MESSAGES = Catalogue({
    "empty": {"vi": "biểu thức trống", "en": "the expression is empty"},
    "char": {"vi": "ký tự không hợp lệ {char!r}", "en": "unexpected character {char!r}"},
    "string": {"vi": "chuỗi chưa được đóng: thiếu dấu {quote}", "en": "string not closed: missing {quote}"},
    "ref": {
        "vi": "tham chiếu sai {text!r}: hãy viết ${{tên}} với tên một câu hỏi",
        "en": "bad reference {text!r}: write ${{name}} with a question name",
    },
    "end": {"vi": "biểu thức kết thúc quá sớm", "en": "the expression ends too early"},
    "token": {"vi": "không mong đợi {token}", "en": "unexpected {token}"},
    "extra": {
        "vi": "không mong đợi {token}: thiếu một phép toán (and, or, =, + ...) trước nó",
        "en": "unexpected {token}: an operator (and, or, =, + ...) is missing before it",
    },
    "paren": {"vi": "dấu '(' chưa được đóng: thiếu dấu ')'", "en": "'(' is never closed: ')' is missing"},
    "comma": {
        "vi": "cần dấu ',' hoặc ')' trong các đối số của {name}()",
        "en": "expected ',' or ')' in the arguments of {name}()",
    },
    "deep": {
        "vi": "biểu thức lồng nhau quá sâu (quá {limit} cấp)",
        "en": "the expression is nested too deeply (more than {limit} levels)",
    },
    "function": {"vi": "hàm không tồn tại {name}()", "en": "unknown function {name}()"},
    "arity": {
        "vi": "hàm {name}() cần {expected} đối số, không phải {got}",
        "en": "{name}() takes {expected} argument(s), not {got}",
    },
    "parent": {"vi": "'..' chỉ được dùng trong position(..)", "en": "'..' is only allowed as position(..)"},
    "path": {
        "vi": "không hỗ trợ đường dẫn như {token}: hãy tham chiếu câu hỏi bằng ${{tên}}",
        "en": "paths such as {token} are not supported: refer to questions as ${{name}}",
    },
    "instance": {
        "vi": "hãy viết instance('danh_sách')/root/item[điều_kiện]/cột",
        "en": "write instance('list')/root/item[condition]/column",
    },
    "regex": {
        "vi": "biểu thức chính quy sai {pattern!r}: {detail}",
        "en": "invalid regular expression {pattern!r}: {detail}",
    },
    "indexed_repeat": {
        "vi": "indexed-repeat() cần ${{câu hỏi}}, ${{nhóm lặp}}, chỉ số (thêm cặp ${{nhóm lặp}}, chỉ số khi lồng nhau)",
        "en": "indexed-repeat() needs ${{question}}, ${{repeat}}, index (more ${{repeat}}, index pairs when nested)",
    },
    "position": {"vi": "hãy viết position(..) hoặc position()", "en": "write position(..) or position()"},
    "choice_name": {
        "vi": "đối số thứ hai của jr:choice-name() phải là tên câu hỏi, ví dụ '${{q}}'",
        "en": "the second argument of jr:choice-name() must name a question, like '${{q}}'",
    },
})

_WORDS = Catalogue({
    "where": {"vi": "ở ký tự {n}", "en": "at character {n}"},
    "any": {"vi": "trở lên", "en": "or more"},
    "or": {"vi": "hoặc", "en": "or"},
})


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
        message, message_vi = (
            MESSAGES[code][lang].format(**_pick(kwargs, lang)) + " " + _WORDS.text("where", lang, n=position + 1)
            for lang in ("en", "vi")
        )
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
        return f"{low} {_WORDS.text('any', lang)}"
    if high == low:
        return str(low)
    if high == low + 1:
        return f"{low} {_WORDS.text('or', lang)} {high}"
    return f"{low}-{high}"
