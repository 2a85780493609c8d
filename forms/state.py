"""The live state of one filled form: answers, relevance, calculations and their evaluation.

Shared by `forms.validate` (one full pass) and `forms.session` (incremental, per answer).
Answers are kept in the wire format of docs/architecture.md §2 (groups transparent, repeats as
lists of dicts). A *chain* locates a repeat instance: a tuple of (repeat name, 1-based index).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, overload

from forms import clock
from forms.expr import to_boolean, to_number
from forms.issues import Issue, message
from forms.media import MediaError, MediaFiles
from forms.model import META_TYPES, Choice, Form, Node
from forms.state_context import StateContext
from forms.values import BadValue, from_result, is_empty, normalise

Chain = tuple[tuple[str, int], ...]
MAX_REPEAT = 1000  # items a repeat_count may ask for
_NOT_ASKED = ("calculate", "note", "hidden", *META_TYPES)


class BadPath(KeyError):
    pass


class FormState:
    def __init__(self, form: Form, lang: str = "vi", meta: dict | None = None, media: Any = None):
        self.form = form
        self.lang = lang if lang else form.default_language
        self.meta = dict(meta or {})
        # the form's media files: given here, else those given to load(); a form that has some needs them
        self.files = MediaFiles.for_form(form.media, media, form.default_language) if media is not None \
            else form.files
        if form.media and self.files is None:
            raise MediaError("missing", name=", ".join(m["name"] for m in form.media))
        self.values: dict[str, Any] = {}
        self.relevance: dict[str, bool] = {}
        self.type_errors: dict[str, str] = {}
        self.too_many: dict[str, float] = {}  # repeat path -> a repeat_count past MAX_REPEAT

    # ----- navigation -------------------------------------------------------------------------
    @overload
    def container(self, chain: Chain, create: Literal[True]) -> dict: ...
    @overload
    def container(self, chain: Chain, create: bool = False) -> dict | None: ...

    def container(self, chain: Chain, create: bool = False) -> dict | None:
        box = self.values
        for name, index in chain:
            items = box.get(name)
            if not isinstance(items, list) or len(items) < index:
                if not create:
                    return None
                items = box.setdefault(name, []) if isinstance(box.get(name), list) else box.setdefault(name, [])
                while len(items) < index:
                    items.append({})
            box = items[index - 1]
        return box

    def instances(self, repeat: Node, chain: Chain) -> list:
        box = self.container(chain)
        items = box.get(repeat.name) if box is not None else None
        return items if isinstance(items, list) else []

    def chains(self, node: Node) -> list[Chain]:
        """Every instance chain at which `node` exists (one empty chain outside repeats)."""
        chains: list[Chain] = [()]
        for repeat in node.repeats:
            nxt: list[Chain] = []
            for chain in chains:
                count = len(self.instances(repeat, chain))
                nxt.extend(chain + ((repeat.name, i),) for i in range(1, count + 1))
            chains = nxt
        return chains

    def get(self, node: Node, chain: Chain = ()) -> Any:
        box = self.container(chain)
        return None if box is None else box.get(node.name)

    def put(self, node: Node, chain: Chain, value: Any) -> None:
        box = self.container(chain, create=True)
        if value is None:
            box.pop(node.name, None)
        else:
            box[node.name] = value

    def path(self, node: Node, chain: Chain = ()) -> str:
        if not chain:
            return node.name
        parts = [f"{name}[{i}]" for name, i in chain]
        return "/".join(parts + [node.name])

    def locate(self, path: str) -> tuple[Node, Chain]:
        """'members[2]/member_name' (group names may appear; they are skipped) -> (node, chain).

        A repeat's own path ('members', 'outer[1]/inner') gives the repeat and its outer chain.
        """
        try:
            steps = self.form.steps(path)
        except KeyError:
            raise BadPath(path) from None
        chain: list[tuple[str, int]] = []
        for k, (node, index) in enumerate(steps):
            if index is not None:
                if not node.is_repeat or index < 1 or k == len(steps) - 1:
                    raise BadPath(path)
                chain.append((node.name, index))
        node = steps[-1][0]
        if tuple(r.name for r in node.repeats) != tuple(n for n, _ in chain):
            raise BadPath(path)
        return node, tuple(chain)

    # ----- loading ------------------------------------------------------------------------------
    def load_answers(self, answers: dict, keep_bad: bool) -> list[Issue]:
        """Read wire answers into the state, normalising types. Returns type issues."""
        issues: list[Issue] = []
        flat = {}
        for key, value in answers.items():
            flat[self.form.answer_key(key)] = value
        self._load_level(self.form.questions, flat, (), issues, keep_bad)
        return issues

    def _load_level(self, nodes, given: dict, chain: Chain, issues, keep_bad):
        for node in nodes:
            if node.is_group:
                self._load_level(node.children, given, chain, issues, keep_bad)
            elif node.is_repeat:
                raw = given.get(node.name)
                if raw is None:
                    continue
                if not isinstance(raw, list) or not all(isinstance(x, dict) for x in raw):
                    issues.append(Issue(self.path(node, chain), "type", message("type.repeat", self.lang)))
                    continue
                box = self.container(chain, create=True)
                box[node.name] = [{} for _ in raw]
                for i, item in enumerate(raw, start=1):
                    sub = {self.form.answer_key(k): v for k, v in item.items()}
                    self._load_level(node.children, sub, chain + ((node.name, i),), issues, keep_bad)
            elif node.has_answer and node.name in given:
                self.set_value(node, chain, given[node.name], issues, keep_bad)

    def set_value(self, node: Node, chain: Chain, raw: Any, issues: list | None = None, keep_bad=True) -> None:
        path = self.path(node, chain)
        try:
            value = normalise(node.type, raw)
            self.type_errors.pop(path, None)
        except BadValue as bad:
            self.type_errors[path] = bad.key
            if issues is not None:
                issues.append(Issue(path, "type", message(bad.key, self.lang)))
            value = raw if keep_bad else None
        self.put(node, chain, value)

    # ----- evaluation ---------------------------------------------------------------------------
    def is_relevant(self, node: Node, chain: Chain = ()) -> bool:
        return self.relevance.get(self.path(node, chain), True)

    def _parent_relevant(self, node: Node, chain: Chain) -> bool:
        parent = node.parent
        if parent is None:
            return True
        parent_chain = chain[:-1] if parent.is_repeat else chain
        return self.is_relevant(parent, parent_chain)

    def evaluate_all(self) -> None:
        for node in self.form.order:
            for chain in self.chains(node):
                self.evaluate(node, chain)

    def recompute(self, names) -> None:
        for node in self.form.order:
            if node.name in names:
                for chain in self.chains(node):
                    self.evaluate(node, chain)

    def evaluate(self, node: Node, chain: Chain) -> None:
        relevant = self._parent_relevant(node, chain)
        if relevant and node.relevant is not None:
            relevant = to_boolean(node.relevant.evaluate(self.context(node, chain)))
        self.relevance[self.path(node, chain)] = relevant
        if not relevant:
            return
        if node.is_repeat and node.repeat_count is not None:
            n = to_number(node.repeat_count.evaluate(self.context(node, chain)))
            n = 0 if n != n or n < 0 else n
            path = self.path(node, chain)
            self.too_many.pop(path, None)
            if n > MAX_REPEAT:  # one clear error on the repeat, not thousands on empty items
                self.too_many[path] = n
                n = 0
            n = int(n)
            box = self.container(chain, create=True)
            items = box.setdefault(node.name, [])
            del items[n:]
            while len(items) < n:
                items.append({})
        elif node.calculation is not None:
            result = node.calculation.evaluate(self.context(node, chain))
            self.put(node, chain, from_result(node.type, result))
            self.type_errors.pop(self.path(node, chain), None)  # what was typed is replaced anyway
        elif node.type in META_TYPES and is_empty(self.get(node, chain)):
            self.put(node, chain, self._meta_value(node.type))

    def _meta_value(self, qtype: str) -> Any:
        if qtype in ("start", "end"):
            return self.meta.get(qtype) or self.now().isoformat(timespec="seconds")
        if qtype == "today":
            return self.today().isoformat()
        return self.meta.get(qtype) or None

    def now(self) -> dt.datetime:
        """The survey's clock: the caller's meta (``forms.clock`` has the one rule)."""
        return clock.meta_now(self.meta)

    def today(self) -> dt.date:
        return clock.meta_today(self.meta)

    def context(self, node: Node, chain: Chain) -> StateContext:
        return StateContext(self, node, chain)

    # ----- judging ------------------------------------------------------------------------------
    def instance_items(self, name: str) -> list[Choice]:
        """A choice list, or the rows of a media file (select_one_from_file, instance(), pulldata())."""
        if name in self.form.choices:
            return self.form.choices[name]
        file = self.files.file_for(name) if self.files is not None else None
        return self.files.items(file) if file else []

    def choices(self, node: Node, chain: Chain = ()) -> list:
        items = self.instance_items(node.list_name or "")
        if node.choice_filter is None:
            return list(items)
        ctx = self.context(node, chain)
        out = []
        for choice in items:
            ctx.choice = choice
            if to_boolean(node.choice_filter.evaluate(ctx)):
                out.append(choice)
        return out

    def is_required(self, node: Node, chain: Chain = ()) -> bool:
        if node.type in _NOT_ASKED or node.is_container:
            return False
        if isinstance(node.required, bool):
            return node.required
        return to_boolean(node.required.evaluate(self.context(node, chain)))

    def issues(self, node: Node, chain: Chain = ()) -> list[Issue]:
        """Problems with one relevant leaf answer (type, required, choice, constraint); a repeat whose
        repeat_count is past MAX_REPEAT has one."""
        if node.is_repeat and self.path(node, chain) in self.too_many and self.is_relevant(node, chain):
            n = self.too_many[self.path(node, chain)]
            return [Issue(self.path(node, chain), "constraint",
                          message("repeat_count", self.lang, n=f"{n:.0f}", max=MAX_REPEAT))]
        if node.is_container or not node.has_answer or not self.is_relevant(node, chain):
            return []
        path = self.path(node, chain)
        if path in self.type_errors:
            return [Issue(path, "type", message(self.type_errors[path], self.lang))]
        value = self.get(node, chain)
        if is_empty(value):
            if self.is_required(node, chain):
                text = self.form.text(node.required_message, self.lang) or message("required", self.lang)
                return [Issue(path, "required", text)]
            return []
        if node.type in ("select_one", "select_multiple") and node.calculation is None:
            allowed = {c.name for c in self.choices(node, chain)}
            if node.or_other:
                allowed.add("other")
            picked = value if isinstance(value, list) else [value]
            if any(v not in allowed for v in picked):
                return [Issue(path, "choice", message("choice", self.lang))]
        if node.type == "range" and not _in_range(node, value):
            p = node.parameters
            return [Issue(path, "constraint", message("range", self.lang, start=p.get("start", 1),
                                                      end=p.get("end", 10)))]
        if node.constraint is not None and node.type not in _NOT_ASKED:
            # ODK checks constraints on the questions a person answers, never on a calculate
            ok = to_boolean(node.constraint.evaluate(self.context(node, chain)))
            if not ok:
                text = self.form.text(node.constraint_message, self.lang) or message("constraint", self.lang)
                return [Issue(path, "constraint", text)]
        return []

    def all_issues(self, nodes=None) -> list[Issue]:
        out: list[Issue] = []
        for node in self.form.walk() if nodes is None else nodes:
            for chain in self.chains(node):
                out.extend(self.issues(node, chain))
        return out

    def cleaned(self, include_irrelevant: bool = False) -> dict:
        """The answers in wire format: irrelevant answers and notes dropped."""
        out: dict[str, Any] = {}
        self._clean_level(self.form.questions, (), out, include_irrelevant)
        return out

    def _clean_level(self, nodes, chain: Chain, out: dict, keep_all: bool):
        for node in nodes:
            if not keep_all and not self.is_relevant(node, chain):
                continue
            if node.is_group:
                self._clean_level(node.children, chain, out, keep_all)
            elif node.is_repeat:
                items = []
                for i in range(1, len(self.instances(node, chain)) + 1):
                    item: dict[str, Any] = {}
                    self._clean_level(node.children, chain + ((node.name, i),), item, keep_all)
                    items.append(item)
                if items:
                    out[node.name] = items
            elif node.has_answer:
                value = self.get(node, chain)
                if not is_empty(value):
                    out[node.name] = value


def _in_range(node: Node, value: Any) -> bool:
    """ODK's range: start..end (either way round), on a step from start; defaults 1, 10, 1."""
    try:
        start = float(node.parameters.get("start", 1))
        end = float(node.parameters.get("end", 10))
        step = abs(float(node.parameters.get("step", 1))) or 1.0
        number = float(value)
    except (TypeError, ValueError):
        return False
    steps = (number - start) / step
    return min(start, end) <= number <= max(start, end) and abs(steps - round(steps)) < 1e-9
