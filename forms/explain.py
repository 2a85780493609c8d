"""An expression in words, for people who write forms: «Đã được hỗ trợ trước đây?» là «Có».

`in_words(text, form, lang)` reads a relevance, constraint, required or choice-filter expression the
way a form author would say it: a question is named by its label, a choice by its label, comparisons,
`selected()`, `and` / `or`, empty / answered in words. What has no words (other functions,
arithmetic) keeps its form with the question labels put in. Never raises: text that does not parse
is returned as it is. Pure Python (the web preview of a form and any tool may use it).
"""

from __future__ import annotations

from forms.expr.errors import ExprError
from forms.expr.syntax import parse_tree
from forms.model import Form, Node
from forms.text import Catalogue

WORDS = Catalogue({
    "quote": {"vi": "«{x}»", "en": "“{x}”"},
    "and": {"vi": "{a} và {b}", "en": "{a} and {b}"},
    "or": {"vi": "{a} hoặc {b}", "en": "{a} or {b}"},
    "is": {"vi": "{a} là {b}", "en": "{a} is {b}"},
    "is_not": {"vi": "{a} không phải {b}", "en": "{a} is not {b}"},
    "empty": {"vi": "{a} để trống", "en": "{a} is empty"},
    "answered": {"vi": "{a} đã trả lời", "en": "{a} is answered"},
    "gt": {"vi": "{a} lớn hơn {b}", "en": "{a} is more than {b}"},
    "ge": {"vi": "{a} từ {b} trở lên", "en": "{a} is at least {b}"},
    "lt": {"vi": "{a} nhỏ hơn {b}", "en": "{a} is less than {b}"},
    "le": {"vi": "{a} không quá {b}", "en": "{a} is at most {b}"},
    "selected": {"vi": "{a} có chọn {b}", "en": "{a} includes {b}"},
    "not_selected": {"vi": "{a} không chọn {b}", "en": "{a} does not include {b}"},
    "not": {"vi": "không phải ({a})", "en": "not ({a})"},
    "length": {"vi": "độ dài của {a}", "en": "the length of {a}"},
    "count_selected": {"vi": "số lựa chọn của {a}", "en": "the number of choices in {a}"},
    "this_answer": {"vi": "câu trả lời", "en": "the answer"},
    "today": {"vi": "hôm nay", "en": "today"},
    "true": {"vi": "đúng", "en": "true"},
    "false": {"vi": "sai", "en": "false"},
})

_COMPARE = {">": "gt", ">=": "ge", "<": "lt", "<=": "le"}
_MIRROR = {">": "<", ">=": "<=", "<": ">", "<=": ">="}
_SELECTS = ("select_one", "select_multiple")


def in_words(text: str | None, form: Form, lang: str = "vi") -> str:
    """``text`` (XLSForm expression syntax) said in ``lang``; '' for no text."""
    if not text:
        return ""
    try:
        tree = parse_tree(text)
    except ExprError:
        return text
    return _Speaker(form, lang).say(tree)


class _Speaker:
    def __init__(self, form: Form, lang: str):
        self.form = form
        self.lang = lang

    def w(self, key: str, **params) -> str:
        return WORDS.text(key, self.lang, **params)

    def say(self, node, outer: str | None = None) -> str:
        kind = node[0]
        if kind == "bin":
            return self.binary(node, outer)
        if kind == "call":
            return self.call(node)
        if kind == "ref":
            return self.w("quote", x=self.label(node[1]))
        if kind == "dot":
            return self.w("this_answer")
        if kind == "lit":
            return self.literal(node[1])
        if kind == "neg":
            return "-" + self.say(node[1], "neg")
        return node[1] if kind == "col" else ".."

    def binary(self, node, outer: str | None) -> str:
        _, op, left, right = node
        if op in ("and", "or"):
            text = self.w(op, a=self.say(left, op), b=self.say(right, op))
            return f"({text})" if outer in ("and", "or") and outer != op else text
        if op in ("=", "!="):
            return self.equality(op, left, right)
        if op in _COMPARE:
            if left[0] == "lit" and right[0] != "lit":  # 5 < ${a}: say «a» > 5
                left, right, op = right, left, _MIRROR[op]
            return self.w(_COMPARE[op], a=self.say(left), b=self.say(right))
        word = {"div": "/", "mod": "mod"}.get(op, op)
        text = f"{self.say(left, op)} {word} {self.say(right, op)}"
        return f"({text})" if outer in ("*", "div", "mod", "neg") else text

    def equality(self, op: str, left, right) -> str:
        if left[0] == "lit" and right[0] != "lit":
            left, right = right, left
        if right == ("lit", ""):
            return self.w("empty" if op == "=" else "answered", a=self.say(left))
        value = self.choice(left, right) if right[0] == "lit" else self.say(right)
        return self.w("is" if op == "=" else "is_not", a=self.say(left), b=value)

    def call(self, node) -> str:
        _, name, args, _ = node
        if name == "selected" and len(args) == 2:
            return self.w("selected", a=self.say(args[0]), b=self.choice(args[0], args[1]))
        if name == "not" and len(args) == 1:
            inner = args[0]
            if inner[0] == "call" and inner[1] == "selected" and len(inner[2]) == 2:
                return self.w("not_selected", a=self.say(inner[2][0]), b=self.choice(inner[2][0], inner[2][1]))
            return self.w("not", a=self.say(inner))
        if name == "string-length" and len(args) == 1:
            return self.w("length", a=self.say(args[0]))
        if name == "count-selected" and len(args) == 1:
            return self.w("count_selected", a=self.say(args[0]))
        if name in ("today", "now") and not args:
            return self.w("today")
        if name in ("true", "false") and not args:
            return self.w(name)
        return f"{name}({', '.join(self.say(a) for a in args)})"

    def literal(self, value) -> str:
        if isinstance(value, float):
            return f"{value:g}" if value != int(value) else str(int(value))
        return self.w("quote", x=value)

    def choice(self, question, value) -> str:
        """A literal compared with a select question: the choice's label."""
        if value[0] != "lit":
            return self.say(value)
        node = self.node(question)
        if node is not None and node.type in _SELECTS and node.list_name:
            for c in self.form.list_items(node.list_name):
                if c.name == str(value[1]):
                    return self.w("quote", x=self.form.text(c.label, self.lang) or c.name)
        return self.literal(value[1])

    def node(self, tree) -> Node | None:
        return self.form.nodes.get(tree[1]) if tree[0] == "ref" else None

    def label(self, name: str) -> str:
        node = self.form.nodes.get(name)
        return (self.form.text(node.label, self.lang) if node is not None else "") or name
