"""At every level the roll-up equals a recount from raw rows, including after moves and rejections."""

import random

import pytest

from server.extensions import db
from server.models import House, OrgUnit
from server.services.houses.lifecycle import DEFAULT
from server.services.houses.writes import transition
from server.services.programme import targets
from server.services.reports import progress
from tests.server.world import make_house, make_units, make_user

STATUSES = ["assessed", "approved", "started", "completed", "handed_over", "rejected", "withdrawn"]


def _recount(unit: OrgUnit) -> dict:
    """Plain Python over every raw row: the reference the SQL must match."""
    units = {u.id: u for u in db.session.scalars(db.select(OrgUnit))}
    out = dict.fromkeys(progress.COUNTS, 0)
    for h in db.session.scalars(db.select(House)):
        if not units[h.org_unit_id].path.startswith(unit.path):
            continue
        for stage in progress.STAGES:
            out[stage] += h.status in DEFAULT.reached(stage)
        for side in ("rejected", "withdrawn"):
            out[side] += h.status == side
    return out


def _check_every_level():
    for unit in db.session.scalars(db.select(OrgUnit)):
        p = progress.rollup(db.session, unit)
        assert {k: p.totals.counts[k] for k in progress.COUNTS} == _recount(unit), unit.code
        for row in p.rows:
            child = db.session.get(OrgUnit, row.id)
            assert {k: row.counts[k] for k in progress.COUNTS} == _recount(child), (unit.code, child.code)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rollup_equals_recount_after_moves_and_rejections(app, seed):
    rnd = random.Random(seed)
    units = make_units()
    actor = make_user("reviewer", "reviewer", "517")
    communes = [u for u in units.values() if u.level == "commune"]
    houses = [make_house(rnd.choice(communes).code, rnd.choice(STATUSES)) for _ in range(rnd.randint(20, 60))]
    db.session.commit()
    _check_every_level()
    for h in rnd.sample(houses, len(houses) // 3):  # moves between communes and districts
        h.org_unit_id = rnd.choice(communes).id
    for h in houses:  # rejections of whatever may still be rejected
        if "rejected" in DEFAULT.allowed(h.status) and rnd.random() < 0.4:
            transition(db.session, h, "rejected", actor_id=actor.id, reason="không đủ điều kiện")
    db.session.commit()
    _check_every_level()


def test_target_in_force_and_history(app):
    import datetime as dt

    units = make_units()
    for n, day in [(15735, "2023-10-26"), (11761, "2025-03-01"), (11523, "2025-04-20"), (10303, "2025-06-30")]:
        targets.set_target(db.session, units["49"].id, houses=n, effective_from=day)
    db.session.commit()
    on = {d: progress.rollup(db.session, units["49"], as_of=dt.date.fromisoformat(d)).totals.target
          for d in ("2024-01-01", "2025-03-15", "2025-05-01", "2026-01-01")}
    assert on == {"2024-01-01": 15735, "2025-03-15": 11761, "2025-05-01": 11523, "2026-01-01": 10303}
    assert [t.houses for t in targets.history(db.session, [units["49"].id])[units["49"].id]] == [15735, 11761, 11523,
                                                                                                10303]
    assert progress.rollup(db.session, units["49"], as_of=dt.date(2020, 1, 1)).totals.target is None


def test_ranking_by_rate_then_completed_then_administrative_order():
    from types import SimpleNamespace

    from server.services.reports.progress import ranking

    def row(code, pct, completed):
        return SimpleNamespace(code=code, name=f"Huyện {code}", pct=pct, completed=completed)

    rows = [row("506", 0.0, 0), row("502", 0.0, 0), row("517", 0.18, 2), row("510", None, 0), row("504", 0.0, 1)]
    got = ranking(SimpleNamespace(rows=rows))
    assert [r.code for r in got] == ["517", "504", "502", "506", "510"]
