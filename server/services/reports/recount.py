"""The recount: every level's figures rebuilt in plain Python from the raw rows (houses, their events,
funding and its history), to check what the dashboard, ``/progress`` and the reports return.

Deliberately shares no SQL with :mod:`server.services.reports.progress`: each house is added to every unit on
its path, so the recount of all units is one pass over the rows."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from openpyxl import load_workbook

from forms import clock
from server.models import House, HouseEvent, OrgUnit
from server.models.funding import HouseFunding, HouseFundingEvent
from server.services.houses.funding import SUPPORT_SOURCES
from server.services.houses.lifecycle import DEFAULT, Lifecycle
from server.services.programme import unit_history
from server.services.reports import periodic as reports
from server.services.reports import progress
from server.services.reports.formatting import stored_time

KEYS = progress.COUNTS + progress.MONEY
SIDE = ("rejected", "withdrawn")


def _ancestors(path: str) -> list[str]:
    """'/49/517/20968/' -> ['/49/', '/49/517/', '/49/517/20968/']"""
    parts = path.strip("/").split("/")
    return ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]


def recount(session, lc: Lifecycle = DEFAULT, at: dt.datetime | None = None, day: dt.date | None = None
            ) -> dict[str, dict]:
    """Per unit path: COUNTS and MONEY of its subtree, now, or at the instant ``at`` (each house's last
    event before then; each (house, source)'s last funding event before then); each house in the unit it
    belongs to on ``day`` (None: today), read one house at a time (``unit_history.unit_at``)."""
    house_path = {h.id: unit_history.unit_at(session, h.org_unit_id, day).path
                  for h in session.execute(sa.select(House.id, House.org_unit_id))}
    if at is None:
        status = dict(session.execute(sa.select(House.id, House.status)).all())
        money = [(f.house_id, f.source, f.planned, f.disbursed, f.workdays)
                 for f in session.scalars(sa.select(HouseFunding))]
    else:
        at = stored_time(at)
        status, last = {}, {}
        for ev in session.scalars(sa.select(HouseEvent)):
            when = stored_time(ev.created_at)
            if when < at and (ev.house_id not in last or (when, ev.id) > last[ev.house_id]):
                last[ev.house_id], status[ev.house_id] = (when, ev.id), ev.to_status
        latest: dict[tuple, tuple] = {}
        for f in session.scalars(sa.select(HouseFundingEvent)):
            when, key = stored_time(f.created_at), (f.house_id, f.source)
            if when < at and (key not in latest or (when, f.id) > latest[key][0]):
                latest[key] = ((when, f.id), (f.house_id, f.source, f.planned, f.disbursed, f.workdays))
        money = [v for _, v in latest.values()]
    out: dict[str, dict] = defaultdict(lambda: dict.fromkeys(KEYS, 0))

    def add(house_id, key, n):
        for p in _ancestors(house_path[house_id]):
            out[p][key] += n

    for house_id, st in status.items():
        for stage in progress.STAGES:
            if st in lc.reached(stage):
                add(house_id, stage, 1)
        if st in SIDE:
            add(house_id, st, 1)
    for house_id, source, planned, disbursed, workdays in money:
        if status.get(house_id) is None or status[house_id] in SIDE:
            continue
        if source in SUPPORT_SOURCES:
            add(house_id, "support_committed", planned)
            add(house_id, "support_disbursed", disbursed)
        add(house_id, "workdays", workdays)
    return out


@dataclass
class Mismatch:
    unit: str
    moment: str
    key: str
    service: int
    recounted: int

    def __str__(self) -> str:
        return f"{self.unit} [{self.moment}] {self.key}: service {self.service}, recount {self.recounted}"


def compare(session, units, *, lc: Lifecycle = DEFAULT, moments: dict[str, dt.datetime | None],
            today: dt.date | None = None) -> list[Mismatch]:
    """Each unit's totals and child rows from :func:`progress.rollup` against the recount, at each
    moment (``None``: today's figures), by the tree in force then."""
    bad = []
    for label, at in moments.items():
        day = clock.day_of(at - dt.timedelta(microseconds=1)) if at is not None else today
        truth = recount(session, lc, at, day)
        for unit in units:
            if not unit.in_force(day or dt.date.max):
                continue
            p = progress.rollup(session, unit, lc=lc, at=at, as_of=day)
            children = {u.id: u.path for u in unit_history.children(session, unit, day)}
            for row, path in [(p.totals, unit.path)] + [(r, children[r.id]) for r in p.rows]:
                want = truth.get(path, dict.fromkeys(KEYS, 0))
                bad += [Mismatch(f"{row.code} {row.name}", label, k, row.counts.get(k, 0), want[k])
                        for k in KEYS if row.counts.get(k, 0) != want[k]]
    return bad


def report_totals(session, unit, kind: str, year: int, *, lc: Lifecycle = DEFAULT, today=None) -> dict:
    """The total row of the XLSX report, read back from the file it writes."""



    _, data = reports.build(session, unit, kind, year, signer="check-totals", lc=lc, today=today)
    keys = [k for k, _ in reports.COLUMNS]
    for row in load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True):
        if len(row) > 1 and row[1] in ("Tổng cộng", "Total"):
            return {k: row[2 + i] or 0 for i, k in enumerate(keys)}
    return {}


def last_closed_period(today: dt.date):
    """The most recent reporting period that has ended by ``today``."""

    for kind, year in (("year_end", today.year), ("half_year", today.year), ("year_end", today.year - 1)):
        per = reports.period(kind, year)
        if per.closed(today):
            return per
    raise AssertionError("unreachable")


def check(session, code: str | None = None, *, lc: Lifecycle = DEFAULT, today: dt.date) -> tuple[list, str]:
    """Recount every unit under ``code`` (default: every unit) today and at the end of the last closed
    period, and the report of the top unit(s) for that period. (mismatches, one-line summary)."""

    q = sa.select(OrgUnit).order_by(OrgUnit.path)
    if code:
        top = unit_history.by_code(session, code)
        if top is None:
            raise LookupError(code)
        q = q.where(OrgUnit.path.startswith(top.path))
        tops = [top]
    else:
        tops = list(session.scalars(sa.select(OrgUnit).where(OrgUnit.parent_id.is_(None), OrgUnit.valid_to.is_(None))))
    units = list(session.scalars(q))
    per = last_closed_period(today)
    end = dt.datetime.combine(per.end + dt.timedelta(days=1), dt.time.min, clock.VIETNAM)
    moment = f"{per.kind} {per.year} at {per.end:%d/%m/%Y}"
    bad = compare(session, units, lc=lc, moments={"today": None, moment: end}, today=today)
    truth = recount(session, lc, end, per.end)
    for unit in tops:
        got = report_totals(session, unit, per.kind, per.year, lc=lc, today=today)
        roots = unit_history.counterparts(session, unit, per.end)  # the unit by the period end's tree
        want = {k: sum(truth.get(r.path, {}).get(k, 0) for r in roots) for k in KEYS}
        bad += [Mismatch(f"{unit.code} {unit.name}", f"report {moment}", k, got.get(k, 0), want[k])
                for k in ("assessed", "approved", "started", "completed", "handed_over") + progress.MONEY
                if got.get(k, 0) != want[k]]
    houses = session.scalar(sa.select(sa.func.count()).select_from(House))
    summary = (f"{len(bad)} mismatch(es)" if bad else "all totals agree") + (
        f": {len(units)} unit(s), {houses} house(s), today and {moment}, report of {len(tops)} unit(s)")
    return bad, summary
