"""Roll-up of houses by stage per org unit, against the target in force.

Set-based SQL over the materialised path: the subtree is selected by a constant path prefix (which
the path index serves) and rows are grouped by the child's path prefix. No Python loop over houses.
By the structure in force on a day (``as_of``): each house is joined to the unit it belongs to that day
(``unit_history.join_unit``: its recorded unit carried through the reorganisations), and the rows are
the children in force that day.
Counting is cumulative: a completed house also counts as assessed, approved and started.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from forms import clock
from server.models import House, HouseEvent, OrgUnit
from server.models.funding import HouseFunding, HouseFundingEvent
from server.services.accounts.access import in_subtree
from server.services.houses.funding import SOURCES, SUPPORT_SOURCES
from server.services.houses.lifecycle import DEFAULT, Lifecycle
from server.services.programme import targets as targets_service
from server.services.programme import unit_history
from server.services.reports.formatting import stored_time

STAGES = ("assessed", "approved", "started", "completed", "handed_over")
COUNTS = STAGES + ("rejected", "withdrawn")
MONEY = ("support_committed", "support_disbursed", "workdays")


@dataclass
class Row:
    id: int
    code: str
    name: str
    level: str
    has_children: bool = False
    target: int | None = None
    counts: dict = field(default_factory=dict)

    def __getattr__(self, key):
        if key in COUNTS or key in MONEY or key == "completed_in_period":
            return self.counts.get(key, 0)
        raise AttributeError(key)

    @property
    def pct(self):
        return round(100.0 * self.completed / self.target, 2) if self.target else None

    @property
    def overspent(self) -> bool:
        """More support disbursed than committed: a figure a province cannot sign without a word."""
        return self.support_disbursed > self.support_committed

    def as_dict(self) -> dict:
        d = {"code": self.code, "name": self.name, "level": self.level, "target": self.target,
             "pct_completed": self.pct}
        d.update({k: self.counts.get(k, 0) for k in COUNTS + MONEY})
        if "completed_in_period" in self.counts:
            d["completed_in_period"] = self.counts["completed_in_period"]
        return d


@dataclass
class Progress:
    unit: Row
    rows: list[Row]
    totals: Row
    as_of: dt.date

    def as_dict(self) -> dict:
        return {"org_unit": {"code": self.unit.code, "name": self.unit.name, "level": self.unit.level},
                "as_of": self.as_of.isoformat(), "totals": self.totals.as_dict(),
                "rows": [r.as_dict() for r in self.rows]}


def _stage_sums(lc: Lifecycle, status_col):
    cols = []
    for stage in STAGES:
        reached = [s for s in lc.reached(stage)]
        cols.append(sa.func.sum(sa.case((status_col.in_(reached), 1), else_=0)).label(stage))
    for side in ("rejected", "withdrawn"):
        cols.append(sa.func.sum(sa.case((status_col == side, 1), else_=0)).label(side))
    return cols


def subtree_prefix(unit: OrgUnit) -> str:
    return unit.path


def _child_prefix(session: Session, unit: OrgUnit, path_col):
    """The path of the child of ``unit`` that contains ``path_col`` (``unit.path`` itself for its own rows)."""
    n = len(unit.path)
    rest = sa.func.substr(path_col, n + 1)
    find = sa.func.strpos if session.get_bind().dialect.name == "postgresql" else sa.func.instr
    return sa.func.substr(path_col, 1, n + find(rest, "/"))


def _status_then(session, unit: OrgUnit, at: dt.datetime, key_of, day: dt.date):
    """Each house's status at the instant ``at`` (its last event before then) with its child path (by the
    structure of ``day``); houses with no event before then are not there."""
    d = aliased(OrgUnit)
    latest = sa.func.row_number().over(partition_by=HouseEvent.house_id,
                                       order_by=(HouseEvent.created_at.desc(), HouseEvent.id.desc()))
    q, d = unit_history.join_unit(sa.select(HouseEvent.house_id).select_from(HouseEvent)
                                  .join(House, House.id == HouseEvent.house_id), House.org_unit_id, day, d)
    q = (q.add_columns(key_of(d.path).label("child"), HouseEvent.to_status.label("status"), latest.label("n"))
         .where(in_subtree(d.path, subtree_prefix(unit)), HouseEvent.created_at < at).subquery())
    return sa.select(q.c.house_id, q.c.child, q.c.status).where(q.c.n == 1).subquery()


def _money_sums(planned, disbursed, workdays, source):
    support = source.in_(SUPPORT_SOURCES)  # the household's own money and loans are not support
    return (sa.func.sum(sa.case((support, planned), else_=0)).label("support_committed"),
            sa.func.sum(sa.case((support, disbursed), else_=0)).label("support_disbursed"),
            sa.func.sum(workdays).label("workdays"))


def _grouped(session: Session, unit: OrgUnit, lc: Lifecycle, period, at: dt.datetime | None, day: dt.date
             ) -> dict[str, dict]:
    """Per child path: counts by stage, money, completions in period. One pass over each table.

    With ``at`` (an instant) the figures are those of that moment, rebuilt from the append-only
    histories: each house's status is its last event before then, each (house, source)'s money its
    last funding event before then. Without it, the current rows."""
    d = aliased(OrgUnit)
    in_tree = in_subtree(d.path, subtree_prefix(unit))

    def key_of(path_col):
        return _child_prefix(session, unit, path_col)

    key = key_of(d.path).label("child")
    out: dict[str, dict] = {}

    def merge(q):
        for row in session.execute(q):
            m = row._mapping
            out.setdefault(m["child"], {}).update({k: int(v or 0) for k, v in m.items() if k != "child"})

    live = ("rejected", "withdrawn")
    def houses(q):
        return unit_history.join_unit(q, House.org_unit_id, day, d)[0]

    if at is None:
        merge(houses(sa.select(key, *_stage_sums(lc, House.status)).select_from(House)).where(in_tree).group_by(key))
        merge(houses(sa.select(key, *_money_sums(HouseFunding.planned, HouseFunding.disbursed, HouseFunding.workdays,
                                                 HouseFunding.source))
                     .select_from(HouseFunding).join(House, House.id == HouseFunding.house_id))
              .where(in_tree, House.status.not_in(live)).group_by(key))
    else:
        then = _status_then(session, unit, at, key_of, day)
        merge(sa.select(then.c.child, *_stage_sums(lc, then.c.status)).group_by(then.c.child))
        f = HouseFundingEvent
        latest = sa.func.row_number().over(partition_by=(f.house_id, f.source),
                                           order_by=(f.created_at.desc(), f.id.desc()))
        money = (sa.select(f.house_id, f.source, f.planned, f.disbursed, f.workdays, latest.label("n"))
                 .where(f.created_at < at).subquery())
        merge(sa.select(then.c.child, *_money_sums(money.c.planned, money.c.disbursed, money.c.workdays,
                                                   money.c.source))
              .select_from(money).join(then, then.c.house_id == money.c.house_id)
              .where(money.c.n == 1, then.c.status.not_in(live)).group_by(then.c.child))
    if period:
        end = period[1] if at is None else min(period[1], at)
        merge(houses(sa.select(key, sa.func.count(sa.distinct(HouseEvent.house_id)).label("completed_in_period"))
                     .select_from(HouseEvent).join(House, House.id == HouseEvent.house_id))
              .where(in_tree, HouseEvent.to_status == "completed", HouseEvent.created_at >= period[0],
                     HouseEvent.created_at < end).group_by(key))
    return out


def rollup(session: Session, unit: OrgUnit, *, as_of: dt.date | None = None, lc: Lifecycle = DEFAULT,
           period: tuple[dt.datetime, dt.datetime] | None = None, at: dt.datetime | None = None,
           today: dt.date | None = None) -> Progress:
    """Totals for ``unit`` and one row per child unit: today's figures, or with ``at`` (an instant)
    those of that moment rebuilt from the append-only histories (see ``_grouped``).

    ``as_of`` is the day whose tree the figures follow (the units in force then, each house in the unit
    it belonged to then), the day the target in force is read for and the day the figures are dated: by
    default the day of ``at`` in Vietnam, else ``today`` (default: today in Vietnam, forms/clock). A unit
    not in force that day stands for its counterparts then (``unit_history.counterparts``): a retired
    unit its successor, 2025's city the 2024 province(s) it was made of.

    Set-based: each query joins the subtree's houses to their unit once and groups by the child's path
    prefix (``substr(path, 1, len(parent) + strpos(rest, '/'))``), so the database does one pass and
    returns one row per child; the totals add those few rows (plus houses placed on the unit itself).
    """
    if as_of is None:
        as_of = clock.day_of(at - dt.timedelta(microseconds=1)) if at is not None else (today or clock.today())
    if at is not None:
        at = stored_time(at)  # in UTC: SQLite compares the stored UTC text
    if period:
        period = (stored_time(period[0]), stored_time(period[1]))
    roots = unit_history.counterparts(session, unit, as_of)
    if len(roots) == 1:
        return _rollup_one(session, roots[0], as_of, lc, period, at)
    parts = [_rollup_one(session, r, as_of, lc, period, at).totals for r in roots]  # several, or none
    keys = COUNTS + MONEY + (("completed_in_period",) if period else ())
    total = {k: sum(p.counts.get(k, 0) for p in parts) for k in keys}
    targets = [p.target for p in parts if p.target is not None]
    top = Row(unit.id, unit.code, unit.name, unit.level, bool(parts), sum(targets) if targets else None, total)
    return Progress(unit=top, rows=parts, totals=top, as_of=as_of)


def _rollup_one(session: Session, unit: OrgUnit, as_of: dt.date, lc: Lifecycle, period, at) -> Progress:
    groups = _grouped(session, unit, lc, period, at, as_of)
    grandchild = aliased(OrgUnit)
    has_kids = sa.exists().where(grandchild.parent_id == OrgUnit.id, unit_history.in_force(grandchild, as_of))
    children = session.execute(
        sa.select(OrgUnit.id, OrgUnit.code, OrgUnit.name, OrgUnit.level, OrgUnit.path, has_kids.label("has_children"))
        .where(OrgUnit.parent_id == unit.id, unit_history.in_force(OrgUnit, as_of)).order_by(OrgUnit.code)).all()
    targets = targets_service.in_force(session, [unit.id] + [ch.id for ch in children], as_of)

    keys = COUNTS + MONEY + (("completed_in_period",) if period else ())
    rows = []
    for ch in children:
        m = groups.get(ch.path, {})
        rows.append(Row(ch.id, ch.code, ch.name, ch.level, bool(ch.has_children),
                        _houses(targets.get(ch.id)), {k: m.get(k, 0) for k in keys}))
    total = {k: sum(g.get(k, 0) for g in groups.values()) for k in keys}
    own = _houses(targets.get(unit.id))
    child_sum = sum(r.target for r in rows if r.target is not None) if any(r.target is not None for r in rows) else None
    top = Row(unit.id, unit.code, unit.name, unit.level, bool(children), own if own is not None else child_sum, total)
    return Progress(unit=top, rows=rows, totals=top, as_of=as_of)


def _houses(target):
    return None if target is None else target.houses


def completions_by_month(session: Session, unit: OrgUnit, limit: int = 24, day: dt.date | None = None
                         ) -> list[tuple[str, int]]:
    """Houses reaching "completed", counted by the month of the event (YYYY-MM), in ``unit``'s subtree by
    the tree of ``day`` (None: today's)."""
    d = aliased(OrgUnit)
    if session.get_bind().dialect.name == "postgresql":
        month = sa.func.to_char(HouseEvent.created_at, "YYYY-MM")
    else:
        month = sa.func.strftime("%Y-%m", HouseEvent.created_at)
    q, d = unit_history.join_unit(sa.select(month.label("m"), sa.func.count(sa.distinct(HouseEvent.house_id)))
                                  .join(House, House.id == HouseEvent.house_id), House.org_unit_id, day, d)
    q = (q.where(in_subtree(d.path, subtree_prefix(unit)), HouseEvent.to_status == "completed")
         .group_by(month).order_by(month.desc()).limit(limit))
    return sorted((m, n) for m, n in session.execute(q))


def ranking(progress: Progress) -> list[Row]:
    """Child units by completion rate (emulation movement), units without a target last; ties by houses
    completed, then in the administrative order of their codes (a plain name sort puts every «Đ»
    after «T»)."""
    return sorted(progress.rows, key=lambda r: (r.pct is None, -(r.pct or 0), -r.completed, r.code))


def money_by_source(session: Session, unit: OrgUnit, day: dt.date | None = None) -> list[tuple[str, int, int]]:
    """(source, committed, disbursed) over the unit's subtree (by the tree of ``day``; None: today's), every
    source with money, in SOURCES order; rejected and withdrawn houses left out as in the roll-up."""
    q = (sa.select(HouseFunding.source, sa.func.sum(HouseFunding.planned), sa.func.sum(HouseFunding.disbursed))
         .join(House, House.id == HouseFunding.house_id))
    q, d = unit_history.join_unit(q, House.org_unit_id, day)
    q = (q.where(in_subtree(d.path, subtree_prefix(unit)), House.status.not_in(("rejected", "withdrawn")))
         .group_by(HouseFunding.source))
    found = {s: (int(p or 0), int(x or 0)) for s, p, x in session.execute(q)}
    return [(s, *found[s]) for s in SOURCES if s in found and (found[s][0] or found[s][1])]
