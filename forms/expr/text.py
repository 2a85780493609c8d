"""String, choice and logic functions (XPath 1.0 + ODK)."""

import math
import re
import unicodedata
from functools import lru_cache

from forms.expr.calls import Spec, StaticError, eager, flatten, literal, strings
from forms.expr.values import to_boolean, to_number, to_string


def _index(v):
    """A number argument used as an index: int, or None when NaN / infinite."""
    x = to_number(v)
    if not math.isfinite(x):
        return None
    return int(x)


def selected(space_list, value):
    return to_string(value).strip() in to_string(space_list).split()


def count_selected(space_list):
    return float(len(to_string(space_list).split()))


def selected_at(space_list, index):
    items = to_string(space_list).split()
    i = _index(index)
    return items[i] if i is not None and 0 <= i < len(items) else ""


def substr(value, start, end=None):
    """ODK substr(): 0-based start, exclusive end (default: the end); out-of-range clamps."""
    s = to_string(value)
    i = _index(start)
    if i is None:
        return ""
    j = len(s) if end is None else _index(end)
    if j is None:
        return ""
    i = min(max(i, 0), len(s))
    j = min(max(j, 0), len(s))
    return s[i:j] if i < j else ""


def substring(value, start, length=None):
    """XPath substring(): 1-based, rounded positions."""
    s = to_string(value)
    first = _xround(to_number(start))
    last = math.inf if length is None else first + _xround(to_number(length))
    if first != first or last != last:
        return ""
    return "".join(c for k, c in enumerate(s, start=1) if first <= k < last)


def _xround(x):
    if not math.isfinite(x):
        return x
    return float(math.floor(x + 0.5))


def substring_before(a, b):
    a, b = to_string(a), to_string(b)
    k = a.find(b)
    return a[:k] if k >= 0 else ""


def substring_after(a, b):
    a, b = to_string(a), to_string(b)
    k = a.find(b)
    return a[k + len(b):] if k >= 0 else ""


def translate(value, source, target):
    s, src, dst = to_string(value), to_string(source), to_string(target)
    table = {}
    for k, ch in enumerate(src):
        if ord(ch) not in table:
            table[ord(ch)] = dst[k] if k < len(dst) else None
    return s.translate(table)


def boolean_from_string(v):
    return to_string(v) in ("true", "1")


# Java's \p{..} classes, which Python's re lacks, over the scripts these forms use: Latin with every
# Vietnamese letter (precomposed, plus combining marks so decomposed text passes too).
_SCRIPT = [*range(0x30, 0x3A), *range(0x41, 0x250), *range(0x1E00, 0x1F00)]


def _ranges(test):
    codes = [c for c in _SCRIPT if test(chr(c), unicodedata.category(chr(c)))]
    parts, k = [], 0
    while k < len(codes):
        j = k
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        first, last = re.escape(chr(codes[k])), re.escape(chr(codes[j]))
        parts.append(first if j == k else f"{first}-{last}")
        k = j + 1
    return "".join(parts)


_MARKS = "\u0300-\u036f"
_LETTERS = _ranges(lambda ch, cat: cat.startswith("L")) + _MARKS
_CLASSES = {
    "L": _LETTERS, "IsAlphabetic": _LETTERS, "IsLatin": _LETTERS, "Alpha": "A-Za-z",
    "Lu": _ranges(lambda ch, cat: cat == "Lu"), "Ll": _ranges(lambda ch, cat: cat == "Ll"),
    "Upper": "A-Z", "Lower": "a-z", "N": "0-9", "Nd": "0-9", "Digit": "0-9", "Alnum": "A-Za-z0-9",
    "Space": " \t\n\x0b\f\r", "Punct": re.escape("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"),
}
_PROPERTY = re.compile(r"\\\\|\\([pP])\{(\w+)\}|\[|\]")


def java_pattern(pattern):
    """Java regex -> Python: \\p{L}, \\p{N}... and \\P{..} outside [...] become character classes."""
    if "\\p{" not in pattern and "\\P{" not in pattern:
        return pattern
    out, depth, last = [], 0, 0
    for m in _PROPERTY.finditer(pattern):
        token = m[0]
        if token == "[":
            depth += 1
            continue
        if token == "]":
            depth = max(depth - 1, 0)
            continue
        if m[2] is None or m[2] not in _CLASSES:
            continue
        chars = _CLASSES[m[2]]
        if m[1] == "p":
            replacement = chars if depth else f"[{chars}]"
        elif depth:
            continue  # \P{..} inside [...] has no Python spelling: leave it to fail as a bad escape
        else:
            replacement = f"[^{chars}]"
        out.append(pattern[last:m.start()])
        out.append(replacement)
        last = m.end()
    out.append(pattern[last:])
    return "".join(out)


@lru_cache(maxsize=512)
def compile_pattern(pattern):
    """Compile an ODK regex (search semantics, as JavaRosa's find()); re.error when it is invalid."""
    return re.compile(java_pattern(pattern))


def _regex_factory(fns, nodes):
    pattern = literal(nodes[1])
    if pattern is not None:
        try:
            compiled = compile_pattern(to_string(pattern))
        except re.error as exc:
            raise StaticError("regex", pattern=pattern, detail=str(exc)) from None
        value = fns[0]
        return lambda ctx: compiled.search(to_string(value(ctx))) is not None
    value, pat = fns

    def dynamic(ctx):
        try:
            return compile_pattern(to_string(pat(ctx))).search(to_string(value(ctx))) is not None
        except (re.error, RecursionError, OverflowError):
            return False

    return dynamic


def _if_factory(fns, nodes):
    cond, yes, no = fns
    return lambda ctx: yes(ctx) if to_boolean(cond(ctx)) else no(ctx)


def _coalesce_factory(fns, nodes):
    def coalesce(ctx):
        v = ""
        for f in fns:
            v = f(ctx)
            if to_string(v) != "":
                return v
        return v

    return coalesce


def _concat(*values):
    return "".join(strings(values))


def _join(sep, *values):
    return to_string(sep).join(strings(values))


def _ends_with(a, b):
    return to_string(a).endswith(to_string(b))


def _starts_with(a, b):
    return to_string(a).startswith(to_string(b))


def _contains(a, b):
    return to_string(b) in to_string(a)


def _normalize_space(v):
    return " ".join(to_string(v).split())


def _checklist(low, high, *values):
    hits = sum(1 for v in flatten(values) if to_boolean(v))
    return _within(hits, low, high)


def _weighted_checklist(low, high, *pairs):
    total = 0.0
    for k in range(0, len(pairs) - 1, 2):
        if to_boolean(pairs[k]):
            total += to_number(pairs[k + 1])
    return _within(total, low, high)


def _within(x, low, high):
    lo, hi = to_number(low), to_number(high)
    return (lo == -1 or x >= lo) and (hi == -1 or x <= hi)


FUNCTIONS = {
    "selected": Spec(2, 2, eager(selected), "bool"),
    "count-selected": Spec(1, 1, eager(count_selected), "num"),
    "selected-at": Spec(2, 2, eager(selected_at), "str"),
    "if": Spec(3, 3, _if_factory),
    "coalesce": Spec(2, None, _coalesce_factory),
    "concat": Spec(0, None, eager(_concat), "str"),
    "join": Spec(1, None, eager(_join), "str"),
    "string-length": Spec(0, 1, eager(lambda v: float(len(to_string(v)))), "num"),
    "substr": Spec(2, 3, eager(substr), "str"),
    "substring": Spec(2, 3, eager(substring), "str"),
    "substring-before": Spec(2, 2, eager(substring_before), "str"),
    "substring-after": Spec(2, 2, eager(substring_after), "str"),
    "contains": Spec(2, 2, eager(_contains), "bool"),
    "starts-with": Spec(2, 2, eager(_starts_with), "bool"),
    "ends-with": Spec(2, 2, eager(_ends_with), "bool"),
    "regex": Spec(2, 2, _regex_factory, "bool"),
    "string": Spec(0, 1, eager(to_string), "str"),
    "normalize-space": Spec(0, 1, eager(_normalize_space), "str"),
    "translate": Spec(3, 3, eager(translate), "str"),
    "boolean": Spec(1, 1, eager(to_boolean), "bool"),
    "boolean-from-string": Spec(1, 1, eager(boolean_from_string), "bool"),
    "not": Spec(1, 1, eager(lambda v: not to_boolean(v)), "bool"),
    "true": Spec(0, 0, eager(lambda: True), "bool"),
    "false": Spec(0, 0, eager(lambda: False), "bool"),
    "checklist": Spec(2, None, eager(_checklist), "bool"),
    "weighted-checklist": Spec(2, None, eager(_weighted_checklist), "bool"),
}

# Called with no argument these read '.' (XPath's context node): string() == string(.)
DOT_DEFAULT = {"string", "string-length", "normalize-space", "number"}
