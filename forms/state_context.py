"""How an expression reads a filled form: `${name}` relative to the current repeat instance, repeats as
lists, irrelevant answers as '' (the context `forms.state.FormState` hands to `forms.expr`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from forms.expr import Context
from forms.model import Choice, Node
from forms.values import to_xpath

if TYPE_CHECKING:
    from forms.state import Chain, FormState


class StateContext(Context):
    """Resolves `${name}` relative to the current repeat instance; irrelevant answers read as ''."""

    def __init__(self, state: FormState, node: Node, chain: Chain):
        self.state, self.node, self.chain = state, node, chain
        self.choice: Choice | None = None

    def _values(self, name: str) -> list | Any:
        state = self.state
        target = state.form.nodes.get(name)
        if target is None:
            return ""
        here = dict(self.chain)
        chains: list[Chain] = [()]
        fixed = True
        for repeat in target.repeats:
            nxt = []
            for chain in chains:
                if fixed and repeat.name in here:
                    nxt.append(chain + ((repeat.name, here[repeat.name]),))
                else:
                    fixed = False
                    count = len(state.instances(repeat, chain))
                    nxt.extend(chain + ((repeat.name, i),) for i in range(1, count + 1))
            chains = nxt
        if target.is_repeat:
            counts = sum(len(state.instances(target, c)) for c in chains)
            return [""] * counts
        vals = [
            to_xpath(state.get(target, c)) if state.is_relevant(target, c) else ""
            for c in chains
        ]
        return vals[0] if fixed and len(vals) == 1 else vals

    def resolve(self, name):
        return self._values(name)

    def repeat_count(self, name):
        v = self._values(name)
        return len(v) if isinstance(v, list) else 1

    def repeat_values(self, name):
        v = self._values(name)
        return v if isinstance(v, list) else [v]

    def indexed_repeat(self, name, pairs):
        state = self.state
        target = state.form.nodes.get(name)
        if target is None:
            return ""
        chain = tuple((str(r), int(i)) for r, i in pairs)
        names = [r.name for r in target.repeats]
        fixed = dict(self.chain)
        full = []
        given = dict(chain)
        for rname in names:
            if rname in given:
                full.append((rname, given[rname]))
            elif rname in fixed:
                full.append((rname, fixed[rname]))
            else:
                return ""
        full_chain = tuple(full)
        return to_xpath(state.get(target, full_chain)) if state.is_relevant(target, full_chain) else ""

    def current(self):
        return to_xpath(self.state.get(self.node, self.chain))

    def position(self):
        return self.chain[-1][1] if self.chain else 1

    def instance_items(self, name):
        return self.state.instance_items(name)

    def item_value(self, item, column):
        if column == "label":
            return self.state.form.text(item.label, self.state.lang)
        return super().item_value(item, column)

    def choice_label(self, question_name, value):
        node = self.state.form.nodes.get(str(question_name).strip().lstrip("$").strip("{}"))
        if node is None:
            return ""
        for choice in self.state.instance_items(node.list_name or ""):
            if choice.name == str(value):
                return self.state.form.text(choice.label, self.state.lang)
        return ""

    def choice_column(self, name):
        if self.choice is None:
            return ""
        if name == "name":
            return self.choice.name
        return self.choice.props.get(name, "")

    def now(self):
        return self.state.now()

    def today(self):
        return self.state.today()

    def once_value(self):
        return self.current()

