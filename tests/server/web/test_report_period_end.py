"""A report for a closed period gives the same numbers — stages and money — whenever it is made; a unit
that disbursed more than it committed is flagged on the report and on the dashboard."""

import datetime as dt
import io

from openpyxl import load_workbook

from server.extensions import db
from server.services.houses import funding
from server.services.houses import writes as house_writes
from server.services.reports import periodic as reports
from tests.server.world import make_house, make_units, make_user, sign_in

VN = dt.timezone(dt.timedelta(hours=7))


def _at(month, day, hour=9, year=2025):
    return dt.datetime(year, month, day, hour, tzinfo=VN)


def _table(data) -> dict:
    keys = [k for k, _ in reports.COLUMNS]
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(min_row=10, values_only=True))
    return {r[1]: {k: r[2 + i] for i, k in enumerate(keys)} for r in rows if r[1] and r[0] != "" or r[1] == "Tổng cộng"}


def _house(code, steps, actor):
    h = make_house(code, "assessed")
    house_writes._event(db.session, h, kind="assessed", from_status=None, to_status="assessed", actor_id=None,
                  reason=None, submission_id=None, at=steps[0][1])
    for to, when in steps[1:]:
        house_writes.transition(db.session, h, to, actor_id=actor.id, at=when)
    return h


def test_a_closed_period_reads_the_same_whenever_the_report_is_made(app):
    units = make_units()
    actor = make_user("reviewer", "reviewer", "517")
    a = _house("20968", [("assessed", _at(1, 5)), ("approved", _at(2, 1)), ("started", _at(4, 1))], actor)
    funding.set_funding(db.session, a, "provincial_budget", planned=60_000_000, actor_id=actor.id, at=_at(2, 1))
    funding.set_funding(db.session, a, "provincial_budget", disbursed=20_000_000, actor_id=actor.id, at=_at(5, 31, 23))
    funding.set_funding(db.session, a, "household", workdays=30, actor_id=actor.id, at=_at(5, 2))
    b = _house("20335", [("assessed", _at(3, 5)), ("approved", _at(4, 1))], actor)
    funding.set_funding(db.session, b, "sponsor", planned=30_000_000, actor_id=actor.id, at=_at(4, 1))
    db.session.commit()
    _, on_the_day = reports.build(db.session, units["49"], "half_year", 2025, signer="x", today=dt.date(2025, 5, 31))

    # after the period: money paid, a house completed, one withdrawn, a new one assessed (00:30 on 1 June)
    funding.set_funding(db.session, a, "provincial_budget", disbursed=60_000_000, actor_id=actor.id, at=_at(7, 1))
    funding.set_funding(db.session, a, "household", workdays=90, actor_id=actor.id, at=_at(7, 1))
    house_writes.transition(db.session, a, "completed", actor_id=actor.id, at=_at(8, 1))
    house_writes.transition(db.session, b, "withdrawn", actor_id=actor.id, at=_at(6, 2))
    _house("20971", [("assessed", _at(6, 1, 0))], actor)
    db.session.commit()
    _, later = reports.build(db.session, units["49"], "half_year", 2025, signer="x", today=dt.date(2026, 1, 5))

    then, now = _table(on_the_day), _table(later)
    assert then["Tổng cộng"]["support_committed"] == 90_000_000 and then["Tổng cộng"]["support_disbursed"] == 20_000_000
    assert then["Tổng cộng"]["workdays"] == 30 and then["Tổng cộng"]["started"] == 1
    for k in now:
        assert now[k] == then[k], (k, {c: (now[k][c], then[k][c]) for c in now[k] if now[k][c] != then[k][c]})
    _, today = reports.build(db.session, units["49"], "half_year", 2025, signer="x", today=dt.date(2026, 1, 5),
                             figures="today")
    t = _table(today)["Tổng cộng"]
    assert (t["support_committed"], t["support_disbursed"], t["workdays"], t["completed"], t["assessed"]) == (
        60_000_000, 60_000_000, 90, 1, 2)


def test_more_disbursed_than_committed_is_flagged(app):
    units = make_units()
    make_user("manager", "manager", "49")
    actor = make_user("reviewer", "reviewer", "517")
    h = make_house("20968", "approved")
    funding.set_funding(db.session, h, "provincial_budget", planned=10_000_000, disbursed=25_000_000, actor_id=actor.id)
    db.session.commit()
    html = sign_in(app.test_client(), "manager").get("/dashboard").get_data(as_text=True)
    assert html.count('class="flash error overspent"') == 2  # the district and the province
    assert "Huyện Núi Thành: kinh phí đã giải ngân" in html
    _, data = reports.build(db.session, units["49"], "half_year", 2025, signer="x", today=dt.date(2025, 5, 1))
    cells = [c for row in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True) for c in row if c]
    assert ("Lưu ý — Huyện Núi Thành: kinh phí đã giải ngân 25.000.000 đồng lớn hơn kinh phí đã cam kết "
            "10.000.000 đồng.") in cells
