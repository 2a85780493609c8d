"""What one question looks like right now (`FieldView`), built from the live FormSession.

Plain data for the question widgets: texts already translated, choices already filtered, the
error to show inline, the photo file for a thumbnail, the GPS status line.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from mobile.core import location
from mobile.core.presenters.strings import tr


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
    choices: list = dataclasses.field(default_factory=list)  # [(name, label)]
    error: str = ""
    appearance: str | None = None
    parameters: dict = dataclasses.field(default_factory=dict)
    media: str | None = None      # image: the photo file to show as a thumbnail
    value_text: str = ""          # geopoint: the value in words
    status: str = ""              # geopoint: live accuracy / where the point came from
    busy: bool = False            # geopoint: GPS running
    use_text: str = ""            # geopoint: «Dùng vị trí này (±23 m)» while the GPS has a fix to offer


def build_view(session, node, path: str, *, error="", photo_path=None, gps_status="", gps_busy=False, gps_best=None):
    """The view of question `path` whose model node (`forms.model.Node`) is `node`."""
    qtype = node.type
    lang = session.lang
    value = session.get(path)
    choices = []
    if qtype in ("select_one", "select_multiple"):
        choices = [choice_pair(c, lang) for c in session.choices(path)]
    view = FieldView(
        field=path,
        name=node.name,
        type=qtype,
        label=session.label(path) or node.name,
        hint=session.hint(path) or "",
        value=value,
        required=bool(session.is_required(path)),
        relevant=session.is_relevant(path),
        read_only=node.read_only,
        choices=choices,
        error=error,
        appearance=node.appearance,
        parameters=dict(node.parameters),
    )
    if qtype == "image" and value and photo_path is not None:
        view.media = photo_path(value)
    if qtype == "geopoint":
        view.value_text = geopoint_text(value, lang)
        view.status, view.busy = gps_status, gps_busy
        if gps_busy and gps_best is not None:
            view.use_text = tr("q.gps_use", lang, acc=f"{gps_best.accuracy:.0f}")
    return view


def label_text(label, lang: str) -> str:
    if isinstance(label, dict):
        return label.get(lang) or label.get("vi") or next(iter(label.values()), "")
    return str(label or "")


def choice_pair(choice, lang: str) -> tuple[str, str]:
    """(name, label in `lang`) of a choice given as an engine object or a definition dict."""
    if isinstance(choice, dict):
        name, label = choice["name"], choice.get("label")
    else:
        name, label = choice.name, getattr(choice, "label", None)
    return str(name), label_text(label, lang) or str(name)


def geopoint_text(value, lang: str) -> str:
    if not value:
        return tr("q.gps_none", lang)
    try:
        fix = location.parse_geopoint(value)
    except location.CoordinateError:
        return str(value)
    if fix.manual:
        return tr("q.gps_value_manual", lang, lat=f"{fix.lat:.6f}", lon=f"{fix.lon:.6f}")
    return tr("q.gps_value", lang, lat=f"{fix.lat:.6f}", lon=f"{fix.lon:.6f}", acc=f"{fix.accuracy:.0f}")
