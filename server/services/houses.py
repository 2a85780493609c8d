"""The life of a house: a transition table, and the only function that changes House.status.

Main path: assessed -> approved -> started -> completed -> handed_over; side states rejected and
withdrawn. A programme may add the steps named in the domain brief (commune_reviewed after assessed,
funded after approved, stage_checked after started) through configuration (``HOUSE_EXTRA_STEPS``),
not code. Every transition writes an append-only HouseEvent in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from forms.text import Catalogue
from server.errors import DomainError
from server.services.formatting import stored_time, vn_time

MAIN_STEPS = ("assessed", "approved", "started", "completed", "handed_over")
SIDE_STATES = ("rejected", "withdrawn")
# optional step -> the step it follows
EXTRA_STEPS = {"commune_reviewed": "assessed", "funded": "approved", "stage_checked": "started"}

STATUS_LABELS = Catalogue({
    "assessed": {"vi": "Đã khảo sát", "en": "Assessed"},
    "commune_reviewed": {"vi": "Xã đã bình xét", "en": "Commune reviewed"},
    "approved": {"vi": "Đã duyệt", "en": "Approved"},
    "funded": {"vi": "Đã bố trí kinh phí", "en": "Funded"},
    "started": {"vi": "Đã khởi công", "en": "Started"},
    "stage_checked": {"vi": "Đã nghiệm thu giai đoạn", "en": "Stage checked"},
    "completed": {"vi": "Hoàn thành", "en": "Completed"},
    "handed_over": {"vi": "Đã bàn giao", "en": "Handed over"},
    "rejected": {"vi": "Không đủ điều kiện", "en": "Rejected"},
    "withdrawn": {"vi": "Đã rút", "en": "Withdrawn"},
})


def status_label(status: str, lang: str = "vi") -> str:
    return STATUS_LABELS.text(status, lang)


def illegal_transition(current: str, target: str, allowed: Iterable[str]) -> DomainError:
    """A jump the table does not allow (e.g. assessed -> completed): 409 naming the allowed next steps."""
    nxt = sorted(allowed)
    return DomainError("illegal_transition", params={
        "current": _labels(current), "target": _labels(target),
        "allowed": {lg: ", ".join(status_label(s, lg) for s in nxt) or "—" for lg in ("vi", "en")}})


SOMEONE = {"vi": "người khác", "en": "someone else"}  # who, when the record does not say


def _labels(status: str | None) -> dict:
    return {lg: status_label(status or "", lg) for lg in ("vi", "en")}


@dataclass(frozen=True)
class Lifecycle:
    steps: tuple[str, ...] = MAIN_STEPS
    side: tuple[str, ...] = SIDE_STATES

    @property
    def statuses(self) -> tuple[str, ...]:
        return self.steps + self.side

    def rank(self, status: str) -> int:
        """Position on the main path; side states rank -1."""
        return self.steps.index(status) if status in self.steps else -1

    def allowed(self, current: str) -> set[str]:
        if current == "rejected":
            return {self.steps[0], "withdrawn"}  # a corrected re-survey re-opens the case
        if current == "withdrawn" or current not in self.steps:
            return set()
        i = self.steps.index(current)
        nxt = {self.steps[i + 1]} if i + 1 < len(self.steps) else set()
        if i + 1 < len(self.steps):
            nxt |= {"withdrawn"}
            if i < self.rank("started"):  # not eligible: only before construction starts
                nxt.add("rejected")
        return nxt

    def check(self, current: str, target: str) -> None:
        if target not in self.allowed(current):
            raise illegal_transition(current, target, self.allowed(current))

    def path(self, current: str, target: str) -> list[str]:
        """The legal steps from current up to target along the main path (for approve-by-survey)."""
        if current == target:
            return []
        if current == "rejected" and target in self.steps:
            return [self.steps[0]] + self.path(self.steps[0], target)
        if current in self.steps and target in self.steps and self.rank(target) > self.rank(current):
            return list(self.steps[self.rank(current) + 1 : self.rank(target) + 1])
        raise illegal_transition(current, target, self.allowed(current))

    def reached(self, stage: str) -> tuple[str, ...]:
        """Statuses that count as having reached ``stage`` (cumulative counting)."""
        return self.steps[self.rank(stage):]


def lifecycle(extra_steps: Iterable[str] = ()) -> Lifecycle:
    """The table for a programme: the main path plus any configured extra steps, in their place."""
    extra = list(extra_steps or ())
    for name in extra:
        if name not in EXTRA_STEPS:
            raise ValueError(f"unknown extra step {name!r}; known: {sorted(EXTRA_STEPS)}")
    steps: list[str] = []
    for step in MAIN_STEPS:
        steps.append(step)
        steps.extend(e for e, after in EXTRA_STEPS.items() if after == step and e in extra)
    return Lifecycle(steps=tuple(steps))


DEFAULT = lifecycle()


# ---- the database side: the only code that changes House.status --------------------------------------
# Every write is conditional on the status its author saw (UPDATE ... WHERE status = expected, rowcount
# checked): of two people moving one house at the same moment exactly one wins; the other is told who
# moved it where (house_changed, 409), on PostgreSQL and SQLite alike.
def house_changed(expected: str, actual: str | None, who: str | None = None, when: str | None = None) -> DomainError:
    """The house is no longer at the stage the change was based on (someone else moved it meanwhile)."""
    return DomainError("house_changed", params={"expected": _labels(expected), "actual": _labels(actual),
                                                "who": who or SOMEONE, "when": when or "…"})


def _event(session, house, *, kind, from_status, to_status, actor_id, reason, submission_id, at=None):
    from server.models import HouseEvent

    ev = HouseEvent(house_id=house.id, kind=kind, from_status=from_status, to_status=to_status,
                    actor_id=actor_id, reason=reason, submission_id=submission_id,
                    **({"created_at": stored_time(at)} if at is not None else {}))
    session.add(ev)
    return ev


def lock(session, house) -> str | None:
    """Take the house's row for the rest of the transaction (other writers of this house wait for our
    commit) and return its status as committed now; ``house.status`` is refreshed to it."""
    import sqlalchemy as sa
    from sqlalchemy.orm.attributes import set_committed_value

    from server.models import House

    t = House.__table__
    status = session.execute(sa.update(t).where(t.c.id == house.id).values(status=t.c.status)
                             .returning(t.c.status)).scalar_one_or_none()
    if status is not None:
        set_committed_value(house, "status", status)
    return status


def changed(session, house, expected: str) -> DomainError:
    """What the house is now and who moved it last, for the one whose conditional write lost."""
    import sqlalchemy as sa
    from sqlalchemy.orm.attributes import set_committed_value

    from server.models import House, HouseEvent, User

    actual = session.execute(sa.select(House.__table__.c.status).where(House.__table__.c.id == house.id)).scalar()
    last = session.execute(
        sa.select(HouseEvent.created_at, User.full_name, User.username).outerjoin(User, User.id == HouseEvent.actor_id)
        .where(HouseEvent.house_id == house.id, HouseEvent.to_status == actual,
               sa.or_(HouseEvent.from_status.is_(None), HouseEvent.from_status != HouseEvent.to_status))
        .order_by(HouseEvent.id.desc()).limit(1)).first()
    if actual is not None:
        set_committed_value(house, "status", actual)
    who = (last.full_name or last.username) if last is not None and last.username else None
    return house_changed(expected, actual, who, vn_time(last.created_at) if last is not None else None)


def transition(session, house, to_status: str, *, actor_id: int | None, reason: str | None = None,
               submission_id: int | None = None, kind: str = "status", lc: Lifecycle = DEFAULT,
               expected: str | None = None, at=None):
    """Move ``house`` one legal step from ``expected`` (default: the status read in this transaction)
    and write its event, in the caller's transaction; DomainError("house_changed") when the house is no longer there."""
    import sqlalchemy as sa
    from sqlalchemy.orm.attributes import set_committed_value

    from server.models import House
    from server.models.base import utcnow

    current = house.status if expected is None else expected
    lc.check(current, to_status)
    t = House.__table__
    done = session.execute(sa.update(t).where(t.c.id == house.id, t.c.status == current)
                           .values(status=to_status, updated_at=utcnow()))
    if done.rowcount != 1:
        raise changed(session, house, current)
    set_committed_value(house, "status", to_status)
    ev = _event(session, house, kind=kind, from_status=current, to_status=to_status, actor_id=actor_id,
                reason=reason, submission_id=submission_id, at=at)
    session.flush()
    return ev


def record(session, house, *, actor_id: int | None, kind: str, reason: str | None = None,
           submission_id: int | None = None, at=None):
    """An event that does not change the status (e.g. changes requested), for the audit trail."""
    ev = _event(session, house, kind=kind, from_status=house.status, to_status=house.status, actor_id=actor_id,
                reason=reason, submission_id=submission_id, at=at)
    session.flush()
    return ev


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
    import sqlalchemy as sa

    from server.models import HouseEvent, User

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
    """A select of the houses the actor may see (the rule lives in ``server.services.access``)."""
    from server.services import access

    return access.visible_houses(session, actor, unit)


def get_in_scope(session, actor, house_id, verb: str = "view"):
    """The house when the actor may ``verb`` it; DomainError("not_found") when it does not exist or the actor may
    not see it; DomainError("forbidden") when the actor sees it but the role may not ``verb`` it."""
    from server.models import House
    from server.services import access

    try:
        house = session.get(House, int(house_id))
    except (TypeError, ValueError, OverflowError):
        raise DomainError("not_found") from None
    if not access.can(actor, "view", house):
        raise DomainError("not_found")
    return access.require(actor, verb, house)


def label(house) -> str:
    return getattr(house, "head_name", None) or getattr(house, "label", None) or f"#{house.id}"


def list_houses(session, actor, unit=None, status: str | None = None, page: int = 1, lang: str = "vi"):
    """(items, total, more) for one page of houses in scope."""
    import sqlalchemy as sa

    from server.models import House, OrgUnit
    from server.models.funding import HouseFunding

    q = scoped_houses(session, actor, unit)
    if status:
        q = q.where(House.status == status)
    total = session.scalar(sa.select(sa.func.count()).select_from(q.subquery()))
    from server.services.funding import SUPPORT_SOURCES

    support = (sa.select(sa.func.coalesce(sa.func.sum(HouseFunding.planned), 0))
               .where(HouseFunding.house_id == House.id, HouseFunding.source.in_(SUPPORT_SOURCES)).scalar_subquery())
    rows = session.execute(
        q.add_columns(OrgUnit.code, OrgUnit.name, support.label("support")).order_by(House.id)
        .offset((max(page, 1) - 1) * PAGE).limit(PAGE + 1)).all()
    items = [{"id": h.id, "label": label(h), "status": h.status, "status_label": status_label(h.status, lang),
              "unit_code": code, "unit_name": name, "support": int(sup or 0),
              "lat": getattr(h, "lat", None), "lon": getattr(h, "lon", None)} for h, code, name, sup in rows[:PAGE]]
    return items, total, len(rows) > PAGE


def surveys(session, house_id: int, lang: str = "vi") -> list[dict]:
    import sqlalchemy as sa

    from server.models import Submission
    from server.services.review import form_title, review_label

    subs = session.scalars(sa.select(Submission).where(Submission.house_id == house_id)
                           .order_by(Submission.received_at, Submission.id)).all()
    return [{"instance_id": s.instance_id, "form": form_title(session, s, lang), "received_at": vn_time(s.received_at),
             "review_status": s.review_status, "review_status_label": review_label(s.review_status, lang),
             "comment": s.review_comment} for s in subs]
