"""Data-quality signals, computed ONCE (at ingest, and again when a photo arrives) and stored in
``submission_signals``; the review page explains them, the queue filters on them, the dashboard counts them.

Codes (SIGNALS): the same photo in another survey (identical bytes, or near-identical by perceptual hash),
a photo's EXIF position far from the house or its EXIF time long before the survey, the same CCCD in
another household, another house at the same point.
"""

from __future__ import annotations

import datetime as dt
import math

import sqlalchemy as sa
from sqlalchemy.orm import Session

from forms.text import Catalogue
from server.models import Attachment, House, Submission, SubmissionSignal
from server.services import photo_facts
from server.services import survey_facts as facts

PHOTO_FAR_METRES = 500.0     # MAIAM_SIGNAL_PHOTO_FAR_M
PHOTO_OLD_DAYS = 30          # MAIAM_SIGNAL_PHOTO_OLD_DAYS
SAME_POINT_METRES = 5.0
CLOSED = ("rejected", "withdrawn")

SIGNALS = Catalogue({  # code -> the explanation on the review page
    "photo_reused": {"vi": "Ảnh này (giống hệt từng byte) đã có trong một khảo sát khác.",
                    "en": "This exact photo is already in another survey."},
    "photo_similar": {"vi": "Ảnh này gần như giống một ảnh của khảo sát khác (có thể là ảnh cũ lưu lại hoặc thu nhỏ).",
                     "en": "This photo is nearly the same as one in another survey (re-saved or resized)."},
    "photo_far": {"vi": "Vị trí GPS trong ảnh cách vị trí nhà hơn 500 m.",
                 "en": "The photo's GPS is more than 500 m from the house."},
    "photo_old": {"vi": "Ảnh được chụp hơn 30 ngày trước ngày khảo sát.",
                 "en": "The photo was taken over 30 days before the survey."},
    "cccd_elsewhere": {"vi": "Số CCCD này có trong một hộ khác (có thể ở xã khác).",
                      "en": "This CCCD number is in another household (maybe in another commune)."},
    "same_point": {"vi": "Có một nhà khác ở cùng vị trí GPS (cách dưới 5 m).",
                  "en": "Another house is at the same GPS point (< 5 m)."},
})


def metres(a, b) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 12_742_000.0 * math.asin(min(1.0, math.sqrt(h)))


def explain(code: str, lang: str = "vi") -> str:
    return SIGNALS.text(code, lang) if code in SIGNALS else code


def codes(session: Session, submission_id: int) -> list[str]:
    return sorted(set(session.scalars(sa.select(SubmissionSignal.code)
                                      .where(SubmissionSignal.submission_id == submission_id))))


def refresh(session: Session, sub: Submission, storage=None) -> list[str]:
    """Compute and store the signals of one survey (replacing those stored before); their codes."""
    form = facts.form_of(session, sub)
    found: dict[str, dict] = {}
    _photos(session, sub, storage, found)
    _household(session, sub, form, found)
    session.execute(sa.delete(SubmissionSignal).where(SubmissionSignal.submission_id == sub.id))
    for code, detail in found.items():
        session.add(SubmissionSignal(submission_id=sub.id, code=code, detail=detail))
    session.flush()
    return sorted(found)


def _other_subs(sub: Submission):
    """Surveys of another household than this one (not this survey, not a survey of its own house)."""
    cond = [Submission.id != sub.id]
    if sub.house_id is not None:
        cond.append(sa.or_(Submission.house_id.is_(None), Submission.house_id != sub.house_id))
    return cond


def _photos(session: Session, sub: Submission, storage, found: dict) -> None:
    mine = [a for a in sub.attachments if a.received]
    if not mine:
        return
    others = sa.select(Attachment.sha256, Attachment.phash, Submission.instance_id).join(
        Submission, Submission.id == Attachment.submission_id).where(Attachment.received.is_(True), *_other_subs(sub))
    shas = {a.sha256 for a in mine}
    same = session.execute(others.where(Attachment.sha256.in_(shas)).limit(5)).all()
    if same:
        found["photo_reused"] = {"surveys": sorted({r.instance_id for r in same})}
    hashes = [a.phash for a in mine if a.phash]
    if hashes:
        near = [r.instance_id for r in session.execute(others.where(Attachment.phash.is_not(None),
                                                                    Attachment.sha256.notin_(shas)))
                if any(photo_facts.similar(h, r.phash) for h in hashes)]
        if near:
            found["photo_similar"] = {"surveys": sorted(set(near))[:5]}
    if storage is None:
        return
    point = (sub.lat, sub.lon) if sub.lat is not None else None
    when = sub.created_at or sub.received_at
    if when is not None and when.tzinfo is None:  # SQLite hands stored UTC times back naive
        when = when.replace(tzinfo=dt.UTC)
    for a in mine:
        try:
            info = photo_facts.exif(storage.path(a.sha256))
        except ValueError:
            continue
        if point and "lat" in info and metres(point, (info["lat"], info["lon"])) > PHOTO_FAR_METRES:
            found["photo_far"] = {"photo": a.name, "metres": round(metres(point, (info["lat"], info["lon"])))}
        if when and "taken" in info:
            taken = info["taken"].replace(tzinfo=dt.timezone(dt.timedelta(hours=7)))
            if (when - taken) > dt.timedelta(days=PHOTO_OLD_DAYS):
                found["photo_old"] = {"photo": a.name, "taken": info["taken"].isoformat()}


def _household(session: Session, sub: Submission, form, found: dict) -> None:
    own = {sub.house_id, sub.duplicate_of_house_id} - {None}
    cccd = facts.answer(form, "id_number", sub.answers)
    if cccd:
        q = sa.select(House.id).where(House.id_number == str(cccd), House.status.notin_(CLOSED))
        if own:
            q = q.where(House.id.notin_(own))
        ids = session.scalars(q.limit(5)).all()
        if ids:
            found["cccd_elsewhere"] = {"houses": list(ids)}
    if sub.lat is not None and sub.lon is not None:
        d = 0.0001  # ~11 m box, then the exact distance
        q = sa.select(House.id, House.lat, House.lon).where(
            House.lat.between(sub.lat - d, sub.lat + d), House.lon.between(sub.lon - d, sub.lon + d),
            House.status.notin_(CLOSED))
        if own:
            q = q.where(House.id.notin_(own))
        near = [r.id for r in session.execute(q.limit(20)) if metres((sub.lat, sub.lon), (r.lat, r.lon)) < SAME_POINT_METRES]
        if near:
            found["same_point"] = {"houses": near[:5]}
