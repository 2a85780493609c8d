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
from server.services.surveys.review import form_title, review_label

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




def history(session, house_id: int, lang: str = "vi") -> list[dict]:
    """The audit trail of one house, oldest first: who, when, what, why."""


    q = (sa.select(HouseEvent, User).outerjoin(User, User.id == HouseEvent.actor_id)
         .where(HouseEvent.house_id == house_id).order_by(HouseEvent.created_at, HouseEvent.id))
    out = []
    for ev, user in session.execute(q):
        what = EVENT_LABELS.text(ev.kind or "", lang)
        if ev.from_status != ev.to_status:
            what = f"{what}: {status_label(ev.from_status, lang) if ev.from_status else '∅'} → {status_label(ev.to_status, lang)}"
        out.append({"when": vn_time(ev.created_at), "at": ev.created_at.isoformat() if ev.created_at else None,
                    "who": (getattr(user, "full_name", None) or user.username) if user else "",
                    "what": what, "why": ev.reason, "kind": ev.kind, "from_status": ev.from_status,
                    "to_status": ev.to_status})
    return out


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
    rows = session.execute(
        query.add_columns(OrgUnit.code, OrgUnit.name, support.label("support")).order_by(*ordering)
        .offset((max(page, 1) - 1) * PAGE).limit(PAGE + 1)).all()
    items = [{"id": h.id, "label": label(h), "status": h.status, "status_label": status_label(h.status, lang),
              "unit_code": code, "unit_name": name, "support": int(sup or 0), "id_number": h.id_number,
              "created_at": vn_time(h.created_at, "%d/%m/%Y"),
              "lat": getattr(h, "lat", None), "lon": getattr(h, "lon", None)} for h, code, name, sup in rows[:PAGE]]
    return items, total, len(rows) > PAGE


def surveys(session, house_id: int, lang: str = "vi") -> list[dict]:


    subs = session.scalars(sa.select(Submission).where(Submission.house_id == house_id)
                           .order_by(Submission.received_at, Submission.id)).all()
    return [{"instance_id": s.instance_id, "form": form_title(session, s, lang), "received_at": vn_time(s.received_at),
             "review_status": s.review_status, "review_status_label": review_label(s.review_status, lang),
             "comment": s.review_comment} for s in subs]
