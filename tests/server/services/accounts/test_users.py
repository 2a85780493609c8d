"""The account rules an admin works with (services/accounts/users.py): the shape of an account, the unit
named by code or name inside the admin's subtree, roles never above the admin's, the list's search and
filters, one-time passwords that must be changed (web and phone)."""

from __future__ import annotations

import pytest

from server.errors import DomainError
from server.extensions import db
from server.models import DeviceToken
from server.services.accounts import access, auth, users
from tests.server.world import ANOTHER_PROVINCE, COMMUNE_TREE, make_units, make_user

POLICY = auth.Throttle()


@pytest.fixture
def admins(app):
    make_units(COMMUNE_TREE + ANOTHER_PROVINCE)
    people = {"province": make_user("admin", "admin", "49"), "district": make_user("admin_nt", "admin", "517"),
              "manager": make_user("manager", "manager", "49"), "lan": make_user("lan", "volunteer", "20968")}
    db.session.commit()
    return people


@pytest.mark.parametrize("raw, want", [("0905 123 456", "0905123456"), ("+84 905.123.456", "0905123456"),
                                       ("84905123456", "0905123456"), (905123456.0, "0905123456"),
                                       ("0235-3851-234", "02353851234"), ("", None), (None, None)])
def test_phone_numbers_are_normalised(raw, want):
    assert users.clean_phone(raw) == want


@pytest.mark.parametrize("raw", ["12345", "090512345678", "0905abc456", "+1 415 555 0100"])
def test_bad_phone_numbers_are_refused_in_vietnamese(raw):
    with pytest.raises(DomainError) as err:
        users.clean_phone(raw)
    assert err.value.code == "bad_phone" and "không hợp lệ" in err.value.message("vi")


@pytest.mark.parametrize("raw", ["ab", "nguyễn.lan", "has space", "new", "-lan", "x" * 41])
def test_bad_usernames(raw):
    with pytest.raises(DomainError, match="bad_username"):
        users.clean_username(raw)


def test_usernames_are_lower_cased():
    assert users.clean_username("  Lan.Nguyen ") == "lan.nguyen"


def test_roles_in_either_language_never_above_the_actor(admins):
    assert users.parse_role(admins["province"], "Cán bộ  DUYỆT") == "reviewer"
    assert users.parse_role(admins["province"], "quan tri") == "admin"
    with pytest.raises(DomainError, match="bad_role"):
        users.parse_role(admins["province"], "boss")
    assert access.assignable_roles(admins["province"]) == access.ROLES
    assert access.assignable_roles(admins["manager"]) == ()  # managers manage no accounts


def test_units_by_code_or_name_inside_the_subtree_only(admins):
    finder = users.UnitFinder(db.session, admins["district"])  # Huyện Núi Thành
    assert finder.find("20968").code == "20968"
    assert finder.find("xã tam xuân i").code == "20968"  # the name, case ignored
    assert finder.find(20971.0).code == "20971"  # a code a spreadsheet stored as a number
    for raw, code in (("20335", "unit_outside_scope"), ("Phường Tân Thạnh", "unit_outside_scope"),
                      ("99999", "unknown_unit"), ("Xã Không Có", "unknown_unit"), ("", "required")):
        with pytest.raises(DomainError) as err:
            finder.find(raw)
        assert err.value.code == code, raw
    assert {u.code for u in finder.choices()} == {"517", "20968", "20971"}


def test_create_gives_a_one_time_password_that_must_be_changed(admins, app):
    user, password = users.create(db.session, admins["district"], username="Hoa", full_name=" Trần  Thị Hoa ",
                                  phone="0905123456", role="Tình nguyện viên", unit="Xã Tam Xuân II")
    db.session.commit()
    assert (user.username, user.full_name, user.phone, user.role, user.org_unit.code) == \
        ("hoa", "Trần Thị Hoa", "0905123456", "volunteer", "20971")
    assert user.must_change_password and len(password) == auth.ONE_TIME_LENGTH
    with pytest.raises(DomainError, match="password_change_required"):  # the phone gets no token with it
        auth.login(db.session, "hoa", password, "phone-1", "10.0.0.1", POLICY)
    assert db.session.query(DeviceToken).count() == 0
    with pytest.raises(DomainError, match="weak_password"):
        auth.login_with_new_password(db.session, "hoa", password, "12345678", "phone-1", "10.0.0.1", POLICY)
    db.session.rollback()
    token, same = auth.login_with_new_password(db.session, "hoa", password, "mật khẩu riêng", "phone-1", "10.0.0.1",
                                               POLICY)
    db.session.commit()
    assert same.id == user.id and token and not same.must_change_password
    with pytest.raises(DomainError, match="bad_credentials"):  # the one-time password is spent
        auth.login(db.session, "hoa", password, "phone-2", "10.0.0.1", POLICY)
    assert auth.login(db.session, "hoa", "mật khẩu riêng", "phone-2", "10.0.0.1", POLICY)[0]


def test_create_refuses_taken_names_and_units_outside(admins):
    with pytest.raises(DomainError, match="username_taken"):
        users.create(db.session, admins["province"], username="LAN", full_name="", phone="", role="volunteer",
                     unit="20968")
    with pytest.raises(DomainError, match="unit_outside_scope"):
        users.create(db.session, admins["district"], username="minh", full_name="", phone="", role="volunteer",
                     unit="20335")
    with pytest.raises(DomainError, match="forbidden"):
        users.create(db.session, admins["manager"], username="minh", full_name="", phone="", role="volunteer",
                     unit="20968")


def test_update_stays_inside_the_subtree_and_never_changes_ones_own_role(admins):
    user = users.update(db.session, admins["district"], "lan", full_name="Lan", phone="", role="reviewer",
                        unit="20971")
    assert (user.role, user.org_unit.code) == ("reviewer", "20971")
    with pytest.raises(DomainError, match="unit_outside_scope"):
        users.update(db.session, admins["district"], "lan", full_name="", phone="", role="volunteer", unit="20335")
    with pytest.raises(DomainError, match="not_found"):  # an account outside the subtree does not exist for them
        users.update(db.session, admins["district"], "admin", full_name="", phone="", role="admin", unit="49")
    with pytest.raises(DomainError, match="own_account"):
        users.update(db.session, admins["district"], "admin_nt", full_name="", phone="", role="manager", unit="517")
    assert users.update(db.session, admins["district"], "admin_nt", full_name="Quản trị NT", phone="0905123456",
                        role="admin", unit="517").full_name == "Quản trị NT"


def test_reset_signs_out_everywhere_and_forces_a_change(admins, app):
    token, _ = auth.login(db.session, "lan", "demo", "phone-1", "10.0.0.1", POLICY)
    db.session.commit()
    user, password = users.reset_password(db.session, admins["province"], "lan")
    db.session.commit()
    assert user.must_change_password and user.check_password(password) and not user.check_password("demo")
    with pytest.raises(DomainError, match="token_revoked"):
        auth.user_for_token(db.session, token)


def test_search_filters_and_pages(admins):
    for i in range(7):
        make_user(f"tnv{i:02d}", "volunteer", "20971" if i % 2 else "20968")
    db.session.commit()
    district = admins["district"]
    page = users.search(db.session, district, per_page=5)
    assert page.total == 9 and page.pages == 2 and len(page.items) == 5  # 7 + lan + admin_nt; not admin, manager
    assert users.search(db.session, district, q="TNV0", per_page=50).total == 7
    assert users.search(db.session, district, q="Tnv03").items[0].username == "tnv03"  # full name "Tnv03"
    assert users.search(db.session, district, role="admin").total == 1
    assert users.search(db.session, district, unit_code="20971").total == 3
    with pytest.raises(DomainError, match="not_found"):
        users.search(db.session, district, unit_code="20335")
