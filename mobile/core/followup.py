"""Follow-up visits started from a house: which houses may have one, which form reports progress,
and the new draft's facts taken from the house (its id, its commune) with the next stage pre-selected.

A progress form is any cached form that declares the roles `house_ref` (the server's house id) and
`construction_stage` (forms/roles.py): nothing here knows a form or a question by its name.
The house comes from the sync feed (`Store.get_house`): `status`, `follow_up` (the server's word on
whether the house is being built) and `units` (its unit and ancestors, province first).
"""

from __future__ import annotations

from forms.definition import load
from forms.model import Form
from forms.session import FormSession

HOUSE_REF = "house_ref"
STAGE = "construction_stage"
COMMUNE = "commune"
# statuses a house is followed up in, when an older server's feed does not say `follow_up`
FOLLOW_UP_STATUSES = ("approved", "funded", "started", "stage_checked", "completed")


def is_followed_up(house: dict) -> bool:
    if "follow_up" in house and house["follow_up"] is not None:
        return bool(house["follow_up"])
    return house.get("status") in FOLLOW_UP_STATUSES


def progress_form_id(store) -> str | None:
    """The cached form that reports a house's progress (roles house_ref + construction_stage)."""
    for entry in store.list_forms():
        definition = store.get_form(entry["form_id"])
        if definition is None:
            continue
        form = load(definition)
        if form.node_for(HOUSE_REF) is not None and form.node_for(STAGE) is not None:
            return entry["form_id"]
    return None


def next_stage(session: FormSession, field: str, status: str | None) -> str | None:
    """The stage after the house's status in the form's list of stages (in the list's order), or the
    first stage when the house has not reached any of them yet (approved, funded)."""
    names = [c.name for c in session.choices(field)]
    if not names:
        return None
    if status in names:
        return names[min(names.index(status) + 1, len(names) - 1)]
    return names[0]


def accepted_unit(session: FormSession, field: str, units: list[str]) -> str | None:
    """The deepest of the house's units (village, commune, ...) that the commune question accepts."""
    for code in reversed([str(u) for u in units or []]):
        session.set(field, code)
        if not session.errors(fields=[field]):
            return code
    session.set(field, None)
    return None


def new_follow_up(store, house_id: str, meta: dict | None = None) -> int:
    """A new draft of the progress form for this house: house id and commune filled in from the house,
    the next stage pre-selected. Returns the draft id."""
    form_id = progress_form_id(store)
    house = store.get_house(house_id)
    if form_id is None or house is None:
        raise LookupError(house_id if house is None else "progress form")
    definition = store.get_form(form_id)
    form = load(definition)
    ref, stage, commune = form.node_for(HOUSE_REF), form.node_for(STAGE), form.node_for(COMMUNE)
    assert ref is not None and stage is not None  # progress_form_id chose a form with both roles
    session = FormSession(form, lang="vi", meta=meta or {})
    session.set(ref.name, str(house_id))
    if commune is not None:
        accepted_unit(session, commune.name, house.get("units") or [house.get("org_unit")])
    if stage.type == "select_one":
        chosen = next_stage(session, stage.name, house.get("status"))
        if chosen is not None:
            session.set(stage.name, chosen)
    return store.create_draft(form_id, str(definition.get("version", "")), house_id=str(house_id),
                              answers=session.answers)


def locked_fields(form: Form, house: dict | None, answers: dict) -> set[str]:
    """The facts of a follow-up that come from its house and are shown read-only: the house id, and the
    commune when it holds one of the house's units."""
    ref = form.node_for(HOUSE_REF)
    if ref is None or house is None:
        return set()
    locked = {ref.name}
    commune = form.node_for(COMMUNE)
    units = [str(u) for u in house.get("units") or [house.get("org_unit")] if u]
    if commune is not None and str(answers.get(commune.name) or "") in units:
        locked.add(commune.name)
    return locked
