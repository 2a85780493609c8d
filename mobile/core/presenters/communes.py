"""The commune question (role ``commune``, forms/roles.py) offered by name: volunteers never type a code.

At sign-in the server sends the communes of the account's scope (``user.communes``: [{code, name}], in
force today) and the default one (``user.commune``: the account's own, or the only one). The question —
whatever its type in the form (a 5-digit text in the library form) — is shown as a choice of those names;
the answer stored is the code, so the village list (choice_filter on the commune) and the server's check
(``outside_unit``) work as before. No scope stored (an older server): the form's own question is shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from mobile.core.presenters.fieldview import FieldView
from mobile.core.presenters.strings import tr
from mobile.core.store import USER

ROLE = "commune"
LONG_LIST = 6  # more communes than this: a list opened on tap (appearance minimal), not rows on the page


@dataclass(frozen=True)
class Scope:
    communes: tuple[tuple[str, str], ...]  # (code, name), by name
    default: str | None

    @classmethod
    def of(cls, store) -> Scope:
        user = store.get_setting(USER) or {}
        rows = [(str(c["code"]), str(c.get("name") or c["code"])) for c in user.get("communes") or []
                if isinstance(c, dict) and c.get("code")]
        default = user.get("commune")
        codes = {code for code, _ in rows}
        if default not in codes:
            default = rows[0][0] if len(rows) == 1 else None
        return cls(tuple(rows), default)


def field(form) -> str | None:
    """The path of the form's commune question (a top-level question), or None."""
    node = form.node_for(ROLE)
    return node.name if node is not None else None


def prefill(session, form, scope: Scope, locked: set) -> bool:
    """Pre-select the default commune on a draft that has none yet; True when an answer was set."""
    path = field(form)
    if path is None or path in locked or not scope.default or session.get(path) not in (None, ""):
        return False
    session.set(path, scope.default)
    return True


def as_choice(view: FieldView, scope: Scope, lang: str) -> FieldView:
    """The commune question as a choice of the scope's names (the code as each choice's value)."""
    if not scope.communes:
        return view
    view.type = "select_one"
    view.choices = list(scope.communes)
    value = "" if view.value is None else str(view.value)
    if value and value not in {code for code, _ in scope.communes}:
        view.choices.append((value, value))  # a code from elsewhere (a house's, an old draft's): kept visible
    view.label = tr("q.commune", lang)
    view.hint = tr("q.commune_hint", lang)
    view.appearance = "minimal" if len(view.choices) > LONG_LIST else None
    view.parameters = {}
    return view
