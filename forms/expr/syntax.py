"""Tokenizer and Pratt parser: expression text -> a small tree of tuples.

Nodes: ('lit', value) ('ref', name) ('col', name) ('dot',) ('parent',) ('neg', node)
('bin', op, left, right) ('call', name, [args], position), and ODK's lookup in a list
`instance('name')/root/item[predicate]/column` as ('instance', name, predicate or None, column or None).
No other XPath path is read: questions are named ${name}. Operator precedence is XPath 1.0's:
or < and < (= !=) < (< <= > >=) < (+ -) < (* div mod) < unary minus.
"""

from forms.expr.errors import ExprError

_NAME_START = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
_DIGITS = set("0123456789")
_SYMBOLS2 = {"!=", "<=", ">=", ".."}
_SYMBOLS1 = set("+-*=<>(),.")
_WORD_OPS = {"and", "or", "div", "mod"}
_PATH_OPS = {"/", "[", "]"}

BINDING = {"or": 10, "and": 20, "=": 30, "!=": 30, "<": 40, "<=": 40, ">": 40, ">=": 40,
           "+": 50, "-": 50, "*": 60, "div": 60, "mod": 60}
_UNARY = 65
MAX_DEPTH = 100  # nesting of parentheses, calls and unary minus; long a + b + c ... chains are flat


def _is_name_start(ch):
    return ch in _NAME_START or (ch.isalpha() and ch.isidentifier())


def _is_name_char(ch):
    return ch.isalnum() or ch in "_-."


def tokenize(text):
    """-> list of (kind, value, position); kinds: num str ref name op end."""
    tokens = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if ch in _DIGITS or (ch == "." and i + 1 < n and text[i + 1] in _DIGITS):
            token, i = _scan_number(text, i)
        elif ch in "'\"":
            token, i = _scan_string(text, i)
        elif ch == "$":
            token, i = _scan_ref(text, i)
        elif _is_name_start(ch):
            token, i = _scan_name(text, i)
        else:
            token, i = _scan_symbol(text, i)
        tokens.append(token)
    tokens.append(("end", None, n))
    return tokens


def _skip_digits(text, i):
    while i < len(text) and text[i] in _DIGITS:
        i += 1
    return i


def _scan_number(text, start):
    """123, 1.5 or .5 -> (('num', float, start), index after it)."""
    i = _skip_digits(text, start)
    if i < len(text) and text[i] == ".":
        i = _skip_digits(text, i + 1)
    return ("num", float(text[start:i]), start), i


def _scan_string(text, start):
    """'...' or "..." (no escapes) -> (('str', contents, start), index after the closing quote)."""
    quote = text[start]
    end = text.find(quote, start + 1)
    if end < 0:
        raise ExprError.build("string", start, text, quote=quote)
    return ("str", text[start + 1:end], start), end + 1


def _scan_ref(text, start):
    """${name} -> (('ref', name, start), index after the brace)."""
    end = text.find("}", start)
    name = text[start + 2:end] if end > 0 and text.startswith("${", start) else None
    if not name or not _is_name_start(name[0]) or not all(_is_name_char(c) for c in name):
        shown = text[start:end + 1] if end > 0 else text[start:start + 20]
        raise ExprError.build("ref", start, text, text=shown)
    return ("ref", name, start), end + 1


def _skip_name_chars(text, i):
    while i < len(text) and _is_name_char(text[i]):
        i += 1
    return i


def _scan_name(text, start):
    """A function name or word operator, with an optional prefix (jr:choice-name) -> (('name', ...), end)."""
    i = _skip_name_chars(text, start + 1)
    if i + 1 < len(text) and text[i] == ":" and _is_name_start(text[i + 1]):
        i = _skip_name_chars(text, i + 2)
    return ("name", text[start:i], start), i


def _scan_symbol(text, start):
    """An operator or parenthesis -> (('op', symbol, start), end); XPath paths and stray characters raise."""
    ch = text[start]
    if text[start:start + 2] in _SYMBOLS2:
        return ("op", text[start:start + 2], start), start + 2
    if ch in _SYMBOLS1:
        return ("op", ch, start), start + 1
    if ch in "/[]":
        return ("op", ch, start), start + 1  # only instance('x')/root/item[...]/col uses them
    if ch in "|@":
        raise ExprError.build("path", start, text, token=repr(text[start:start + 12]))
    raise ExprError.build("char", start, text, char=ch)


def describe(token, text):
    kind, value, pos = token
    if kind == "end":
        return "end of expression"
    if kind == "ref":
        return "${" + value + "}"
    if kind == "num":
        end = pos
        while end < len(text) and (text[end] in _DIGITS or text[end] == "."):
            end += 1
        return repr(text[pos:end])
    return repr(value)


class Parser:
    """Pratt parser over the token list; ``parse()`` returns the root node."""

    def __init__(self, text):
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0

    def error(self, code, tok, **kwargs):
        if tok[0] == "op" and tok[1] in _PATH_OPS:
            return ExprError.build("path", tok[2], self.text, token=repr(self.text[tok[2]:tok[2] + 12]))
        return ExprError.build(code, tok[2], self.text, **kwargs)

    def peek(self):
        return self.tokens[self.i]

    def advance(self):
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def parse(self):
        if self.peek()[0] == "end":
            raise ExprError.build("empty", 0, self.text)
        node = self.expression(0)
        tok = self.peek()
        if tok[0] != "end":
            if tok[1] == ")":
                raise self.error("token", tok, token="')'")
            raise self.error("extra", tok, token=describe(tok, self.text))
        return node

    def binding(self, tok):
        kind, value, _ = tok
        if kind == "op" or (kind == "name" and value in _WORD_OPS):
            return BINDING.get(value, 0)
        return 0

    def expression(self, rbp):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error("deep", self.peek(), limit=MAX_DEPTH)
        left = self.prefix(self.advance())
        while rbp < self.binding(self.peek()):
            op = self.advance()[1]
            right = self.expression(BINDING[op])
            left = ("bin", op, left, right)
        self.depth -= 1
        return left

    def prefix(self, tok):
        kind, value, pos = tok
        if kind == "num" or kind == "str":
            return ("lit", value)
        if kind == "ref":
            return ("ref", value)
        if kind == "name":
            if self.peek()[1] == "(" and self.peek()[0] == "op":
                node = self.call(tok)
                if value == "instance" and self.peek()[:2] == ("op", "/"):
                    return self.instance_path(node)
                return node
            if ":" in value:
                raise self.error("token", tok, token=describe(tok, self.text))
            return ("col", value)
        if kind == "end":
            raise self.error("end", tok)
        if value == "-":
            return ("neg", self.expression(_UNARY))
        if value == "(":
            node = self.expression(0)
            close = self.advance()
            if close[1] != ")" or close[0] != "op":
                if close[0] == "end":
                    raise ExprError.build("paren", pos, self.text)
                code = "token" if close[0] == "op" else "extra"
                raise self.error(code, close, token=describe(close, self.text))
            return node
        if value == ".":
            return ("dot",)
        if value == "..":
            raise self.error("parent", tok)
        raise self.error("token", tok, token=describe(tok, self.text))

    def expect(self, kind, value=None):
        tok = self.advance()
        if tok[0] != kind or (value is not None and tok[1] != value):
            raise ExprError.build("instance", tok[2], self.text)
        return tok

    def instance_path(self, call):
        """instance('name')/root/item[predicate]/column (predicate and column optional)."""
        _, _, args, pos = call
        if len(args) != 1 or args[0][0] != "lit" or type(args[0][1]) is not str:
            raise ExprError.build("instance", pos, self.text)
        for step in ("root", "item"):
            self.expect("op", "/")
            self.expect("name", step)
        predicate = column = None
        if self.peek()[:2] == ("op", "["):
            self.advance()
            predicate = self.expression(0)
            self.expect("op", "]")
        if self.peek()[:2] == ("op", "/"):
            self.advance()
            column = self.expect("name")[1]
        return ("instance", args[0][1], predicate, column)

    def call(self, name_tok):
        open_pos = self.advance()[2]  # '('
        name = name_tok[1]
        args: list = []
        if self.peek()[1] == ")" and self.peek()[0] == "op":
            self.advance()
            return ("call", name, args, name_tok[2])
        while True:
            tok = self.peek()
            if name == "position" and tok[1] == ".." and tok[0] == "op":
                self.advance()
                args.append(("parent",))
            else:
                args.append(self.expression(0))
            sep = self.advance()
            if sep[0] == "op" and sep[1] == ")":
                return ("call", name, args, name_tok[2])
            if sep[0] == "op" and sep[1] == ",":
                continue
            if sep[0] == "end":
                raise ExprError.build("paren", open_pos, self.text)
            raise self.error("comma", sep, name=name)


def parse_tree(text):
    return Parser(text).parse()
