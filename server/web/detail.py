"""What the survey page shows: every answer under its form label, photos, the point, the history."""

from __future__ import annotations

from pathlib import Path

from flask import current_app, url_for

from server.extensions import db
from server.models import Form, House, OrgUnit, Submission
from server.services import houses as houses_service
from server.services import review as review_service
from server.services import survey_facts
from server.web.i18n import lang

YES_NO = {"yes": {"vi": "Có", "en": "Yes"}, "no": {"vi": "Không", "en": "No"},
          "poor": {"vi": "Hộ nghèo, cận nghèo", "en": "Poor / near-poor"},
          "nguoi_co_cong": {"vi": "Người có công", "en": "Meritorious service"},
          "other": {"vi": "Hộ khó khăn khác", "en": "Other hardship"}}


def _label(node_or_choice: dict, lg: str) -> str:
    label = node_or_choice.get("label") or {}
    if isinstance(label, str):
        return label
    return label.get(lg) or label.get("vi") or next(iter(label.values()), None) or node_or_choice.get("name", "")


def _choice(definition: dict, list_name: str | None, value, lg: str) -> str:
    for ch in (definition.get("choices") or {}).get(list_name or "", []):
        if ch.get("name") == value:
            return _label(ch, lg)
    return str(value)


def _display(definition: dict, node: dict, value, lg: str) -> str:
    typ = node.get("type")
    if typ == "select_one":
        return _choice(definition, node.get("list_name"), value, lg)
    if typ == "geopoint":
        parts = str(value).split()
        if len(parts) >= 2:
            acc = f" (± {float(parts[3]):.0f} m)" if len(parts) >= 4 else ""
            return f"{parts[0]}, {parts[1]}{acc}"
    if typ == "select_multiple":
        values = value if isinstance(value, list) else str(value).split()
        return ", ".join(_choice(definition, node.get("list_name"), v, lg) for v in values)
    if isinstance(value, (list, dict)):
        return ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return str(value)


def answer_rows(definition: dict, answers: dict, lg: str, prefix: str = "") -> list[dict]:
    """Walk the form in order; groups become headings, repeats one heading per instance."""
    rows: list[dict] = []
    for node in definition.get("questions", []) if "questions" in definition else definition.get("children", []):
        typ, name = node.get("type"), node.get("name")
        if typ == "group":
            inner = answer_rows({"children": node.get("children", []), "choices": definition.get("choices")},
                                answers, lg, prefix)
            if inner:
                rows.append({"group": True, "label": prefix + _label(node, lg)})
                rows.extend(inner)
        elif typ == "repeat":
            for i, inst in enumerate(answers.get(name) or [], start=1):
                rows.append({"group": True, "label": f"{prefix}{_label(node, lg)} [{i}]"})
                rows.extend(answer_rows({"children": node.get("children", []), "choices": definition.get("choices")},
                                        inst if isinstance(inst, dict) else {}, lg, prefix))
        elif typ in ("note", "start", "end", "deviceid", "username", "today", "image"):
            continue
        elif typ in ("calculate", "hidden") and not node.get("label"):
            continue  # a calculation is shown to reviewers when the form gives it a label
        elif name in answers and answers[name] not in (None, "", []):
            if typ in ("calculate", "hidden"):
                value = answers[name]
                rows.append({"group": False, "label": _label(node, lg), "name": name,
                             "value": YES_NO.get(str(value), {}).get(lg, str(value))})
                continue
            rows.append({"group": False, "label": _label(node, lg) or name,
                         "value": _display(definition, node, answers[name], lg), "name": name})
    return rows


def _images(definition_nodes: list, answers: dict, out: list) -> list:
    for node in definition_nodes:
        if node.get("type") in ("group",):
            _images(node.get("children", []), answers, out)
        elif node.get("type") == "repeat":
            for inst in answers.get(node.get("name")) or []:
                _images(node.get("children", []), inst if isinstance(inst, dict) else {}, out)
        elif node.get("type") == "image" and answers.get(node.get("name")):
            out.append((node, answers[node["name"]]))
    return out


def submission_context(actor, instance_id: str) -> dict:
    lg = lang()
    sub = review_service.get_in_scope(db.session, actor, instance_id)
    form = db.session.scalar(db.select(Form).where(Form.form_id == sub.form_id, Form.version == sub.form_version))
    definition = (form.definition if form else None) or {"questions": [], "choices": {}}
    answers = sub.answers or {}
    rows = answer_rows(definition, answers, lg)
    known = {r.get("name") for r in rows}
    image_names = {v for _, v in _images(definition.get("questions", []), answers, [])}
    for key, value in answers.items():  # answers the form does not describe are still shown
        if isinstance(value, (list, dict)) or value in (None, "") or key in known:
            continue
        if value not in image_names and key not in _node_names(definition.get("questions", [])):
            rows.append({"group": False, "label": key, "value": str(value), "name": key})
    photos = [{"label": _label(node, lg), "thumb": url_for("web.photo", instance_id=sub.instance_id, name=name, thumb=1),
               "full": url_for("web.photo", instance_id=sub.instance_id, name=name)}
              for node, name in _images(definition.get("questions", []), answers, [])]
    item = review_service._item(db.session, sub, lg)
    item.update(answers=rows, photos=photos)
    point = survey_facts.location(survey_facts.form_of(db.session, sub), answers)
    points = [{"lat": point[0], "lon": point[1], "status": "assessed", "label": item["household"]}] if point else []
    events = house_events(sub.house_id, lg) if sub.house_id else []
    return {"s": item, "points": points, "events": events, "sub": sub}


def _node_names(nodes: list) -> set:
    out = set()
    for n in nodes:
        out.add(n.get("name"))
        out |= _node_names(n.get("children", []))
    return out


def house_events(house_id: int, lg: str) -> list[dict]:
    return houses_service.history(db.session, house_id, lg)


def photo_file(actor, instance_id: str, name: str, thumb: bool = False) -> tuple[str, str]:
    """The stored file for an attachment of a submission in scope; a cached JPEG thumbnail on request."""
    sub = review_service.get_in_scope(db.session, actor, instance_id)
    path = attachment_path(sub, name)
    if path is None or not Path(path).is_file():
        raise review_service.not_found()
    if not thumb:
        return str(path), "image/jpeg"
    from server.services import attachments
    from server.services.storage import Storage

    out = attachments.thumbnail(Storage(current_app.config["MEDIA_ROOT"]), Path(path).name,
                                current_app.config["MAX_IMAGE_PIXELS"])
    if out is None:
        raise review_service.not_found()
    return str(out), "image/jpeg"


def attachment_path(sub: Submission, name: str):
    """The stored file of a received attachment (content-addressed by sha256), or None."""
    from server.services.storage import Storage

    att = next((a for a in sub.attachments if a.name == name and a.received), None)
    if att is None:
        return None
    try:
        return Storage(current_app.config["MEDIA_ROOT"]).path(att.sha256)
    except ValueError:
        return None


__all__ = ["submission_context", "photo_file", "answer_rows", "House", "OrgUnit"]
