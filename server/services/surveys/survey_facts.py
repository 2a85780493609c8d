"""What a survey says about its house, read through the roles its form declares (forms.roles).

The server never guesses a question by its name: a form without a role simply lacks that fact
(None). The form is the engine's `forms.model.Form` the survey was filled with.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from forms.display import choice_label
from forms.search import search_text
from server.models import Form, Submission
from server.models.houses import SEARCH_TEXT_LENGTH
from server.services.programme import forms as forms_service

YES = "yes"
NO = ("no", "false", "0", "khong", "không")


def form_of(session: Session, sub: Submission, cache: dict | None = None):
    """The engine form a survey was filled with (None when that version is not stored)."""
    key = (sub.form_id, sub.form_version)
    if cache is not None and key in cache:
        return cache[key]
    row = session.scalar(sa.select(Form).where(Form.form_id == sub.form_id, Form.version == sub.form_version))
    form = forms_service.engine_form(row) if row is not None else None
    if cache is not None:
        cache[key] = form
    return form


def answer(form, role: str, answers: dict | None):
    """The answer of the question declaring ``role``; None without a form or without that role."""
    return form.answer_for(role, answers) if form is not None else None


def field_name(form, role: str) -> str:
    """The question name to point at in a field error (the role itself when the form has none)."""
    node = form.node_for(role) if form is not None else None
    return node.name if node is not None else role


def location(form, answers: dict | None) -> tuple[float, float, float | None] | None:
    """Where the house is: the form's `house_location` geopoint as (lat, lon, accuracy or None)."""
    value = answer(form, "house_location", answers)
    try:
        parts = [float(p) for p in str(value).split()]
    except (TypeError, ValueError):
        return None
    if len(parts) < 2 or not (-90 <= parts[0] <= 90 and -180 <= parts[1] <= 180):
        return None
    return parts[0], parts[1], (parts[3] if len(parts) > 3 else None)


def village(form, answers: dict | None) -> str | None:
    """The village code, or the name typed when it is not in the form's list ('other')."""
    code = answer(form, "village", answers)
    if code == "other":
        return str(answer(form, "village_name", answers) or "")[:40] or None
    return str(code) if code is not None else None


def village_label(form, answers: dict | None) -> str | None:
    """The village as people name it: the form's label of the chosen village (Vietnamese), or the name typed."""
    code = answer(form, "village", answers)
    if code is None or code == "other":
        return village(form, answers)
    return choice_label(form, form.node_for("village"), code, "vi")


def search_words(form, answers: dict | None, *more) -> str:
    """The survey's search text (forms.search): head | CCCD | village, then ``more`` (the volunteer)."""
    return search_text(answer(form, "head_name", answers), answer(form, "id_number", answers),
                       village_label(form, answers) if form is not None else None, *more)[:SEARCH_TEXT_LENGTH]


def says_no(form, role: str, answers: dict | None) -> bool:
    """The form's own yes/no verdict for ``role`` is no."""
    return str(answer(form, role, answers) or "").strip().lower() in NO


def says_yes(form, role: str, answers: dict | None) -> bool:
    return str(answer(form, role, answers) or "").strip().lower() == YES


def birth_year(form, answers: dict | None) -> int | None:
    """The household head's birth year (`birth_year` role), or None."""
    try:
        value = int(answer(form, "birth_year", answers))
    except (TypeError, ValueError):
        return None
    return value if 1850 <= value <= 2100 else None


def house_facts(form, answers: dict | None) -> dict:
    """What an assessment says about its house, as House columns (None: the survey does not say).
    Written when a survey creates its house, and when an assessment of an existing house is approved."""
    cccd = answer(form, "id_number", answers)
    point = location(form, answers) or (None, None, None)
    return {"head_name": answer(form, "head_name", answers), "id_number": str(cccd) if cccd else None,
            "birth_year": birth_year(form, answers), "village": village(form, answers),
            "lat": point[0], "lon": point[1], "accuracy": point[2],
            "support_kind": answer(form, "support_kind", answers),
            "beneficiary_group": answer(form, "support_group", answers),
            "search_text": search_words(form, answers) or None}
