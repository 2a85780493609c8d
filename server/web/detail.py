"""What the survey page shows: every answer under its form label, photos, the point, the history."""

from __future__ import annotations

from flask import Response, current_app, redirect, send_file, url_for

from forms.definition import load
from forms.display import answer_rows
from server import app_storage
from server.extensions import db
from server.models import Form, House, OrgUnit, Submission
from server.services.accounts import access
from server.services.files import attachments
from server.services.houses import reading as houses_service
from server.services.programme import forms as forms_service
from server.services.surveys import review as review_service
from server.services.surveys import survey_facts
from server.web.i18n import lang

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
    photos = [{"label": form.text(form.node_at(path).label, lg) or form.node_at(path).name,
               "thumb": url_for("web.photo", instance_id=sub.instance_id, name=name, thumb=1),
               "full": url_for("web.photo", instance_id=sub.instance_id, name=name)}
              for path, name in form.image_answers(answers)]
    item = review_service._item(db.session, sub, lg)
    item.update(answers=rows, photos=photos)
    point = survey_facts.location(survey_facts.form_of(db.session, sub), answers)
    points = [{"lat": point[0], "lon": point[1], "status": "assessed", "label": item["household"]}] if point else []
    events = house_events(sub.house_id, lg) if sub.house_id else []
    other = duplicate_context(actor, sub, lg)
    if other and other.get("point"):
        points.append({**other["point"], "status": other["status"], "label": other["head_name"] or ""})
    return {"s": item, "points": points, "events": events, "sub": sub, "other": other,
            "blockers": review_service.approval_blockers(db.session, sub)}


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
        bform = survey_facts.form_of(db.session, basis) or EMPTY_FORM
        photos = [{"thumb": url_for("web.photo", instance_id=basis.instance_id, name=name, thumb=1),
                   "full": url_for("web.photo", instance_id=basis.instance_id, name=name)}
                  for _, name in bform.image_answers(basis.answers or {})]
    return {"hidden": False, "state": sub.duplicate_state, "id": house.id, "head_name": house.head_name,
            "id_number": house.id_number, "birth_year": house.birth_year, "village": house.village,
            "unit": unit.name if unit else "", "status": house.status,
            "status_label": houses_service.status_label(house.status, lg), "photos": photos,
            "point": {"lat": house.lat, "lon": house.lon} if house.lat is not None else None,
            "where": f"{house.lat:.6f}, {house.lon:.6f}" if house.lat is not None else ""}


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
