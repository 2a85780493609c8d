"""The one judge of a set of answers, used by the phone before Finish and by the server at ingest.

Types are checked and normalised, calculations recomputed (a client's calculated values are never
trusted), irrelevant and unknown answers dropped, then required / choice / constraint checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from forms.issues import Issue, message
from forms.model import Form
from forms.state import FormState


@dataclass
class Result:
    answers: dict[str, Any]
    errors: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error_dicts(self) -> list[dict]:
        return [e.to_dict() for e in self.errors]


def validate(form: Form, answers: Any, lang: str = "vi", meta: dict | None = None, media: Any = None) -> Result:
    """Judge `answers` (wire format, docs/architecture.md §2) against `form`. ``media``: its media
    files when not given to `load` (forms.media.MediaError when the form needs some it lacks)."""
    if not isinstance(answers, dict):
        return Result({}, [Issue("", "type", message("type.answers", lang))])
    state = FormState(form, lang=lang, meta=meta, media=media)
    type_issues = state.load_answers(answers, keep_bad=True)
    for node in form.walk():  # a client's calculated values are never trusted
        if node.calculation is not None and not node.is_repeat:
            for chain in state.chains(node):
                state.put(node, chain, None)
    state.evaluate_all()
    # a typed value that a calculation recomputes is replaced, never judged (as in ODK)
    errors = [i for i in type_issues if i.field and _still_relevant(state, i.field) and not _calculated(state, i.field)]
    errors += [i for i in state.all_issues() if i.code != "type"]
    return Result(state.cleaned(), errors)


def _calculated(state: FormState, path: str) -> bool:
    try:
        node, _ = state.locate(path)
    except KeyError:
        return False
    return node.calculation is not None and not node.is_repeat


def _still_relevant(state: FormState, path: str) -> bool:
    try:
        node, chain = state.locate(path)
    except KeyError:
        return True
    if node.is_repeat:
        return state.is_relevant(node, chain)
    return state.is_relevant(node, chain) and state._parent_relevant(node, chain)
