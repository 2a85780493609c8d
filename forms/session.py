"""The phone's live model of one survey: set an answer, and only what depends on it is re-evaluated.

`FormSession.set` returns the paths whose value, relevance or choices may have changed, so a UI
re-renders just those. Field paths follow docs/architecture.md §2 (`members[2]/member_name`).
"""

from __future__ import annotations

import builtins  # inside FormSession, `set` names the method: annotations say builtins.set
from dataclasses import dataclass, field
from typing import Any

from forms.issues import Issue
from forms.model import Form, Node
from forms.state import BadPath, Chain, FormState
from forms.values import from_result, is_empty


@dataclass
class Page:
    """What one screen shows (the one page layout: the phone's form screen lays pages out with it).

    - a top-level question is a page; a `field-list` group is one page with all its questions
      (groups and repeats inside it inline);
    - a group without `field-list` is transparent: each of its children is laid out as if top-level;
    - a repeat is one page: for each item a header (with Remove) and its questions, then an Add button.
    Calculations and meta questions are never on a page. `items` lists every row, irrelevant questions
    included (a screen may keep their widgets); `fields` the questions relevant now (what Next checks).
    """

    key: str                     # path of the question, group or repeat that makes the page
    title: str                   # its label (a group's or repeat's label heads the page)
    kind: str = "question"       # question | group | repeat
    items: list[tuple] = field(default_factory=list)  # ('question', path) / ('repeat_item', repeat, i)
    fields: list[str] = field(default_factory=list)   #   / ('repeat_add', repeat)

    def shows(self, path: str) -> bool:
        return ("question", path) in self.items


class FormSession:
    def __init__(self, form: Form, answers: dict | None = None, lang: str = "vi", meta: dict | None = None,
                 media: Any = None):
        """``media``: the form's media files (forms.media), when not already given to `load`."""
        self.form = form
        self.lang = lang or form.default_language
        self.state = FormState(form, lang=self.lang, meta=meta, media=media)
        self.evaluations = 0  # how many node evaluations ran (for tests of incremental updates)
        if isinstance(answers, dict):
            self.state.load_answers(answers, keep_bad=True)
        # dynamic defaults (today(), once(...), ...) run once, when the survey is new (ODK's
        # odk-instance-first-load); reopening a draft must not change them
        self._apply_defaults(form.questions, (), dynamic=not answers)
        self.state.evaluate_all()

    # ----- reading -------------------------------------------------------------------------------
    @property
    def answers(self) -> dict[str, Any]:
        """Everything typed so far (irrelevant answers kept until Finish), in wire format."""
        return self.state.cleaned(include_irrelevant=True)

    def finished_answers(self) -> dict[str, Any]:
        return self.state.cleaned()

    def get(self, path: str) -> Any:
        node, chain = self._locate(path)
        return self.state.get(node, chain)

    def is_relevant(self, path: str) -> bool:
        node, chain = self._locate(path)
        if node.is_repeat:
            return self.state.is_relevant(node, chain)
        return self.state.is_relevant(node, chain) and self.state._parent_relevant(node, chain)

    def is_required(self, path: str) -> bool:
        node, chain = self._locate(path)
        return self.state.is_required(node, chain)

    def choices(self, path: str) -> list:
        node, chain = self._locate(path)
        return self.state.choices(node, chain)

    def label(self, path: str) -> str:
        node, _ = self._locate(path)
        return self.form.text(node.label, self.lang)

    def hint(self, path: str) -> str:
        node, _ = self._locate(path)
        return self.form.text(node.hint, self.lang)

    def node(self, path: str) -> Node:
        return self._locate(path)[0]

    def repeat_size(self, path: str) -> int:
        node, chain = self._locate(path)
        return len(self.state.instances(node, chain))

    # ----- writing -------------------------------------------------------------------------------
    def set(self, path: str, value: Any) -> builtins.set[str]:
        """Store one answer; re-evaluate its dependants only. Returns the paths that changed."""
        node, chain = self._locate(path)
        if node.is_container or not node.has_answer:
            raise BadPath(path)
        self.state.set_value(node, chain, value)
        changed = {self.state.path(node, chain)}
        changed |= self._recompute(self.form.dependants.get(node.name, frozenset()))
        return changed

    def add_repeat(self, path: str) -> int:
        """Append an instance to the repeat at `path`; returns its 1-based index."""
        node, chain = self._locate(path)
        if not node.is_repeat:
            raise BadPath(path)
        box = self.state.container(chain, create=True)
        items = box.setdefault(node.name, [])
        items.append({})
        index = len(items)
        self._apply_defaults(node.children, chain + ((node.name, index),), dynamic=True)  # odk-new-repeat
        self._recompute({node.name} | self._descendants(node) | self.form.dependants.get(node.name, frozenset()))
        return index

    def remove_repeat(self, path: str, index: int) -> None:
        node, chain = self._locate(path)
        items = self.state.instances(node, chain)
        if not node.is_repeat or not 1 <= index <= len(items):
            raise BadPath(path)
        del items[index - 1]
        prefix = self.state.path(node, chain)
        self.state.relevance = {k: v for k, v in self.state.relevance.items() if not k.startswith(prefix + "[")}
        self.state.type_errors = {k: v for k, v in self.state.type_errors.items() if not k.startswith(prefix + "[")}
        self._recompute({node.name} | self._descendants(node) | self.form.dependants.get(node.name, frozenset()))

    # ----- judging -------------------------------------------------------------------------------
    def errors(self, fields: list[str] | None = None) -> list[Issue]:
        if fields is None:
            return self.state.all_issues()
        out: list[Issue] = []
        for path in fields:
            try:
                node, chain = self._locate(path)
            except BadPath:
                continue
            if node.is_container:
                for sub in self._descendants(node):
                    n = self.form.nodes[sub]
                    out.extend(i for c in self.state.chains(n) if c[: len(chain)] == chain
                               for i in self.state.issues(n, c))
            else:
                out.extend(self.state.issues(node, chain))
        return out

    def missing(self) -> list[str]:
        """Relevant required questions still empty (for the summary page before Finish)."""
        return [i.field for i in self.state.all_issues() if i.code == "required"]

    def pages(self, every: bool = False) -> list[Page]:
        """The pages to show now: a group's or repeat's page goes when it is irrelevant, a page of
        questions when none of them is relevant; a repeat's page stays (its Add button) when empty.
        ``every=True`` keeps every page whatever the answers (a preview of the whole form)."""
        pages: list[Page] = []
        for node in self._page_nodes(self.form.questions):
            if node.is_container and not every and not self.state.is_relevant(node, ()):
                continue
            fields: list[str] = []
            items = self._layout(node, (), fields)
            if every or fields or any(item[0] != "question" for item in items):
                kind = node.type if node.is_container else "question"
                pages.append(Page(node.name, self.form.text(node.label, self.lang), kind, items, fields))
        return pages

    # ----- internals -----------------------------------------------------------------------------
    def _locate(self, path: str) -> tuple[Node, Chain]:
        return self.state.locate(path)

    def _recompute(self, names) -> builtins.set[str]:
        if not names:
            return set()
        before = self._snapshot(names)
        for node in self.form.order:
            if node.name in names:
                for chain in self.state.chains(node):
                    self.evaluations += 1
                    self.state.evaluate(node, chain)
        after = self._snapshot(names)
        changed = {p for p in after if after[p] != before.get(p)}
        changed |= {p for p in before if p not in after}
        # select questions whose filter depends on the change: their choices may differ
        changed |= {p for p in after if self.form.node_at(p).choice_filter}
        return changed

    def _snapshot(self, names) -> dict[str, tuple]:
        snap = {}
        for name in names:
            node = self.form.nodes[name]
            for chain in self.state.chains(node):
                path = self.state.path(node, chain)
                value = self.state.get(node, chain) if not node.is_repeat else len(self.state.instances(node, chain))
                snap[path] = (self.state.is_relevant(node, chain), repr(value))
        return snap

    def _descendants(self, node: Node) -> builtins.set[str]:
        out: builtins.set[str] = set()
        stack = list(node.children)
        while stack:
            n = stack.pop()
            out.add(n.name)
            stack.extend(n.children)
        return out

    def _apply_defaults(self, nodes, chain: Chain, dynamic: bool = False) -> None:
        for node in nodes:
            if node.is_group:
                self._apply_defaults(node.children, chain, dynamic)
            elif node.is_repeat:
                for i in range(1, len(self.state.instances(node, chain)) + 1):
                    self._apply_defaults(node.children, chain + ((node.name, i),), dynamic)
            elif node.calculation is not None or not is_empty(self.state.get(node, chain)):
                continue
            elif node.default is not None:
                self.state.set_value(node, chain, node.default)
            elif dynamic and node.default_expr is not None:
                result = node.default_expr.evaluate(self.state.context(node, chain))
                self.state.set_value(node, chain, from_result(node.type, result))

    def _page_nodes(self, nodes) -> list[Node]:
        """The nodes that make pages: transparent groups opened up, hidden questions left out."""
        out: list[Node] = []
        for node in nodes:
            if node.is_hidden:
                continue
            if node.is_group and not node.field_list_group:
                out.extend(self._page_nodes(node.children))
            else:
                out.append(node)
        return out

    def _layout(self, node: Node, chain: Chain, fields: list[str]) -> list[tuple]:
        """The rows of `node` at `chain`; the relevant questions among them are added to `fields`."""
        if node.is_hidden:
            return []
        if node.is_group:
            return [item for child in node.children for item in self._layout(child, chain, fields)]
        path = self.state.path(node, chain)
        if not node.is_repeat:
            if self.state.is_relevant(node, chain):  # folds in the enclosing groups' relevance
                fields.append(path)
            return [("question", path)]
        items: list[tuple] = []
        for i in range(1, len(self.state.instances(node, chain)) + 1):
            items.append(("repeat_item", path, i))
            for child in node.children:
                items.extend(self._layout(child, chain + ((node.name, i),), fields))
        items.append(("repeat_add", path))
        return items
