"""Versioned targets: set a new revision (never overwrite), read the one in force, read the history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from server.errors import DomainError
from server.models import OrgUnit
from server.models.targets import Target
from server.params import parse_day
from server.services.programme import unit_history


def _count(value, name: str, required: bool) -> int | None:
    if value in (None, ""):
        if required:
            raise DomainError("required", params={"field": name}, field=name)
        return None
    try:
        n = int(str(value).replace(".", "").replace(",", "").strip())
    except ValueError:
        raise DomainError("not_a_number", params={"field": name}, field=name) from None
    if n < 0 or n > 10_000_000:
        raise DomainError("out_of_range", params={"field": name}, field=name)
    return n


def _date(value) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        day = parse_day(value)
        if day is None:
            raise ValueError("empty")
        return day
    except ValueError:
        raise DomainError("bad_effective_date", field="effective_from") from None


def set_target(session: Session, unit_id: int, *, houses, effective_from, actor_id: int | None = None,
               new_builds=None, repairs=None, period: str = "", reason: str | None = None) -> Target:
    """Add a revision; the caller commits. Refuses split counts that exceed the total."""
    n = _count(houses, "houses", True)
    nb, rp = _count(new_builds, "new_builds", False), _count(repairs, "repairs", False)
    if nb is not None and rp is not None and nb + rp != n:
        raise DomainError("split_mismatch", params={"new_builds": nb, "repairs": rp, "houses": n}, field="houses")
    row = Target(org_unit_id=unit_id, houses=n, new_builds=nb, repairs=rp, effective_from=_date(effective_from),
                 period=(period or "").strip()[:40], reason=(reason or "").strip() or None, created_by_id=actor_id)
    session.add(row)
    session.flush()
    return row


def in_force(session: Session, unit_ids: Iterable[int], as_of: dt.date) -> dict[int, Target]:
    """The target in force on ``as_of`` for each unit that has one (one query)."""
    ids = list(unit_ids)
    if not ids:
        return {}
    ranked = (
        sa.select(Target.id, sa.func.row_number().over(
            partition_by=Target.org_unit_id, order_by=(Target.effective_from.desc(), Target.id.desc())).label("rn"))
        .where(Target.org_unit_id.in_(ids), Target.effective_from <= as_of)
    ).subquery()
    rows = session.scalars(sa.select(Target).join(ranked, ranked.c.id == Target.id).where(ranked.c.rn == 1))
    return {t.org_unit_id: t for t in rows}


def history(session: Session, unit_ids: Iterable[int]) -> dict[int, list[Target]]:
    out: dict[int, list[Target]] = {}
    q = sa.select(Target).where(Target.org_unit_id.in_(list(unit_ids))).order_by(Target.effective_from, Target.id)
    for t in session.scalars(q):
        out.setdefault(t.org_unit_id, []).append(t)
    return out


DEMO_PLAN = 15_735  # Quảng Nam 2023-2025 (QĐ 2289/QĐ-UBND, 25/10/2023): 8,675 new builds + 7,060 repairs
DEMO_NEW, DEMO_REPAIR = 8_675, 7_060
DEMO_DATE = dt.date(2023, 10, 26)


def seed_demo(session: Session, province_code: str = "49") -> None:
    """Demo targets: 15,735 for the province, split over its districts by their number of communes, and
    each district's share split evenly over its communes (so every level has a target to rank by)."""

    province = unit_history.by_code(session, province_code)
    if province is None or session.scalar(sa.select(sa.func.count(Target.id))):
        return
    seed_demo_unit(session, province.id, depth=2)


def seed_demo_unit(session: Session, unit_id: int, *, depth: int, effective_from: dt.date = DEMO_DATE,
                   reason: str = "NQ 13/2023/NQ-HĐND, QĐ 2289/QĐ-UBND") -> None:
    """The demo plan on one unit, split over ``depth`` levels below it (the demo's city after 1/7/2025: 1)."""
    set_target(session, unit_id, houses=DEMO_PLAN, new_builds=DEMO_NEW, repairs=DEMO_REPAIR,
               effective_from=effective_from, period="2023-2025", reason=reason)
    _split(session, unit_id, DEMO_PLAN, depth, effective_from)


def _split(session: Session, parent_id: int, total: int, depth: int, effective_from: dt.date = DEMO_DATE) -> None:


    if depth == 0:
        return
    child = aliased(OrgUnit)
    sizes = session.execute(
        sa.select(OrgUnit.id, sa.func.count(child.id)).outerjoin(child, child.parent_id == OrgUnit.id)
        .where(OrgUnit.parent_id == parent_id).group_by(OrgUnit.id).order_by(OrgUnit.id)).all()
    if depth == 1:  # the last level: an even split
        sizes = [(uid, 1) for uid, _ in sizes]
    weight = sum(max(n, 1) for _, n in sizes)
    left = total
    for i, (uid, n) in enumerate(sizes):
        share = left if i == len(sizes) - 1 else total * max(n, 1) // weight
        left -= share
        set_target(session, uid, houses=share, effective_from=effective_from, period="2023-2025",
                   reason="Phân bổ theo số đơn vị (dữ liệu mẫu)")
        _split(session, uid, share, depth - 1, effective_from)
