"""What one question looks like right now (`FieldView`), built from the live FormSession.

Plain data for the question widgets: texts already translated, choices already filtered, the
error to show inline, the photo file for a thumbnail, the GPS status line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from mobile.core import location
from mobile.core.presenters.strings import tr

_INDEX = re.compile(r"\[\d+\]")


def field_name(path: str) -> str:
    """'rooms[2]/area' -> 'area' (question names are unique in a form)."""
    return _INDEX.sub("", path).rsplit("/", 1)[-1]


@dataclass
class FieldView:
    field: str
    name: str
    type: str
    label: str
    hint: str = ""
    value: Any = None
    required: bool = False
    relevant: bool = True
    read_only: bool = False
    choices: list = field(default_factory=list)  # [(name, label)]
    error: str = ""
    appearance: str | None = None
    parameters: dict = field(default_factory=dict)
    media: str | None = None      # image: the photo file to show as a thumbnail
    value_text: str = ""          # geopoint: the value in words
    status: str = ""              # geopoint: live accuracy / where the point came from
    busy: bool = False            # geopoint: GPS running


def node_of(form, name: str):
    """The definition node of a question name (the engine's Form model)."""
    return form.node(name)


def build_view(session, form, path: str, *, error: str = "", photo_path=None, gps_status="", gps_busy=False):
    node = node_of(form, field_name(path))
    qtype = node.type
    value = session.get(path)
    choices = []
    if qtype in ("select_one", "select_multiple"):
        choices = [(c.name, session.choice_label(c) if hasattr(session, "choice_label") else _label(c, session.lang))
                   for c in session.choices(path)]
    view = FieldView(
        field=path,
        name=node.name,
        type=qtype,
        label=session.label(path) or node.name,
        hint=session.hint(path) or "",
        value=value,
        required=_required(session, path, node),
        relevant=session.is_relevant(path),
        read_only=bool(getattr(node, "read_only", False)),
        choices=choices,
        error=error,
        appearance=getattr(node, "appearance", None),
        parameters=dict(getattr(node, "parameters", None) or {}),
    )
    if qtype == "image" and value and photo_path is not None:
        view.media = photo_path(value)
    if qtype == "geopoint":
        view.value_text = geopoint_text(value, session.lang)
        view.status, view.busy = gps_status, gps_busy
    return view


def geopoint_text(value, lang: str) -> str:
    if not value:
        return tr("q.gps_none", lang)
    try:
        fix = location.parse_geopoint(value)
    except location.CoordinateError:
        return str(value)
    return tr("q.gps_value", lang, lat=f"{fix.lat:.6f}", lon=f"{fix.lon:.6f}", acc=f"{fix.accuracy:.0f}")


def _required(session, path, node) -> bool:
    if hasattr(session, "is_required"):
        return bool(session.is_required(path))
    return node.required is True


def _label(choice, lang):
    label = getattr(choice, "label", None) or {}
    if isinstance(label, dict):
        return label.get(lang) or next(iter(label.values()), choice.name)
    return str(label or choice.name)
