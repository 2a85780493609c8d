"""The one answer to "which unit does this belong to on day D": houses, surveys and targets keep the unit
they were recorded in (``org_unit_id`` never moves when the tree changes) and are carried forward through
the successions a reorganisation records (``unit_successions``: old unit -> new unit, effective date).

``unit_lineage`` is derived from the successions (``rebuild``): for each unit that was ever retired, the
periods during which its things belong to another unit. A unit with no lineage row for a day is its own
unit that day. Chains are folded (A -> B on E1, B -> C on E2 gives A: [E1, E2) -> B, [E2, ∞) -> C), so a
query needs one LEFT JOIN, whatever the number of reorganisations:

    q, d = join_unit(sa.select(...).select_from(House), House.org_unit_id, day)   # d: the unit on ``day``

``day=None`` means today: a reorganisation is applied on or after its effective date
(``reorganise.apply`` refuses a future one), so today's units are the latest ones — the access gate
needs no clock.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from server.models import OrgUnit, UnitLineage, UnitSuccession


# ---- SQL: a column of unit ids -> the unit on ``day`` ---------------------------------------------------
def _lineage_on(lineage, unit_id_col, day: dt.date | None):
    if day is None:
        return sa.and_(lineage.unit_id == unit_id_col, lineage.valid_to.is_(None))
    return sa.and_(lineage.unit_id == unit_id_col, lineage.valid_from <= day,
                   sa.or_(lineage.valid_to.is_(None), lineage.valid_to > day))


def join_unit(q, unit_id_col, day: dt.date | None = None, unit_alias=None):
    """``q`` joined to the unit that ``unit_id_col`` belongs to on ``day`` (None: today); returns
    ``(q, alias)``. One LEFT JOIN on the small lineage table and one join on org_units."""
    lineage = aliased(UnitLineage)
    d = unit_alias if unit_alias is not None else aliased(OrgUnit)
    q = q.outerjoin(lineage, _lineage_on(lineage, unit_id_col, day))
    return q.join(d, d.id == sa.func.coalesce(lineage.current_id, unit_id_col)), d


def in_force(unit_col, day: dt.date | None):
    """SQL: the unit (an OrgUnit alias) is in force on ``day`` (None: today, i.e. not retired)."""
    if day is None:
        return unit_col.valid_to.is_(None)
    return sa.and_(sa.or_(unit_col.valid_from.is_(None), unit_col.valid_from <= day),
                   sa.or_(unit_col.valid_to.is_(None), unit_col.valid_to > day))


# ---- Python: one unit at a time --------------------------------------------------------------------------
_LINEAGE_READ = "unit_history.lineage_read"  # key in Session.info: {(unit id, day): current unit id or None}


def unit_at(session: Session, unit_id: int | None, day: dt.date | None = None) -> OrgUnit | None:
    """The unit that things recorded in ``unit_id`` belong to on ``day`` (None: today)."""
    if unit_id is None:
        return None
    known = session.info.setdefault(_LINEAGE_READ, {})  # this session's answers: `rebuild` forgets them
    if (unit_id, day) not in known:
        known[unit_id, day] = session.scalar(sa.select(UnitLineage.current_id)
                                             .where(_lineage_on(UnitLineage, unit_id, day)))
    current = known[unit_id, day]
    return session.get(OrgUnit, current if current is not None else unit_id)


def unit_of_house(session: Session, house, day: dt.date | None = None) -> OrgUnit | None:
    """The unit of a house on ``day`` (None: today): its recorded unit carried through the reorganisations."""
    return unit_at(session, house.org_unit_id, day)


def current_today(unit_id_col):
    """SQL (a correlated scalar): the unit today's things recorded in ``unit_id_col`` belong to, when that is
    another unit (NULL: the unit itself). Read beside a row and handed to ``remember``, it spares the access
    gate's own lineage query (``unit_at``)."""
    return sa.select(UnitLineage.current_id).where(_lineage_on(UnitLineage, unit_id_col, None)).scalar_subquery()


def remember(session: Session, unit_id: int, current_id: int | None) -> None:
    """What ``current_today`` read for ``unit_id``: ``unit_at(session, unit_id)`` then asks nothing more."""
    session.info.setdefault(_LINEAGE_READ, {})[unit_id, None] = current_id


def by_code(session: Session, code: str, day: dt.date | None = None) -> OrgUnit | None:
    """The unit with ``code`` in force on ``day`` (None: today); else the latest unit that had the code
    (an old phone's commune code still names the commune it was, which the lineage carries forward)."""
    rows = list(session.scalars(sa.select(OrgUnit).where(OrgUnit.code == str(code))))
    return _pick(rows, day)


def by_codes(session: Session, codes: list[str]) -> dict[str, OrgUnit]:
    """``by_code`` today for several codes in one query (what they are today remembered too); codes no unit
    ever had are left out."""
    wanted = sorted({str(c) for c in codes})
    rows: dict[str, list[OrgUnit]] = defaultdict(list)
    for unit, current in session.execute(sa.select(OrgUnit, current_today(OrgUnit.id))
                                         .where(OrgUnit.code.in_(wanted))):
        rows[unit.code].append(unit)
        remember(session, unit.id, current)
    return {code: _pick(units, None) for code, units in rows.items()}


def _pick(rows: list[OrgUnit], day: dt.date | None) -> OrgUnit | None:
    if not rows:
        return None
    now = [u for u in rows if (u.valid_to is None if day is None else u.in_force(day))]
    pool = now or rows
    return max(pool, key=lambda u: (u.valid_from or dt.date.min, u.id))


def children(session: Session, unit: OrgUnit, day: dt.date | None = None) -> list[OrgUnit]:
    """The children of ``unit`` in force on ``day``, by code."""
    return list(session.scalars(sa.select(OrgUnit).where(OrgUnit.parent_id == unit.id, in_force(OrgUnit, day))
                                .order_by(OrgUnit.code)))


def counterparts(session: Session, unit: OrgUnit, day: dt.date | None) -> list[OrgUnit]:
    """The unit(s) in force on ``day`` that stand for ``unit``: itself when in force; its successor when
    it has been retired since; when it did not exist yet, the highest units in force then whose things
    all went into ``unit``'s subtree (Tỉnh Quảng Nam for 2025's Thành phố Đà Nẵng)."""
    check = day or dt.date.max
    if unit.in_force(check) if day is not None else unit.valid_to is None:
        return [unit]
    if unit.valid_to is not None and check >= unit.valid_to:
        later = unit_at(session, unit.id, day)
        return [later] if later is not None and later.id != unit.id else []
    start = unit.valid_from
    olds = list(session.scalars(sa.select(OrgUnit).where(in_force(OrgUnit, day), OrgUnit.valid_to.is_not(None),
                                                         OrgUnit.valid_to <= start)))
    inside = {u.id for u in olds if _lands_in(session, u, unit, start)}
    return sorted((u for u in olds if u.id in inside and u.parent_id not in inside), key=lambda u: u.code)


def _lands_in(session: Session, old: OrgUnit, unit: OrgUnit, day: dt.date) -> bool:
    later = unit_at(session, old.id, day)
    return later is not None and unit.contains(later)


# ---- the derived table -----------------------------------------------------------------------------------
def rebuild(session: Session) -> int:
    """Recompute ``unit_lineage`` from every succession (a split: its primary successor). Returns rows."""
    nxt: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    for s in session.scalars(sa.select(UnitSuccession).where(UnitSuccession.primary.is_(True))
                             .order_by(UnitSuccession.effective, UnitSuccession.id)):
        nxt[s.from_unit_id].append((s.effective, s.to_unit_id))
    session.execute(sa.delete(UnitLineage))
    session.info.pop(_LINEAGE_READ, None)
    rows = []
    for unit_id in nxt:
        day, current, seen = dt.date.min, unit_id, {unit_id}
        periods = []
        while True:
            later = [(e, to) for e, to in nxt.get(current, []) if e > day]
            if not later:
                break
            e, to = min(later)
            if periods:
                periods[-1][1] = e
            if to in seen:
                break  # a cycle in the data: stop rather than loop
            periods.append([e, None, to])
            seen.add(to)
            day, current = e, to
        rows += [{"unit_id": unit_id, "valid_from": a, "valid_to": b, "current_id": c} for a, b, c in periods]
    if rows:
        session.execute(sa.insert(UnitLineage), rows)
    return len(rows)
