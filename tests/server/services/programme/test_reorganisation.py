"""The 1/7/2025 reorganisation applied to a database with houses in 2024's communes (Quảng Nam's GSO tree,
the shared 2025 mapping and Đà Nẵng's 94 units): the 2024 year-end report is the same before and after,
today's roll-up lists province 48's units with every house counted once, and no account sees more."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from forms import clock
from server.errors import DomainError
from server.extensions import db
from server.models import House, HouseEvent, OrgUnit, Submission, User
from server.services.accounts import access
from server.services.programme import org_units, reorganise, unit_history
from server.services.reports import periodic, progress
from tests.server import world

UNITS = Path(__file__).resolve().parents[3] / "fixtures" / "units"
EFFECTIVE = dt.date(2025, 7, 1)
TODAY = dt.date(2026, 1, 15)
NOW = dt.datetime(2026, 1, 15, 9, 0, tzinfo=clock.VIETNAM)
# (commune, status, day the house reached it): some in communes merged on 1/7/2025 (20968 + 20971 ->
# Xã Tam Xuân), one in a commune whose successor is made of it alone (20434 Xã Tân Hiệp)
HOUSES = [("20968", "completed", dt.date(2024, 3, 5)), ("20968", "approved", dt.date(2024, 6, 1)),
          ("20971", "started", dt.date(2024, 9, 9)), ("20335", "assessed", dt.date(2024, 10, 2)),
          ("20434", "completed", dt.date(2024, 5, 20)), ("20338", "approved", dt.date(2025, 2, 1)),
          ("20695", "assessed", dt.date(2024, 12, 30))]
ACCOUNTS = [("vol_tamxuan", "volunteer", "20968"), ("vol_tanhiep", "volunteer", "20434"),
            ("rev_nuithanh", "reviewer", "517"), ("man_quangnam", "manager", "49"), ("adm_quangnam", "admin", "49")]


def _text(name: str) -> str:
    return (UNITS / name).read_text(encoding="utf-8")


@pytest.fixture
def country(app):
    org_units.import_csv(db.session, _text("quang_nam_units.csv"))
    users = {name: world.make_user(name, role, code) for name, role, code in ACCOUNTS}
    for i, (code, status, day) in enumerate(HOUSES):
        house = world.make_house(code, status, name=f"Hộ {i}")
        world.make_submission(users["vol_tamxuan"], house)
        at = dt.datetime.combine(day, dt.time(10), clock.VIETNAM)
        path = ["assessed", "approved", "started", "completed"]
        for step in path[: path.index(status) + 1]:
            db.session.add(HouseEvent(house_id=house.id, kind="status", from_status=None, to_status=step,
                                      created_at=at))
            at += dt.timedelta(days=1)
    db.session.commit()
    return users


def _apply(today=TODAY):
    p = reorganise.plan(db.session, _text("quang_nam_units_2025_mapping.csv"), EFFECTIVE,
                        _text("da_nang_units_2025.csv"))
    assert p.problems == []
    reorganise.apply(db.session, p, today=today)
    db.session.commit()
    return p


def _report_cells(unit) -> list[tuple]:
    _, data = periodic.build(db.session, unit, "year_end", 2024, signer="x", now=NOW)
    return [row for row in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]


def _sees(user: User) -> tuple[set, set]:
    user = db.session.get(User, user.id)
    houses = set(db.session.scalars(access.visible_houses(db.session, user).with_only_columns(House.id)))
    subs = set(db.session.scalars(access.visible_submissions(db.session, user).with_only_columns(Submission.id)))
    return houses, subs


def test_the_2024_report_is_the_same_before_and_after(country):
    province = world.unit("49")
    before_cells = _report_cells(province)
    before = progress.rollup(db.session, province, as_of=dt.date(2024, 10, 31),
                             at=dt.datetime(2024, 11, 1, tzinfo=clock.VIETNAM)).as_dict()
    _apply()
    province = db.session.get(OrgUnit, province.id)
    assert province.valid_to == EFFECTIVE
    assert _report_cells(province) == before_cells
    # the same report asked of today's city: 2024's province, its 18 districts
    city = world.unit("48")
    assert _report_cells(city) == before_cells
    after = progress.rollup(db.session, city, as_of=dt.date(2024, 10, 31),
                            at=dt.datetime(2024, 11, 1, tzinfo=clock.VIETNAM)).as_dict()
    assert after == before
    assert len(before["rows"]) == 18 and before["totals"]["assessed"] == 5  # two houses came after 31/10/2024


def test_todays_rollup_lists_province_48s_units_and_counts_each_house_once(country):
    _apply()
    city = world.unit("48")
    p = progress.rollup(db.session, city, today=TODAY)
    assert len(p.rows) == 94 and {r.level for r in p.rows} == {"commune"}
    houses = db.session.scalar(sa.select(sa.func.count(House.id)))
    assert sum(r.assessed for r in p.rows) == p.totals.assessed == houses == len(HOUSES)
    by_code = {r.code: r.assessed for r in p.rows}
    assert by_code["20971"] == 3  # Xã Tam Xuân: 2024's Tam Xuân I and II
    assert by_code["20434"] == 1
    # the old province asked today stands for the city; the house of a merged commune is in the new one
    assert progress.rollup(db.session, world.unit("49", dt.date(2024, 1, 1)), today=TODAY).unit.code == "48"
    house = db.session.scalar(sa.select(House).where(House.head_name == "Hộ 0"))
    assert unit_history.unit_of_house(db.session, house).name == "Xã Tam Xuân"
    assert unit_history.unit_of_house(db.session, house, dt.date(2025, 6, 30)).name == "Xã Tam Xuân I"


def test_no_account_sees_more_after_and_who_must_be_re_scoped(country):
    before = {name: _sees(u) for name, u in country.items()}
    p = _apply()
    for name, u in country.items():
        houses, subs = _sees(u)
        assert houses <= before[name][0] and subs <= before[name][1], name
    flagged = {u.username: why for u, why in p.flagged_users}
    moved = {u.username: code for u, code in p.moved_users}
    assert moved == {"vol_tanhiep": "20434"}  # Xã Tân Hiệp's successor is made of it alone
    assert flagged == {"vol_tamxuan": "merge", "rev_nuithanh": "retired_level", "man_quangnam": "merge",
                       "adm_quangnam": "merge"}
    tanhiep = db.session.get(User, country["vol_tanhiep"].id)
    assert tanhiep.org_unit.valid_to is None and tanhiep.needs_rescope is None
    assert _sees(tanhiep)[0] == before["vol_tanhiep"][0]
    assert db.session.get(User, country["rev_nuithanh"].id).needs_rescope == "retired_level"
    # an admin re-scopes the reviewer: now they see the city's houses (a deliberate, audited widening)
    reorganise.rescope(db.session, None, db.session.get(User, country["rev_nuithanh"].id), "48")
    db.session.commit()
    assert len(_sees(country["rev_nuithanh"])[0]) == len(HOUSES)


def test_the_plan_names_what_changes_and_refuses_bad_input(country):
    p = reorganise.plan(db.session, _text("quang_nam_units_2025_mapping.csv"), EFFECTIVE,
                        _text("da_nang_units_2025.csv"))
    c = p.counts()
    assert c["new_units"] == 95 and c["retired_by_level"] == {"commune": 241, "district": 18, "province": 1}
    assert c["kinds"]["retire_level"] == 18 and c["houses"] == len(HOUSES)
    assert db.session.scalar(sa.select(sa.func.count(OrgUnit.id)).where(OrgUnit.valid_to.is_not(None))) == 0
    bad = reorganise.plan(db.session, "old_code,new_code\n99999,20971\n20968,77777\n", EFFECTIVE,
                          _text("da_nang_units_2025.csv"))
    assert [k for k, _ in bad.problems] == ["unknown_old", "unknown_new"]
    assert "Dòng 2" in bad.problem_texts("vi")[0]
    with pytest.raises(DomainError) as err:
        reorganise.apply(db.session, p, today=dt.date(2025, 6, 30))
    assert err.value.code == "reorganisation_in_future"
    _apply()
    again = reorganise.plan(db.session, _text("quang_nam_units_2025_mapping.csv"), EFFECTIVE,
                            _text("da_nang_units_2025.csv"))
    assert again.problems  # the old communes are no longer in force: nothing is applied twice


def test_a_district_retired_inside_a_province_that_stays(country):
    """The province keeps going: only Núi Thành's level goes, its communes merged into one under the province."""
    communes = [u.code for u in unit_history.children(db.session, world.unit("517"))]
    mapping = "old_code,new_code\n" + "".join(f"{c},90001\n" for c in communes)
    p = reorganise.plan(db.session, mapping, EFFECTIVE, "level,code,name,parent_code\ncommune,90001,Xã Núi Thành,49\n")
    assert p.problems == []
    kinds = {s.old.code: (s.kind, s.new_code) for s in p.steps}
    assert kinds["517"] == ("retire_level", "90001") and "49" not in kinds  # all its things went there
    assert {u.username: why for u, why in p.flagged_users} == {"vol_tamxuan": "merge"}
    # the new commune is exactly the district's territory: its reviewer moves there, no wider
    assert {u.username: code for u, code in p.moved_users} == {"rev_nuithanh": "90001"}
    reorganise.apply(db.session, p, today=TODAY)
    db.session.commit()
    province = world.unit("49")
    assert province.valid_to is None
    rows = {r.code: r.assessed for r in progress.rollup(db.session, province, today=TODAY).rows}
    assert len(rows) == 18 and "517" not in rows and rows["90001"] == 3
