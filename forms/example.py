"""Random but valid answers for a form: previews, tests and benchmark data.

Honours relevance (only relevant questions are answered), constraints (values are tried until the
constraint passes), choice filters and repeat counts. The location question `commune_code` gets the
demo commune (docs/architecture.md §5) unless `meta["commune_code"]` says otherwise.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import string
from typing import Any

from forms import clock
from forms.model import Form, Node
from forms.session import FormSession
from forms.state import Chain
from forms.validate import validate

try:  # Python 3.11+: the regex parser lives here
    import re._constants as _sre_c
    import re._parser as _sre_p
except ImportError:  # pragma: no cover
    import sre_constants as _sre_c
    import sre_parse as _sre_p

DEMO_COMMUNE = "20968"
_REGEX_IN_CONSTRAINT = re.compile(r"regex\(\s*\.\s*,\s*(['\"])(.*?)\1\s*\)")
_NUMBER = re.compile(r"(?<![\w$.])-?\d+(?:\.\d+)?")
_NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hồ Văn Em", "Võ Thị Hoa"]
_WORDS = ["nhà", "mái", "tôn", "tường", "gạch", "dột", "cũ", "hộ", "thôn", "xã"]
_TRIES = 40
_MONEY = ("cost", "amount", "budget", "fund", "sponsor", "contribution", "req_", "received", "vnd")


def generate(form: Form, seed: int = 0, meta: dict | None = None, preset: dict | None = None,
             media: Any = None) -> dict[str, Any]:
    """A dict of answers that `forms.validate.validate(form, answers)` accepts.

    `preset` fixes some top-level answers first (e.g. {"stage": "completed"}); the rest follows them.
    """
    meta = dict(meta or {})
    preset = dict(preset or {})
    best: dict[str, Any] = {}
    for attempt in range(8):
        rng = random.Random(f"{seed}:{attempt}")
        session = FormSession(form, lang=form.default_language, meta=meta, media=media)
        for name, value in preset.items():
            session.set(name, value)
        meta["_preset"] = set(preset)
        _fill(session, form.questions, (), rng, meta)
        meta.pop("_preset")
        result = validate(form, session.finished_answers(), meta=meta, media=session.state.files)
        best = result.answers
        if result.ok:
            return best
    return best


def _fill(session: FormSession, nodes: list[Node], chain: Chain, rng: random.Random, meta: dict) -> None:
    state = session.state
    for node in nodes:
        if not state.is_relevant(node, chain):
            continue
        if node.is_group:
            _fill(session, node.children, chain, rng, meta)
        elif node.is_repeat:
            path = state.path(node, chain)
            if node.repeat_count is None and not state.instances(node, chain):
                for _ in range(rng.randint(1, 3)):
                    session.add_repeat(path)
            for i in range(1, len(state.instances(node, chain)) + 1):
                _fill(session, node.children, chain + ((node.name, i),), rng, meta)
        elif node.has_answer and node.calculation is None and not node.is_hidden:
            _answer(session, node, chain, rng, meta)


def _answer(session: FormSession, node: Node, chain: Chain, rng: random.Random, meta: dict) -> None:
    state = session.state
    path = state.path(node, chain)
    if not chain and node.name in meta.get("_preset", ()):
        return
    required = state.is_required(node, chain)
    if not required and node.default is None and rng.random() < 0.25:
        return
    for value in _candidates(session, node, chain, rng, meta):
        session.set(path, value)
        if not state.issues(node, chain):
            return
    session.set(path, None)


def _candidates(session, node: Node, chain: Chain, rng: random.Random, meta: dict):
    if node.name == "commune_code" and node.type in ("text", "select_one", "integer"):
        yield meta.get("commune_code", DEMO_COMMUNE)
    if node.default is not None and rng.random() < 0.5:
        yield node.default
    gen = _GENERATORS.get(node.type, _text)
    for _ in range(_TRIES):
        yield gen(session, node, chain, rng)


def _bounds(node: Node) -> list[float]:
    text = node.constraint.text if node.constraint is not None else ""
    return sorted(float(n) for n in _NUMBER.findall(text))


def _integer(session, node, chain, rng):
    nums = _bounds(node)
    if "year" in node.name and rng.random() < 0.9:
        return rng.randint(1945, 2005) if "birth" in node.name else rng.randint(1990, 2024)
    if any(w in node.name for w in _MONEY) and rng.random() < 0.9:
        return rng.choice([0, 0, 5, 10, 14, 20, 30, 60]) * 1_000_000
    if len(nums) >= 2 and rng.random() < 0.8:
        lo, hi = int(nums[0]), int(nums[-1])
        if hi - lo > 50 and rng.random() < 0.6:
            hi = lo + max(5, (hi - lo) // 50)
        return rng.randint(lo, hi)
    if nums and rng.random() < 0.7:
        return int(nums[0]) + rng.randint(0, 60)
    return rng.randint(0, 10)


def _decimal(session, node, chain, rng):
    nums = _bounds(node)
    if len(nums) >= 2:
        lo, hi = nums[0], min(nums[-1], nums[0] + 100)
    else:
        lo, hi = (nums[0], nums[0] + 100) if nums else (0.0, 100.0)
    return round(rng.uniform(lo, hi), 1)


def _text(session, node, chain, rng):
    text = node.constraint.text if node.constraint is not None else ""
    m = _REGEX_IN_CONSTRAINT.search(text)
    if m:
        try:
            return _from_regex(m.group(2), rng)
        except (ValueError, re.error, KeyError, TypeError):
            pass
    if "name" in node.name or "ten" in node.name:
        return rng.choice(_NAMES)
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(2, 5))).capitalize()


def _select_one(session, node, chain, rng):
    choices = [c.name for c in session.state.choices(node, chain) if c.name != "other"] or ["other"]
    return rng.choice(choices)


def _select_multiple(session, node, chain, rng):
    choices = [c.name for c in session.state.choices(node, chain) if c.name != "other"]
    if not choices:
        return ["other"]
    return rng.sample(choices, rng.randint(1, min(3, len(choices))))


def _date(session, node, chain, rng):
    return (clock.meta_today(session.state.meta) - dt.timedelta(days=rng.randint(0, 700))).isoformat()


def _time(session, node, chain, rng):
    return f"{rng.randint(6, 18):02d}:{rng.randint(0, 59):02d}:00"


def _datetime(session, node, chain, rng):
    day = clock.meta_now(session.state.meta) - dt.timedelta(minutes=rng.randint(0, 100000))
    return day.replace(microsecond=0).isoformat()


def _geopoint(session, node, chain, rng):
    lat, lon = rng.uniform(15.30, 15.55), rng.uniform(108.40, 108.70)  # around Núi Thành, Quảng Nam
    return f"{lat:.6f} {lon:.6f} {rng.randint(5, 40)} {rng.randint(3, 20)}"


def _image(session, node, chain, rng):
    suffix = "_".join(str(i) for _, i in chain)
    return f"{node.name}{'_' + suffix if suffix else ''}.jpg"


def _acknowledge(session, node, chain, rng):
    return "OK"


_EXTENSIONS = {"audio": ".m4a", "video": ".mp4", "file": ".pdf", "osm": ".osm"}


def _file(session, node, chain, rng):
    return _image(session, node, chain, rng)[: -len(".jpg")] + _EXTENSIONS.get(node.type, ".bin")


def _range(session, node, chain, rng):
    p = node.parameters
    start, end, step = (float(p.get(k, d)) for k, d in (("start", 1), ("end", 10), ("step", 1)))
    step = (abs(step) or 1.0) * (1 if end >= start else -1)
    value = start + step * rng.randint(0, int(round(abs((end - start) / step), 9)))
    return int(value) if value.is_integer() else round(value, 6)


def _trace(session, node, chain, rng):
    points = [_geopoint(session, node, chain, rng) for _ in range(rng.randint(2, 4))]
    if node.type == "geoshape":
        points = points[:3] if len(points) >= 3 else points + [_geopoint(session, node, chain, rng)]
        points.append(points[0])
    return ";".join(points)


_GENERATORS = {
    "integer": _integer,
    "decimal": _decimal,
    "text": _text,
    "select_one": _select_one,
    "select_multiple": _select_multiple,
    "date": _date,
    "time": _time,
    "datetime": _datetime,
    "geopoint": _geopoint,
    "image": _image,
    "audio": _file,
    "video": _file,
    "file": _file,
    "osm": _file,
    "acknowledge": _acknowledge,
    "range": _range,
    "geotrace": _trace,
    "geoshape": _trace,
}


def _from_regex(pattern: str, rng: random.Random) -> str:
    """A string matching a simple regex (literals, classes, repeats, groups, alternation)."""
    pattern = pattern.replace(r"\p{L}", "a-zA-ZàáạảãăâđèéêìíòóôơùúưỳýỹÀÁĐ").replace(r"\p{N}", "0-9")
    return _emit(_sre_p.parse(pattern), rng)


def _emit(parsed, rng) -> str:
    out = []
    for op, arg in parsed:
        if op is _sre_c.LITERAL:
            out.append(chr(arg))
        elif op is _sre_c.IN:
            out.append(_pick_in(arg, rng))
        elif op is _sre_c.ANY:
            out.append(rng.choice(string.ascii_letters))
        elif op in (_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT):
            lo, hi, sub = arg
            hi = min(hi, lo + 5) if hi != _sre_c.MAXREPEAT else lo + 5
            out.extend(_emit(sub, rng) for _ in range(rng.randint(lo, max(lo, hi))))
        elif op is _sre_c.SUBPATTERN:
            out.append(_emit(arg[-1], rng))
        elif op is _sre_c.BRANCH:
            out.append(_emit(rng.choice(arg[1]), rng))
        elif op is _sre_c.AT:
            continue
        else:
            raise ValueError(f"unsupported regex part {op}")
    return "".join(out)


def _pick_in(items, rng) -> str:
    pool: list[str] = []
    for op, arg in items:
        if op is _sre_c.LITERAL:
            pool.append(chr(arg))
        elif op is _sre_c.RANGE:
            pool.extend(chr(c) for c in range(arg[0], arg[1] + 1))
        elif op is _sre_c.CATEGORY:
            if arg is _sre_c.CATEGORY_DIGIT:
                pool.extend(string.digits)
            elif arg is _sre_c.CATEGORY_WORD:
                pool.extend(string.ascii_letters)
            elif arg is _sre_c.CATEGORY_SPACE:
                pool.append(" ")
        elif op is _sre_c.NEGATE:
            raise ValueError("negated class")
    if not pool:
        raise ValueError("empty class")
    return rng.choice(pool)
