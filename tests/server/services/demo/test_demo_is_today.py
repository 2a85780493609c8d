"""`python -m server --demo` is today's country: province 48's communes on the dashboard, the 2024
year-end report under 2024's districts, and the demo logins in units that exist today."""

import datetime as dt
import io

import sqlalchemy as sa
from openpyxl import load_workbook

from server.extensions import db
from server.models import House, User
from server.services.accounts import access
from server.services.demo import seed as demo
from server.services.reports import periodic, progress

AT = dt.datetime(2026, 11, 29, 21, 21, tzinfo=dt.UTC)


def test_the_demo_shows_todays_units_and_the_2024_report_keeps_2024s_districts(app, tmp_path):
    app.config["CLOCK"] = lambda: AT
    demo.seed(db.session, str(tmp_path / "media"), today=AT.date())
    users = {u.username: u for u in db.session.scalars(sa.select(User))}
    assert {n: (u.org_unit.code, u.org_unit.valid_to, u.needs_rescope) for n, u in users.items()} == {
        "volunteer": ("20971", None, None), "reviewer": ("20971", None, None),
        "manager": ("48", None, None), "admin": ("48", None, None)}
    manager = users["manager"]
    p = progress.rollup(db.session, access.home(db.session, manager), today=AT.date())
    houses = db.session.scalar(sa.select(sa.func.count(House.id)))
    assert p.unit.name == "Thành phố Đà Nẵng" and len(p.rows) == 94
    assert sum(r.assessed for r in p.rows) == p.totals.assessed == houses > 0
    assert [r.name for r in p.rows if r.assessed] == ["Xã Tam Xuân"]
    # every house of the reviewer's commune is the reviewer's to see
    assert db.session.scalar(sa.select(sa.func.count()).select_from(
        access.visible_houses(db.session, users["reviewer"]).subquery())) == houses

    _, data = periodic.build(db.session, access.home(db.session, manager), "year_end", 2024, signer="x",
                             now=AT)
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert rows[1][0] == "TỈNH QUẢNG NAM"
    names = [r[1] for r in rows[9:] if r[0] and isinstance(r[0], int)]
    assert len(names) == 18 and "Huyện Núi Thành" in names
    nui_thanh = next(r for r in rows if r[1] == "Huyện Núi Thành")
    assert nui_thanh[3] > 0  # the demo's houses, surveyed in 2024, under their 2024 district
