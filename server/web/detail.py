"""What the survey page shows: every answer under its form label, photos, the point, the history."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from flask import Response, current_app, redirect, send_file, url_for

from forms.definition import load
from forms.display import answer_rows
from server import app_storage
from server.extensions import db
from server.models import Form, House, OrgUnit, Submission
from server.services.accounts import access
from server.services.files import attachments, photo_facts
from server.services.houses import map as map_service
from server.services.houses import reading as houses_service
from server.services.programme import forms as forms_service
from server.services.surveys import review as review_service
from server.services.surveys import review_queue, signals, survey_facts
from server.web.filters import distance
from server.web.i18n import lang, t
from server.web.views_maps import map_config

EMPTY_FORM = load({"questions": []})  # a survey whose form version is unknown: its answers under their keys
YES_NO = {"yes": {"vi": "Có", "en": "Yes"}, "no": {"vi": "Không", "en": "No"},
          "poor": {"vi": "Hộ nghèo, cận nghèo", "en": "Poor / near-poor"},
          "nguoi_co_cong": {"vi": "Người có công", "en": "Meritorious service"},
          "other": {"vi": "Hộ khó khăn khác", "en": "Other hardship"}}


def submission_context(actor, instance_id: str) -> dict:
    lg = lang()
    sub = review_service.get_in_scope(db.session, actor, instance_id)
    row = db.session.scalar(db.select(Form).where(Form.form_id == sub.form_id, Form.version == sub.form_version))
    form = forms_service.engine_form(row) if row is not None and row.definition else EMPTY_FORM
    answers = sub.answers or {}
    rows = answer_rows(form, answers, lg, images=False, value_texts={k: v[lg] for k, v in YES_NO.items()})
    rows = with_unit_names(form, rows)
    photos = photo_views(sub, form, lg)
    item = review_queue.item_of(db.session, sub, lg)
    item.update(answers=rows, photos=photos)
    point = survey_facts.location(survey_facts.form_of(db.session, sub), answers)
    events = house_events(sub.house_id, lg) if sub.house_id else []
    other = duplicate_context(actor, sub, lg)
    places = survey_places(actor, sub, form, item["household"], point, other)
    return {"s": item, "events": events, "sub": sub, "other": other, **places,
            "blockers": review_service.approval_blockers(db.session, sub)}


def survey_places(actor, sub: Submission, form, household: str, point, other: dict | None) -> dict:
    """The review page's map: the house's GPS, where each photo says it was taken (EXIF) and how far
    from the house, the matched household of a possible duplicate, and the houses around it."""
    points, lines, photo_places, near = [], [], [], []
    if point:
        points.append({"lat": point[0], "lon": point[1], "status": "assessed", "label": household, "kind": "house"})
    for path, name in form.image_answers(sub.answers or {}):
        node = form.node_at(path)
        label = form.text(node.label, lang()) or node.name
        stored = attachment_path(sub, name)
        info = photo_facts.exif(stored) if stored is not None and Path(stored).is_file() else {}
        if "lat" not in info:
            photo_places.append({"label": label, "where": None, "metres": None})
            continue
        far = signals.metres(point, (info["lat"], info["lon"])) if point else None
        photo_places.append({"label": label, "where": f"{info['lat']:.6f}, {info['lon']:.6f}", "metres": far})
        text = label + (" · " + t("photo_distance", m=distance(far)) if far is not None else "")
        points.append({"lat": info["lat"], "lon": info["lon"], "kind": "photo", "label": text})
        if point:
            lines.append([[point[0], point[1]], [info["lat"], info["lon"]]])
    if other and other.get("point"):
        points.append({**other["point"], "status": other["status"], "label": other["head_name"] or "",
                       "kind": "duplicate", "url": url_for("web.house", house_id=other["id"])})
    if point:
        near = map_service.neighbours(db.session, actor, point[:2],
                                      exclude=[sub.house_id, (other or {}).get("id")])
        points += [{"lat": n["lat"], "lon": n["lon"], "status": n["status"], "kind": "neighbour",
                    "label": f"{n['label']} · {distance(n['metres'])}", "url": url_for("web.house", house_id=n["id"])}
                   for n in near]
    unit = db.session.get(OrgUnit, sub.org_unit_id)
    return {"points": points, "photo_places": photo_places, "neighbours": near,
            "neighbour_km": map_service.NEIGHBOUR_METRES / 1000,
            "map": map_config(points, lines=lines, around=unit) if points else None}


def duplicate_context(actor, sub: Submission, lg: str) -> dict | None:
    """The household a possible duplicate matched, side by side with the survey: its facts, point and the
    photos of its latest approved survey; only what the reader may see (else just that it exists)."""
    if not sub.duplicate_of_house_id:
        return None
    house = db.session.get(House, sub.duplicate_of_house_id)
    if house is None or not access.can(actor, "view", house):
        return {"hidden": True, "state": sub.duplicate_state}
    unit = db.session.get(OrgUnit, house.org_unit_id)
    basis = db.session.scalar(db.select(Submission).where(Submission.house_id == house.id,
                                                          Submission.review_status == "approved")
                              .order_by(Submission.reviewed_at.desc(), Submission.id.desc()).limit(1))
    photos = []
    if basis is not None and access.can(actor, "view", basis):
        photos = photo_views(basis, survey_facts.form_of(db.session, basis) or EMPTY_FORM, lg)
    return {"hidden": False, "state": sub.duplicate_state, "id": house.id, "head_name": house.head_name,
            "id_number": house.id_number, "birth_year": house.birth_year, "village": house.village,
            "unit": unit.name if unit else "", "status": house.status,
            "status_label": houses_service.status_label(house.status, lg), "photos": photos,
            "point": {"lat": house.lat, "lon": house.lon} if house.lat is not None else None,
            "where": f"{house.lat:.6f}, {house.lon:.6f}" if house.lat is not None else ""}


def photo_views(sub: Submission, form, lg: str) -> list[dict]:
    """Each photo answer of a survey: its label, thumbnail and full links, and ``missing`` when the phone
    has not sent it yet (or the file is gone), so that the page shows a placeholder, not a broken image."""
    held = {a.name for a in sub.attachments if a.received}
    out = []
    for path, name in form.image_answers(sub.answers or {}):
        node = form.node_at(path)
        stored = attachment_path(sub, name) if name in held else None  # None on S3: nothing local to check
        out.append({"label": form.text(node.label, lg) or node.name, "name": name,
                    "missing": name not in held or (stored is not None and not Path(stored).is_file()),
                    "thumb": url_for("web.photo", instance_id=sub.instance_id, name=name, thumb=1),
                    "full": url_for("web.photo", instance_id=sub.instance_id, name=name)})
    return out


def with_unit_names(form, rows: list) -> list:
    """The answer of the question whose role is ``commune`` is a unit code («20968»): shown with the unit's
    name («Xã Tam Xuân I (20968)») so that a reader never has to look a code up."""
    node = form.node_for("commune")
    if node is None:
        return rows
    out = []
    for row in rows:
        if not row.is_group and row.name == node.name and row.value_text:
            name = db.session.scalar(db.select(OrgUnit.name).where(OrgUnit.code == row.value_text))
            if name:
                row = replace(row, value_text=f"{name} ({row.value_text})")
        out.append(row)
    return out


def house_events(house_id: int, lg: str) -> list[dict]:
    return houses_service.history(db.session, house_id, lg)


def photo_response(actor, instance_id: str, name: str, thumb: bool = False):
    """A stored photo (or its cached JPEG thumbnail) of a submission in scope, for the browser: the file
    itself from the local disk, a redirect to a short-lived presigned URL, or streamed from the bucket
    in 64 KB pieces (never the whole photo in memory). DomainError not_found otherwise."""
    sub = review_service.get_in_scope(db.session, actor, instance_id)
    att = next((a for a in sub.attachments if a.name == name and a.received), None)
    if att is None:
        raise review_service.not_found()
    storage = app_storage.current()
    if thumb and not attachments.thumbnail(storage, att.sha256, current_app.config["MAX_IMAGE_PIXELS"]):
        raise review_service.not_found()
    content_type = "image/jpeg" if thumb else (att.content_type or "image/jpeg")
    try:
        local = storage.blobs.local_path(att.sha256, thumb)
        if local is not None:
            return send_file(local, mimetype=content_type, max_age=3600)
        url = storage.blobs.url(att.sha256, thumb, content_type)
        if url:
            return redirect(url, 302)
        size, body = storage.blobs.chunks(att.sha256, thumb)
    except (FileNotFoundError, ValueError):
        raise review_service.not_found() from None
    return Response(body, mimetype=content_type, headers={"Content-Length": str(size),
                                                          "Cache-Control": "private, max-age=3600"})


__all__ = ["submission_context", "photo_response", "answer_rows", "House", "OrgUnit"]


def attachment_path(sub: Submission, name: str):
    """The local file of a received attachment (content-addressed by sha256), or None: not received, or
    kept in an S3 bucket (nothing on this node's disk)."""
    att = next((a for a in sub.attachments if a.name == name and a.received), None)
    if att is None:
        return None
    try:
        return app_storage.current().blobs.local_path(att.sha256)
    except ValueError:
        return None
