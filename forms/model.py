"""The form model: a compiled definition made into linked objects with parsed expressions.

Built by `forms.definition.load`; read by `forms.validate`, `forms.session` and `forms.example`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from forms.expr import Expr

CONTAINERS = ("group", "repeat")
# Filled by the engine from the caller's meta (never shown): ODK's metadata and preload types.
META_TYPES = ("start", "end", "today", "deviceid", "username", "phonenumber", "email", "simserial",
              "subscriberid", "start-geopoint", "audit")
FILE_TYPES = ("image", "audio", "video", "file", "osm")  # answers that are an attachment's file name
NO_ANSWER = ("note",) + CONTAINERS
HIDDEN_TYPES = frozenset(("calculate", "hidden") + META_TYPES)  # never shown as a question to fill


@dataclass
class Choice:
    name: str
    label: dict[str, str] = field(default_factory=dict)
    props: dict[str, Any] = field(default_factory=dict)


@dataclass(eq=False)
class Node:
    name: str
    type: str
    path: str
    row: int | None = None
    label: dict[str, str] = field(default_factory=dict)
    hint: dict[str, str] = field(default_factory=dict)
    required: bool | Expr = False
    required_message: dict[str, str] = field(default_factory=dict)
    relevant: Expr | None = None
    constraint: Expr | None = None
    constraint_message: dict[str, str] = field(default_factory=dict)
    calculation: Expr | None = None
    default: str | None = None
    default_expr: Expr | None = None  # a dynamic default: evaluated once, at first load / a new repeat item
    read_only: bool = False
    appearance: str | None = None
    parameters: dict[str, Any] = field(default_factory=dict)
    list_name: str | None = None
    choice_filter: Expr | None = None
    or_other: bool = False
    repeat_count: Expr | None = None
    role: str | None = None  # what the question is for the programme (forms.roles), declared by the form
    children: list[Node] = field(default_factory=list)
    parent: Node | None = None
    raw: dict = field(default_factory=dict)
    _repeats: tuple | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def is_repeat(self) -> bool:
        return self.type == "repeat"

    @property
    def is_group(self) -> bool:
        return self.type == "group"

    @property
    def is_container(self) -> bool:
        return self.type in CONTAINERS

    @property
    def has_answer(self) -> bool:
        return self.type not in NO_ANSWER

    @property
    def repeats(self) -> tuple[Node, ...]:
        """The enclosing repeats, outermost first (not including the node itself). Cached: the tree
        is fixed once `forms.definition.load` has linked it."""
        if self._repeats is not None:
            return self._repeats
        chain = []
        p = self.parent
        while p is not None:
            if p.is_repeat:
                chain.append(p)
            p = p.parent
        self._repeats = tuple(reversed(chain))
        return self._repeats

    @property
    def field_list_group(self) -> bool:
        return self.is_group and "field-list" in (self.appearance or "")

    @property
    def is_hidden(self) -> bool:
        """Calculations and meta questions: filled by the engine, never shown to fill."""
        return self.type in HIDDEN_TYPES

    def expressions(self) -> list[tuple[str, Expr]]:
        out = []
        for attr in ("relevant", "constraint", "calculation", "choice_filter", "repeat_count", "default_expr"):
            e = getattr(self, attr)
            if e is not None:
                out.append((attr, e))
        if isinstance(self.required, Expr):
            out.append(("required", self.required))
        return out


@dataclass(eq=False)
class Form:
    form_id: str
    version: str
    title: dict[str, str]
    default_language: str
    languages: list[str]
    instance_name: Expr | None
    questions: list[Node]
    choices: dict[str, list[Choice]]
    nodes: dict[str, Node]            # every node by its key (its name; a path when the name is repeated)
    order: list[Node]                 # evaluation order: dependencies first, then document order
    dependants: dict[str, frozenset[str]]  # name -> names whose state may change when it changes
    definition: dict
    roles: dict[str, Node] = field(default_factory=dict)  # role -> its question (forms.roles)
    media: list[dict] = field(default_factory=list)  # the files of this version: [{name, sha256, size}]
    files: Any = None  # forms.media.MediaFiles given to load() (their items), or None
    _walk: list | None = field(default=None, init=False, repr=False, compare=False)

    def node(self, name: str) -> Node:
        return self.nodes[name]

    def node_for(self, role: str) -> Node | None:
        """The question that declares ``role``, or None when the form has none."""
        return self.roles.get(role)

    def answer_for(self, role: str, answers: dict | None) -> Any:
        """The answer of the question declaring ``role`` (None when absent, empty or undeclared)."""
        node = self.roles.get(role)
        value = (answers or {}).get(node.name) if node is not None else None
        return None if value in ("", [], {}) else value

    def list_items(self, name: str) -> list[Choice]:
        """A choice list, or the items of a media file given to load() ([] when neither)."""
        if name in self.choices:
            return self.choices[name]
        file = self.files.file_for(name) if self.files is not None else None
        return self.files.items(file) if file else []

    def text(self, texts: dict[str, str], lang: str) -> str:
        """A label/hint/message in `lang`, falling back to the default language, then any."""
        if not texts:
            return ""
        return texts.get(lang) or texts.get(self.default_language) or next(iter(texts.values()), "")

    def walk(self):
        """Every node in document order (a list, computed once)."""
        if self._walk is None:
            out: list[Node] = []

            def rec(nodes):
                for n in nodes:
                    out.append(n)
                    rec(n.children)

            rec(self.questions)
            self._walk = out
        return self._walk

    # ---- answers read through the model (value_at / set_value_at: end of the module) ---------
    def image_answers(self, answers: dict) -> list[tuple[str, str]]:
        """(field path, file name) of every non-empty image answer, repeats included, in document order."""
        found: list[tuple[str, str]] = []

        def walk(nodes, values: dict, prefix: str) -> None:
            for node in nodes:
                if node.is_group:
                    walk(node.children, values, prefix)
                elif node.is_repeat:
                    for i, item in enumerate(values.get(node.name) or [], start=1):
                        if isinstance(item, dict):
                            walk(node.children, item, f"{prefix}{node.name}[{i}]/")
                elif node.type == "image":
                    value = values.get(node.name)
                    if isinstance(value, str) and value:
                        found.append((prefix + node.name, value))

        if isinstance(answers, dict):
            walk(self.questions, answers, "")
        return found

    def image_files(self, answers: dict) -> list[str]:
        """The file names of the image answers, each once, in document order (what a survey uploads)."""
        return list(dict.fromkeys(name for _, name in self.image_answers(answers)))

    def node_at(self, path: str) -> Node:
        """The node of a field path ('rooms[2]/area', 'household/head_name' -> by its last name)."""
        return self.steps(path)[-1][0]

    def steps(self, path: str) -> list[tuple[Node, int | None]]:
        """A field path read as (node, repeat index or None) steps. A question whose name is used in
        two groups is keyed by its group path ('g1/phone'): the longest run of segments that is a key
        wins; any other group segment is a step of its own. KeyError when a segment is unknown."""
        segments = [s for s in str(path).strip("/").split("/") if s]
        out: list[tuple[Node, int | None]] = []
        k = 0
        while k < len(segments):
            for j in range(len(segments), k, -1):
                m = _INDEX.match(segments[j - 1])
                inner = segments[k : j - 1]
                if any("[" in s for s in inner):
                    continue
                node = self.nodes.get("/".join([*inner, m.group(1) if m else segments[j - 1]]))
                if node is not None:
                    out.append((node, int(m.group(2)) if m else None))
                    k = j
                    break
            else:
                raise KeyError(path)
        if not out:
            raise KeyError(path)
        return out

    def answer_key(self, key: str) -> str:
        """An answer key as the form keys it: itself when the form has it, else its longest known
        suffix ('household/head_name' -> 'head_name'), else its last segment."""
        parts = str(key).strip("/").split("/")
        for i in range(len(parts)):
            candidate = "/".join(parts[i:])
            if candidate in self.nodes:
                return candidate
        return parts[-1]


# ---- answers read through the model (image answers, values at a field path) ----------------------
# Everything outside `forms/` reads answers through these, never by walking the definition dict.

_INDEX = re.compile(r"^(.+)\[(\d+)\]$")


def _step(container, part: str):
    m = _INDEX.match(part)
    if m is None:
        return container.get(part) if isinstance(container, dict) else None
    items = container.get(m.group(1)) if isinstance(container, dict) else None
    i = int(m.group(2)) - 1
    return items[i] if isinstance(items, list) and 0 <= i < len(items) else None


def _parts(container, path: str) -> list[str]:
    """The path's segments, joined where the answers use a group path as a key ('g1/phone')."""
    segments = str(path).strip("/").split("/")
    out: list[str] = []
    box = container
    k = 0
    while k < len(segments):
        j = next((j for j in range(len(segments), k + 1, -1)
                  if isinstance(box, dict) and _INDEX.sub(r"\1", "/".join(segments[k:j])) in box
                  and not any("[" in s for s in segments[k:j - 1])), k + 1)
        out.append("/".join(segments[k:j]))
        box = _step(box, out[-1]) if isinstance(box, dict) else None
        k = j
    return out


def value_at(answers: dict, path: str) -> Any:
    """The answer at a field path ('name', 'rep[2]/name', 'rep[2]/inner[1]/name') in §2 answers."""
    value: Any = answers
    for part in _parts(answers, path):
        value = _step(value, part)
    return value


def set_value_at(answers: dict, path: str, value: Any) -> None:
    """Put `value` at a field path of §2 answers (None removes the answer); the repeat item must exist.
    What follows the last repeat item is the key ('rep[2]/g1/phone' -> 'g1/phone' in item 2)."""
    segments = str(path).strip("/").split("/")
    cut = max((i + 1 for i, s in enumerate(segments[:-1]) if _INDEX.match(s)), default=0)
    outer, last = segments[:cut], "/".join(segments[cut:])
    box: Any = answers
    for part in outer:
        box = _step(box, part)
    if not isinstance(box, dict):
        raise KeyError(path)
    if value is None:
        box.pop(last, None)
    else:
        box[last] = value
