"""Every page of a form as the phone will show it, for a person checking a form before it is published.

`preview(form, lang)` lays the form out with the phone's own page layout (`FormSession.pages`, every
page kept whatever the answers, one item in each repeat) and describes each question: its label,
hint, required mark, choices, and in words (`forms.explain`) when it is shown, when it is required,
what its answer must satisfy and the message the phone gives when it does not. Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from forms.explain import WORDS, in_words
from forms.expr import Expr
from forms.model import Form, Node
from forms.session import FormSession
from forms.text import Catalogue

NOTES = Catalogue({
    "shown_when": {"vi": "Chỉ hiện khi {cond}.", "en": "Shown only when {cond}."},
    "required_when": {"vi": "Bắt buộc khi {cond}.", "en": "Required when {cond}."},
    "check": {"vi": "Kiểm tra: {cond}.", "en": "Check: {cond}."},
    "check_message": {"vi": "Nếu sai, máy báo: «{message}»", "en": "If not, the phone says: “{message}”"},
    "required_message": {"vi": "Nếu bỏ trống, máy báo: «{message}»", "en": "If left empty, the phone says: “{message}”"},
    "filtered": {"vi": "Chỉ hiện các lựa chọn có {cond}.", "en": "Only the choices where {cond}."},
    "read_only": {"vi": "Chỉ đọc (máy tự điền).", "en": "Read only (filled by the phone)."},
    "default": {"vi": "Sẵn giá trị: {value}.", "en": "Filled in with: {value}."},
    "repeat_count": {"vi": "Số mục: {cond}.", "en": "Number of items: {cond}."},
    "repeat_item": {"vi": "{label} [{i}]", "en": "{label} [{i}]"},
})
MAX_CHOICES = 40  # a long list (villages of a province) is cut: the rest are counted


@dataclass(frozen=True)
class Question:
    path: str
    name: str
    type: str
    label: str
    hint: str = ""
    required: bool = False            # the phone's «*»: always required, or when a condition holds
    condition: str = ""               # «Chỉ hiện khi …»: when the phone shows it ('' = always)
    notes: tuple[str, ...] = ()       # required when, checks and the phone's messages, filters, defaults
    choices: tuple[str, ...] = ()     # the choice labels, in order (at most MAX_CHOICES)
    more_choices: int = 0             # how many were left out
    appearance: str = ""
    kind: str = "question"            # question | repeat_item (a header «Label [1]») | repeat_add


@dataclass(frozen=True)
class Page:
    number: int
    title: str
    kind: str                          # question | group | repeat
    condition: str = ""                # a group's or repeat's own «Chỉ hiện khi …»
    notes: tuple[str, ...] = ()        # a repeat's number of items
    items: tuple[Question, ...] = field(default_factory=tuple)


def preview(form: Form, lang: str = "vi") -> list[Page]:
    """Every page of ``form`` in order, described in ``lang``."""
    session = FormSession(form, lang=lang)
    out = []
    for number, page in enumerate(session.pages(every=True), start=1):
        top = form.nodes[page.key]
        condition = _condition(form, top, lang) if top.is_container else ""
        notes = _repeat_count(form, top, lang)
        items = tuple(_item(form, item, top, lang) for item in _one_item_each(form, page.items))
        out.append(Page(number, page.title, page.kind, condition, notes, items))
    return out


def _one_item_each(form: Form, items: list[tuple]) -> list[tuple]:
    """A repeat with no item yet shows one (its questions), as after a tap on Add."""
    out: list[tuple] = []
    for item in items:
        if item[0] == "repeat_add" and not any(o[0] == "repeat_item" and o[1] == item[1] for o in out):
            out.extend(_repeat_rows(form.node_at(item[1]), item[1]))
        out.append(item)
    return out


def _repeat_rows(node: Node, path: str) -> list[tuple]:
    rows: list[tuple] = [("repeat_item", path, 1)]
    for child in node.children:
        rows.extend(_rows(child, f"{path}[1]/"))
    return rows


def _rows(node: Node, prefix: str) -> list[tuple]:
    """The rows of ``node`` in the page layout's terms (groups inline, hidden questions left out)."""
    if node.is_hidden:
        return []
    if node.is_group:
        return [row for child in node.children for row in _rows(child, prefix)]
    if node.is_repeat:
        return _repeat_rows(node, prefix + node.name) + [("repeat_add", prefix + node.name)]
    return [("question", prefix + node.name)]


def _item(form: Form, item: tuple, top: Node, lang: str) -> Question:
    node = form.node_at(item[1])
    if item[0] == "repeat_item":
        label = form.text(node.label, lang) or node.name
        return Question(item[1], node.name, node.type, NOTES.text("repeat_item", lang, label=label, i=item[2]),
                        kind="repeat_item")
    if item[0] == "repeat_add":
        return Question(item[1], node.name, node.type, form.text(node.label, lang) or node.name, kind="repeat_add")
    path = item[1]
    choices = tuple(form.text(c.label, lang) or c.name for c in form.list_items(node.list_name or ""))
    return Question(
        path=path, name=node.name, type=node.type, label=form.text(node.label, lang) or node.name,
        hint=form.text(node.hint, lang), required=bool(node.required),
        condition=_condition(form, node, lang, stop=top if top.is_container else None),
        notes=_checks(form, node, lang),
        choices=choices[:MAX_CHOICES], more_choices=max(0, len(choices) - MAX_CHOICES),
        appearance=node.appearance or "",
    )


def _condition(form: Form, node: Node, lang: str, stop: Node | None = None) -> str:
    """When ``node`` is shown: its own relevance and that of the groups around it up to the page's node."""
    said = []
    n: Node | None = node
    while n is not None and not (n is stop and n is not node):
        if n.relevant is not None:
            said.append(in_words(n.relevant.text, form, lang))
        n = n.parent
    return NOTES.text("shown_when", lang, cond=_joined(said[::-1], lang)) if said else ""


def _repeat_count(form: Form, node: Node, lang: str) -> tuple[str, ...]:
    if not node.is_repeat or node.repeat_count is None:
        return ()
    count = node.repeat_count
    text = count.text.strip()
    named = form.nodes.get(text[2:-1]) if text.startswith("${") and text.endswith("}") else None
    if named is not None and named.calculation is not None and not named.label:
        count = named.calculation  # pyxform's generated «<repeat>_count»: say what it counts
    return (NOTES.text("repeat_count", lang, cond=in_words(count.text, form, lang)),)


def _joined(parts: list[str], lang: str) -> str:
    text = parts[0]
    for more in parts[1:]:
        text = WORDS.text("and", lang, a=text, b=more)
    return text


def _checks(form: Form, node: Node, lang: str) -> tuple[str, ...]:
    notes = []
    if isinstance(node.required, Expr):
        notes.append(NOTES.text("required_when", lang, cond=in_words(node.required.text, form, lang)))
    required_message = form.text(node.required_message, lang)
    if node.required and required_message:
        notes.append(NOTES.text("required_message", lang, message=required_message))
    if node.constraint is not None:
        notes.append(NOTES.text("check", lang, cond=in_words(node.constraint.text, form, lang)))
        message = form.text(node.constraint_message, lang)
        if message:
            notes.append(NOTES.text("check_message", lang, message=message))
    if node.choice_filter is not None:
        notes.append(NOTES.text("filtered", lang, cond=in_words(node.choice_filter.text, form, lang)))
    if node.read_only:
        notes.append(NOTES.text("read_only", lang))
    if node.default not in (None, ""):
        notes.append(NOTES.text("default", lang, value=node.default))
    return tuple(notes)

