"""Reading houses: history, lists and pages, scoped by the access gate.

The table of states is ``server.services.houses.lifecycle`` (pure); the writes that change a house are
``server.services.houses.writes``.
"""

from __future__ import annotations

import sqlalchemy as sa

from forms.text import Catalogue
from server.errors import DomainError
from server.models import House, HouseEvent, OrgUnit, Submission, User
from server.models.funding import HouseFunding
from server.services.accounts import access
from server.services.houses.funding import SUPPORT_SOURCES
from server.services.houses.lifecycle import status_label
from server.services.lists import listing
from server.services.reports.formatting import vn_time
from server.services.surveys.review import review_label
from server.services.surveys.review_queue import form_title

# ---- reading houses (pages and API) -------------------------------------------------------------------
EVENT_LABELS = Catalogue({
    "review_approve": {"vi": "Duyệt khảo sát", "en": "Survey approved"},
    "review_reject": {"vi": "Không duyệt khảo sát", "en": "Survey rejected"},
    "review_request_changes": {"vi": "Yêu cầu sửa khảo sát", "en": "Changes requested"},
    "status": {"vi": "Chuyển trạng thái", "en": "Status change"},
    "funding": {"vi": "Cập nhật kinh phí", "en": "Funding updated"},
    "assessed": {"vi": "Ghi nhận nhà từ khảo sát", "en": "House recorded from a survey"},
    "submission": {"vi": "Nhận khảo sát", "en": "Survey received"},
})
PAGE = 100
VILLAGE = "village"  # a house recorded in a village: its commune is the village's parent




def history(session, house_id: int, lang: str = "vi") -> list[dict]:
    """The audit trail of one house, oldest first: who, when, what, why."""


    q = (sa.select(HouseEvent, User, Submission).outerjoin(User, User.id == HouseEvent.actor_id)
         .outerjoin(Submission, Submission.id == HouseEvent.submission_id)
         .where(HouseEvent.house_id == house_id).order_by(HouseEvent.created_at, HouseEvent.id))
    out = []
    for ev, user, sub in session.execute(q):
        out.append({"when": vn_time(ev.created_at), "at": ev.created_at.isoformat() if ev.created_at else None,
                    "who": (getattr(user, "full_name", None) or user.username) if user else "",
                    "what": event_text(ev, lang), "why": _why(session, ev, sub, lang), "kind": ev.kind,
                    "from_status": ev.from_status, "to_status": ev.to_status,
                    "instance_id": sub.instance_id if sub is not None else None})
    return out


def event_text(ev, lang: str = "vi") -> str:
    """«Chuyển trạng thái: Đã duyệt → Đã khởi công»; a house's first state alone («…: Đã khảo sát»)."""
    what = EVENT_LABELS.text(ev.kind or "", lang)
    if ev.from_status is None:
        return f"{what}: {status_label(ev.to_status, lang)}" if ev.to_status else what
    if ev.from_status != ev.to_status:
        return f"{what}: {status_label(ev.from_status, lang)} → {status_label(ev.to_status, lang)}"
    return what


def _why(session, ev, sub, lang: str) -> str | None:
    """The event's reason; a survey's arrival names its form by title, not by its id."""
    if sub is not None and ev.reason == sub.form_id:
        return form_title(session, sub, lang)
    return ev.reason


def scoped_houses(session, actor, unit=None):
    """A select of the houses the actor may see (the rule lives in ``server.services.accounts.access``)."""

    return access.visible_houses(session, actor, unit)


def get_in_scope(session, actor, house_id, verb: str = "view"):
    """The house when the actor may ``verb`` it; DomainError("not_found") when it does not exist or the actor may
    not see it; DomainError("forbidden") when the actor sees it but the role may not ``verb`` it."""

    try:
        house = session.get(House, int(house_id))
    except (TypeError, ValueError, OverflowError):
        raise DomainError("not_found") from None
    if not access.can(actor, "view", house):
        raise DomainError("not_found")
    return access.require(actor, verb, house)


def label(house) -> str:
    return getattr(house, "head_name", None) or getattr(house, "label", None) or f"#{house.id}"


HOUSE_SORTS = {  # name -> ORDER BY
    "id": (House.id,),                                     # in the order they were recorded
    "name": (House.search_text, House.id),                 # the folded head's name comes first
    "newest": (House.created_at.desc(), House.id.desc()),
    "status": (House.status, House.id),
}


def list_houses(session, actor, unit=None, status: str | None = None, page: int = 1, lang: str = "vi", *,
                q: str | None = None, sort: str | None = None, date_from=None, date_to=None):
    """(items, total, more) for one page of houses in scope: ``q`` searches name, CCCD and village,
    accents or not; ``date_from``/``date_to`` the day the house was recorded; ``sort`` a name of HOUSE_SORTS.
    ``total`` is counted up to listing.COUNT_CAP + 1."""
    query = scoped_houses(session, actor, unit)
    if status:
        query = query.where(House.status == status)
    query = query.where(listing.matching(House.search_text, q), listing.in_days(House.created_at, date_from, date_to))
    ordering = listing.order(HOUSE_SORTS, sort, "id")
    total = listing.count(session, query)
    support = (sa.select(sa.func.coalesce(sa.func.sum(HouseFunding.planned), 0))
               .where(HouseFunding.house_id == House.id, HouseFunding.source.in_(SUPPORT_SOURCES)).scalar_subquery())
    parent = sa.orm.aliased(OrgUnit)
    is_village = OrgUnit.level == VILLAGE
    commune = sa.case((is_village, parent.name), else_=OrgUnit.name)
    village = sa.case((is_village, OrgUnit.name), else_=None)
    rows = session.execute(
        query.outerjoin(parent, parent.id == OrgUnit.parent_id)
        .add_columns(OrgUnit.code, commune, village, support.label("support")).order_by(*ordering)
        .offset((max(page, 1) - 1) * PAGE).limit(PAGE + 1)).all()
    items = [{"id": h.id, "label": label(h), "status": h.status, "status_label": status_label(h.status, lang),
              "unit_code": code, "unit_name": name, "village": village_name or "",
              "support": int(sup or 0), "id_number": h.id_number, "created_at": vn_time(h.created_at, "%d/%m/%Y"),
              "lat": getattr(h, "lat", None), "lon": getattr(h, "lon", None)}
             for h, code, name, village_name, sup in rows[:PAGE]]
    return items, total, len(rows) > PAGE


def surveys(session, house_id: int, lang: str = "vi") -> list[dict]:


    subs = session.scalars(sa.select(Submission).where(Submission.house_id == house_id)
                           .order_by(Submission.received_at, Submission.id)).all()
    return [{"instance_id": s.instance_id, "form": form_title(session, s, lang), "received_at": vn_time(s.received_at),
             "review_status": s.review_status, "review_status_label": review_label(s.review_status, lang),
             "comment": s.review_comment} for s in subs]
