"""The half-year report's totals match the dashboard; exports stream every row in three formats."""

import csv
import datetime as dt
import io
import json

from openpyxl import load_workbook

from server.extensions import db
from server.services.houses import lifecycle
from server.services.houses import writes as house_writes
from server.services.programme import targets
from server.services.reports import periodic as reports
from server.services.reports import progress
from tests.server.world import make_house, make_units, make_user, sign_in


def _world():
    units = make_units()
    make_user("manager", "manager", "49")
    actor = make_user("reviewer", "reviewer", "517")
    targets.seed_demo(db.session)
    plan = [("20968", "completed"), ("20968", "approved"), ("20971", "handed_over"), ("20335", "started"),
            ("20335", "assessed"), ("20335", "rejected")]
    for i, (code, status) in enumerate(plan):
        h = make_house(code, "assessed", name=f"Hộ số {i}", lat=None if i == 4 else 15.4 + i / 100, lon=108.6)
        if status != "assessed":
            for step in lifecycle.DEFAULT.path("assessed", status) if status != "rejected" else ["rejected"]:
                house_writes.transition(db.session, h, step, actor_id=actor.id, reason="test")
    db.session.commit()
    return units


def test_half_year_report_totals(app):
    units = _world()
    c = sign_in(app.test_client(), "manager")
    year = dt.date.today().year
    r = c.get(f"/reports/download?kind=half_year&year={year}&figures=today")
    assert r.status_code == 200 and "attachment" in r.headers["Content-Disposition"]
    ws = load_workbook(io.BytesIO(r.data)).active
    keys = [k for k, _ in reports.COLUMNS]
    table = {row[1]: row for row in ws.iter_rows(min_row=10, values_only=True) if row[1]}
    total = table.pop("Tổng cộng")
    districts = {n: v for n, v in table.items() if n.startswith(("Huyện", "Thành phố", "Thị xã"))}
    assert len(districts) == 2
    for key in reports.SUMMED:
        col = 2 + keys.index(key)
        assert total[col] == sum(v[col] or 0 for v in districts.values()), key
    p = progress.rollup(db.session, units["49"])
    assert total[2 + keys.index("completed")] == p.totals.completed == 2
    assert total[2 + keys.index("assessed")] == p.totals.assessed == 5
    assert total[2 + keys.index("target")] == 15735
    bad = c.get("/reports/download?kind=weekly&year=2025")
    assert bad.status_code == 400 and "Loại báo cáo" in bad.get_data(as_text=True)


def test_exports_stream_every_row(app):
    _world()
    c = sign_in(app.test_client(), "manager")
    r = c.get("/exports/houses.csv")
    assert r.status_code == 200 and r.is_streamed
    rows = list(csv.reader(io.StringIO(r.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:4] == ["Mã nhà", "Mã đơn vị", "Đơn vị (xã, thôn)", "Trạng thái"] and len(rows) == 7
    assert {row[3] for row in rows[1:]} >= {"Hoàn thành", "Đã khởi công"}  # statuses in words
    codes = list(csv.reader(io.StringIO(c.get("/exports/houses.csv?labels=codes").get_data(as_text=True)
                                        .lstrip("\ufeff"))))
    assert codes[0][:4] == ["house_id", "unit_code", "unit_name", "status"] and "completed" in {r[3] for r in codes}
    g = json.loads(c.get("/exports/houses.geojson").get_data(as_text=True))
    assert g["type"] == "FeatureCollection" and len(g["features"]) == 6
    assert sum(f["geometry"] is None for f in g["features"]) == 1
    ws = load_workbook(io.BytesIO(c.get("/exports/houses.xlsx").data)).active
    assert ws.max_row == 7
    assert c.get("/exports/houses.pdf").status_code == 404
    # a reviewer is not a manager
    assert sign_in(app.test_client(), "reviewer").get("/exports/houses.csv").status_code == 403


def _head(data) -> list:
    return [c for row in load_workbook(io.BytesIO(data)).active.iter_rows(max_row=8, values_only=True) for c in row if c]


def test_a_report_says_which_figures_it_holds(app):
    units = _world()
    _, late = reports.build(db.session, units["49"], "half_year", 2025, signer="x", today=dt.date(2025, 7, 2),
                            figures="today")
    assert "(Số liệu hôm nay: tổng hợp đến ngày 02/07/2025, không phải ngày cuối kỳ 31/05/2025)" in _head(late)
    _, closed = reports.build(db.session, units["49"], "half_year", 2025, signer="x", today=dt.date(2025, 7, 2))
    assert ("(Số liệu tại ngày cuối kỳ: số nhà theo giai đoạn và kinh phí tính đến hết ngày 31/05/2025)"
            in _head(closed))
    _, on_time = reports.build(db.session, units["49"], "half_year", 2025, signer="x", today=dt.date(2025, 5, 31))
    assert "(Kỳ báo cáo chưa kết thúc: số liệu tổng hợp đến ngày 31/05/2025)" in _head(on_time)


def test_a_report_at_the_period_end_counts_each_house_at_its_stage_then(app):
    """From the append-only history: a house approved in March and started in July is 'approved' in
    the half-year report (to 31 May) at the period end, whatever it is today."""
    from server.models import HouseEvent
    from tests.server.world import make_house

    units = _world()  # houses whose history is all of today
    h = make_house("20968", "started", name="Có lịch sử")
    vn = dt.timezone(dt.timedelta(hours=7))
    for to, when in (("assessed", dt.datetime(2025, 1, 10, 9, tzinfo=vn)),
                     ("approved", dt.datetime(2025, 3, 1, 9, tzinfo=vn)),
                     ("started", dt.datetime(2025, 6, 1, 6, tzinfo=vn))):  # 1 June 06:00 in Vietnam: after the period
        db.session.add(HouseEvent(house_id=h.id, kind="status", to_status=to, created_at=when.astimezone(dt.UTC)))
    db.session.commit()
    keys = [k for k, _ in reports.COLUMNS]

    def totals(**kw):
        _, data = reports.build(db.session, units["49"], "half_year", 2025, signer="x", today=dt.date(2026, 1, 5), **kw)
        rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
        total = next(r for r in rows if r[1] == "Tổng cộng")
        return {k: total[2 + keys.index(k)] for k in ("assessed", "approved", "started")}, rows

    then, rows = totals()  # the default
    assert then == {"assessed": 1, "approved": 1, "started": 0}
    assert any("tính đến hết ngày 31/05/2025" in str(c) for r in rows[:8] for c in r if c)
    now, _ = totals(figures="today")
    assert now["started"] == progress.rollup(db.session, units["49"]).totals.started >= 1


def test_the_reports_page_offers_the_period_end_figures_by_default(app):
    _world()
    c = sign_in(app.test_client(), "manager")
    assert '<option value="period_end" selected>' in c.get("/reports").get_data(as_text=True)
    r = c.get("/reports/download?kind=half_year&year=2025")
    assert r.status_code == 200
    assert any("tính đến hết ngày 31/05/2025" in str(cell) for cell in _head(r.data))
    assert c.get("/reports/download?kind=half_year&year=2025&figures=weekly").status_code == 400
