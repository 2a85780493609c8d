"""Every date a person reads is a day in Vietnam: at 2026-11-29T21:21Z it is 04:21 on 30/11 in Vietnam."""

import csv
import datetime as dt
import io

from openpyxl import load_workbook

from server.extensions import db
from tests.server.world import make_form, make_house, make_submission, make_units, make_user, sign_in

LATE_EVENING_UTC = dt.datetime(2026, 11, 29, 21, 21, tzinfo=dt.UTC)  # 04:21 on 30/11 in Vietnam


def _world(app, at=LATE_EVENING_UTC):
    app.config["CLOCK"] = lambda: at
    make_units()
    make_form()  # the surveys' form: the export's columns
    make_user("manager", "manager", "49")
    vol = make_user("volunteer", "volunteer", "20968")
    sub = make_submission(vol, make_house("20968"))
    sub.received_at = dt.datetime(2026, 11, 29, 21, 0, tzinfo=dt.UTC)
    db.session.commit()


def test_progress_is_dated_in_vietnam(app):
    _world(app)
    c = app.test_client()
    r = c.post("/api/v1/auth/token", json={"username": "manager", "password": "demo"})
    auth = {"Authorization": "Bearer " + r.get_json()["token"]}
    assert c.get("/api/v1/progress", headers=auth).get_json()["as_of"] == "2026-11-30"
    app.config["CLOCK"] = lambda: dt.datetime(2025, 6, 30, 18, 30, tzinfo=dt.UTC)  # 01:30 on 1/7 in Vietnam
    assert c.get("/api/v1/progress", headers=auth).get_json()["as_of"] == "2025-07-01"


def test_the_xlsx_report_is_dated_in_vietnam(app):
    _world(app)
    r = sign_in(app.test_client(), "manager").get("/reports/download?kind=year_end&year=2026")
    assert r.status_code == 200
    assert "-20261130.xlsx" in r.headers["Content-Disposition"]
    cells = [c for row in load_workbook(io.BytesIO(r.data)).active.iter_rows(max_row=8, values_only=True)
             for c in row if c]
    assert "Quảng Nam, ngày 30 tháng 11 năm 2026" in cells


def test_exports_carry_vietnam_times_with_offset(app):
    _world(app)
    r = sign_in(app.test_client(), "manager").get("/exports/submissions.csv?labels=codes")
    assert 'filename="submissions-house_assessment-49-20261130-0421.csv"' in r.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(r.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0]["received_at"] == "2026-11-30T04:00:00+07:00"


def test_the_reports_page_offers_the_period_of_today_or_the_last_closed_one(app):
    _world(app)  # 30/11: the year-end period (to 31/10) has just closed; the half-year one closed in May
    html = sign_in(app.test_client(), "manager").get("/reports").get_data(as_text=True)
    assert '<option value="year_end" selected>' in html and 'value="2026"' in html
    assert "Mặc định là kỳ vừa kết thúc" in html


def test_the_default_period_contains_today_else_is_the_last_closed_one():
    from server.services.reports.periodic import default_period

    assert (default_period(dt.date(2026, 3, 10)).kind, default_period(dt.date(2026, 3, 10)).year) == ("half_year", 2026)
    assert default_period(dt.date(2026, 5, 31)).kind == "half_year"
    assert default_period(dt.date(2026, 6, 1)).kind == "year_end"
    late = default_period(dt.date(2026, 11, 30))
    assert (late.kind, late.year, late.closed(dt.date(2026, 11, 30))) == ("year_end", 2026, True)
