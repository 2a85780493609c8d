"""The district's review queue and what each row shows (the read side of review; decisions and their effect
on houses: server.services.surveys.review). Scoped by the access gate, searched and sorted in SQL, flags and
signals read as stored at ingest for a whole page at once."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from server.errors import DomainError
from server.models import Form, House, OrgUnit, Submission, SubmissionSignal, User
from server.services.accounts import access
from server.services.lists import listing
from server.services.reports.formatting import vn_time
from server.services.surveys import signals
from server.services.surveys import survey_facts as facts
from server.services.surveys.review import FLAGS, PAGE_SIZE, review_label, scoped_submissions

# ---- the queue --------------------------------------------------------------------------------------
QueuePage = listing.Page
QUEUE_SORTS = {  # name -> ORDER BY; the queue reads oldest first (first come, first served)
    "oldest": (Submission.received_at, Submission.id),
    "newest": (Submission.received_at.desc(), Submission.id.desc()),
    "name": (Submission.search_text, Submission.id),  # the folded head's name comes first in search_text
}


def queue(session: Session, actor: User, *, commune: str | None = None, form: str | None = None,
          date_from=None, date_to=None, flag: str | None = None, q: str | None = None, sort: str | None = None,
          lang: str = "vi", page: int = 1, per_page: int = PAGE_SIZE) -> QueuePage:
    """One page of the surveys awaiting review in the actor's subtree (oldest first unless ``sort`` says
    otherwise), with their data-quality flags, and how many match in all. ``q`` searches name, CCCD,
    village and volunteer, accents or not (server.services.listing)."""
    page = max(1, int(page or 1))
    access.require(actor, "review", access.home(session, actor))
    within = access.unit_in_scope(session, actor, commune) if commune else None  # and its villages
    query = scoped_submissions(session, actor, within).where(Submission.review_status == "received")
    if form:
        query = query.where(Submission.form_id == form)
    query = query.where(listing.in_days(Submission.received_at, date_from, date_to),
                        listing.matching(Submission.search_text, q))
    if flag and flag not in FLAGS and flag not in signals.SIGNALS:
        raise DomainError("bad_flag")
    query = query.order_by(*listing.order(QUEUE_SORTS, sort, "oldest"))
    if flag:  # flags and signals are stored at ingest: the filter and the count are SQL
        query = query.where(sa.exists().where(SubmissionSignal.submission_id == Submission.id,
                                              SubmissionSignal.code == flag))
    forms: dict = {}
    total = listing.count(session, query)
    subs = session.scalars(query.offset((page - 1) * per_page).limit(per_page)).all()
    ids = [s.id for s in subs]  # what each row shows, read for the whole page at once (not 3 queries a row)
    stored: dict[int, set] = {i: set() for i in ids}
    for sub_id, code in session.execute(sa.select(SubmissionSignal.submission_id, SubmissionSignal.code)
                                        .where(SubmissionSignal.submission_id.in_(ids))):
        stored[sub_id].add(code)
    users = {u.id: u for u in session.scalars(sa.select(User).where(User.id.in_({s.user_id for s in subs} - {None})))}
    units = {u.id: u for u in session.scalars(sa.select(OrgUnit).where(OrgUnit.id.in_({s.org_unit_id for s in subs})))}
    units.update({u.id: u for u in session.scalars(sa.select(OrgUnit).where(
        OrgUnit.id.in_({u.parent_id for u in units.values() if u.level == "village"} - {None})))})
    return QueuePage([item_of(session, s, lang, forms, sorted(stored[s.id]), users, units) for s in subs], total, page,
                     per_page)


def waiting_forms(session: Session, actor: User, lang: str = "vi") -> list[tuple[str, str]]:
    """(form_id, title) of the forms that have surveys waiting in the actor's subtree."""
    q = scoped_submissions(session, actor).where(Submission.review_status == "received")
    ids = session.scalars(q.with_only_columns(Submission.form_id).distinct().order_by(None)).all()
    out = []
    for form_id in ids:
        sample = session.scalar(q.where(Submission.form_id == form_id).limit(1))
        out.append((form_id, form_title(session, sample, lang)))
    return sorted(out)


def own(session: Session, actor: User, lang: str = "vi", limit: int = 200) -> list[dict]:
    """The actor's own surveys, newest first, with the review outcome and comment."""
    rows = session.execute(sa.select(Submission, House.head_name).outerjoin(House, House.id == Submission.house_id)
                           .where(Submission.user_id == actor.id)
                           .order_by(Submission.received_at.desc(), Submission.id.desc()).limit(limit)).all()
    forms: dict = {}
    return [{"instance_id": s.instance_id, "received_at": vn_time(s.received_at),
             "household": household_name(s, facts.form_of(session, s, forms), house_name),
             "form": form_title(session, s, lang), "house_id": s.house_id,
             "review_status": s.review_status, "review_status_label": review_label(s.review_status, lang),
             "comment": s.review_comment} for s, house_name in rows]


_TITLES: dict = {}  # (form_id, version, lang) -> title; a published version never changes


def form_title(session: Session, sub: Submission, lang: str) -> str:
    key = (sub.form_id, sub.form_version, lang)
    if key not in _TITLES:
        f = session.scalar(sa.select(Form).where(Form.form_id == sub.form_id, Form.version == sub.form_version))
        title = (f.definition or {}).get("title") if f else None
        if isinstance(title, dict):
            title = title.get(lang) or title.get("vi")
        if f is None:
            return title or sub.form_id
        _TITLES[key] = title or sub.form_id
    return _TITLES[key]


def household_name(sub: Submission, form=None, house_name: str | None = None) -> str:
    """The household head's name as the survey's form declares it (`head_name` role), else the name of
    the house it follows up (a progress report names no head), else a dash — never an id."""
    name = facts.answer(form, "head_name", sub.answers) or house_name
    return str(name) if name else "—"


def _house_name(session: Session, house_id: int | None) -> str | None:
    return session.scalar(sa.select(House.head_name).where(House.id == house_id)) if house_id else None


def _place(session: Session, unit: OrgUnit | None, units: dict | None = None) -> tuple[str, OrgUnit | None]:
    """("Xã Tam Xuân I · Thôn 1", the commune) for a village; the unit itself otherwise."""
    if unit is None:
        return "", None
    if unit.level == "village" and unit.parent_id:
        parent = (units or {}).get(unit.parent_id) or session.get(OrgUnit, unit.parent_id)
        return f"{parent.name} · {unit.name}", parent
    return unit.name, unit


def item_of(session: Session, sub: Submission, lang: str, centroids: dict | None = None, stored: list | None = None,
          users: dict | None = None, units: dict | None = None) -> dict:
    """``centroids`` caches engine forms (by (form_id, version)). Flags and signals are the stored ones
    (``stored``: read for a whole page by the caller; else here); ``users`` and ``units`` the page's authors
    and places by id (the session's identity map keeps no object nobody holds)."""
    form = facts.form_of(session, sub, centroids)
    stored = signals.codes(session, sub.id) if stored is None else stored
    unit = (units or {}).get(sub.org_unit_id) or session.get(OrgUnit, sub.org_unit_id)
    place, commune = _place(session, unit, units)
    user_id = getattr(sub, "user_id", None)
    user = (users.get(user_id) if users is not None else session.get(User, user_id)) if user_id else None
    return {
        "instance_id": sub.instance_id, "received_at": vn_time(sub.received_at), "commune": place,
        "form": form_title(session, sub, lang),
        "household": household_name(sub, form, _house_name(session, sub.house_id)),
        "volunteer": (getattr(user, "full_name", None) or user.username) if user else "",
        "flags": [c for c in FLAGS if c in stored] + (["duplicate"] if sub.duplicate_state == "open" else []),
        "signals": [{"code": c, "text": signals.explain(c, lang)} for c in stored if c in signals.SIGNALS],
        "review_status": sub.review_status, "review_status_label": review_label(sub.review_status, lang),
        "comment": sub.review_comment, "house_id": sub.house_id,
    }
