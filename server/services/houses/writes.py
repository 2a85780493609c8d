"""Writing a house's life: the only functions that change House.status, each a conditional write.

Every transition checks the table (``server.services.houses.lifecycle``) and writes an append-only HouseEvent in
the caller's transaction. Every write is conditional on the status its author saw (UPDATE ... WHERE
status = expected, rowcount checked): of two people moving one house at the same moment exactly one wins;
the other is told who moved it where (house_changed, 409), on PostgreSQL and SQLite alike. Funding and
review call these; reading houses (lists, history, pages) is ``server.services.houses.reading``.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from server.errors import DomainError
from server.models import House, HouseEvent, User
from server.models.base import utcnow
from server.services.houses.lifecycle import DEFAULT, Lifecycle, labels
from server.services.reports.formatting import stored_time, vn_time

SOMEONE = {"vi": "người khác", "en": "someone else"}  # who, when the record does not say


def house_changed(expected: str, actual: str | None, who: str | None = None, when: str | None = None) -> DomainError:
    """The house is no longer at the stage the change was based on (someone else moved it meanwhile)."""
    return DomainError("house_changed", params={"expected": labels(expected), "actual": labels(actual),
                                                "who": who or SOMEONE, "when": when or "…"})


def _event(session, house, *, kind, from_status, to_status, actor_id, reason, submission_id, at=None):

    ev = HouseEvent(house_id=house.id, kind=kind, from_status=from_status, to_status=to_status,
                    actor_id=actor_id, reason=reason, submission_id=submission_id,
                    **({"created_at": stored_time(at)} if at is not None else {}))
    session.add(ev)
    return ev


def lock(session, house) -> str | None:
    """Take the house's row for the rest of the transaction (other writers of this house wait for our
    commit) and return its status as committed now; ``house.status`` is refreshed to it."""


    t = House.__table__
    status = session.execute(sa.update(t).where(t.c.id == house.id).values(status=t.c.status)
                             .returning(t.c.status)).scalar_one_or_none()
    if status is not None:
        set_committed_value(house, "status", status)
    return status


def changed(session, house, expected: str) -> DomainError:
    """What the house is now and who moved it last, for the one whose conditional write lost."""


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
