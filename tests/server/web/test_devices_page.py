"""Admins take back a lost phone's sign-in: the phone's next sync is refused (401 token_revoked);
only phones of their own subtree; CSRF enforced."""

import pytest

from server.extensions import db
from server.models import DeviceToken
from tests.server.world import make_units, make_user, sign_in, token_of


def phone_token(client, username, device):
    r = client.post("/api/v1/auth/token", json={"username": username, "password": "demo", "device_id": device})
    assert r.status_code in (200, 201), r.get_json()
    return r.get_json()["token"]


@pytest.fixture
def world(app):
    make_units()
    make_user("volunteer", "volunteer", "20968")
    make_user("tamky", "volunteer", "20335")
    make_user("admin", "admin", "49")
    make_user("admin_nt", "admin", "517")
    make_user("manager", "manager", "49")
    db.session.commit()
    c = app.test_client()
    return {"a": phone_token(c, "volunteer", "phone-A"), "b": phone_token(c, "volunteer", "phone-B"),
            "t": phone_token(c, "tamky", "phone-T")}


def api_ok(app, token):
    return app.test_client().get("/api/v1/forms", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_an_admin_revokes_one_phone_and_only_that_phone_stops(app, world):
    c = sign_in(app.test_client(), "admin")
    page = c.get("/devices").get_data(as_text=True)
    assert "phone-A" in page and "phone-B" in page and "phone-T" in page
    token_id = db.session.query(DeviceToken.id).filter_by(device_id="phone-A").scalar()
    r = c.post(f"/devices/{token_id}/revoke", data={"confirmed": "1", "csrf_token": token_of(c, "/devices")})
    assert r.status_code == 302
    assert not api_ok(app, world["a"]) and api_ok(app, world["b"])
    r = app.test_client().get("/api/v1/forms", headers={"Authorization": f"Bearer {world['a']}"})
    assert r.status_code == 401 and r.get_json()["error"]["code"] == "token_revoked"
    assert "phone-A ·" not in c.get("/devices").get_data(as_text=True)  # no longer listed (only in the message)


def test_revoke_all_of_one_account(app, world):
    c = sign_in(app.test_client(), "admin")
    r = c.post("/accounts/volunteer/revoke", data={"confirmed": "1", "csrf_token": token_of(c, "/devices")}, follow_redirects=True)
    assert "Đã thu hồi 2 đăng nhập của volunteer" in r.get_data(as_text=True)
    assert not api_ok(app, world["a"]) and not api_ok(app, world["b"]) and api_ok(app, world["t"])


def test_scope_roles_and_csrf(app, world):
    c = sign_in(app.test_client(), "admin_nt")  # Núi Thành only
    page = c.get("/devices").get_data(as_text=True)
    assert "phone-A" in page and "phone-T" not in page
    t_id = db.session.query(DeviceToken.id).filter_by(device_id="phone-T").scalar()
    assert c.post(f"/devices/{t_id}/revoke", data={"confirmed": "1", "csrf_token": token_of(c, "/devices")}).status_code == 404
    assert c.post("/accounts/tamky/revoke", data={"confirmed": "1", "csrf_token": token_of(c, "/devices")}).status_code == 404
    assert api_ok(app, world["t"])
    a_id = db.session.query(DeviceToken.id).filter_by(device_id="phone-A").scalar()
    assert c.post(f"/devices/{a_id}/revoke", data={"csrf_token": "forged"}).status_code == 400
    assert api_ok(app, world["a"])
    m = sign_in(app.test_client(), "manager")
    assert m.get("/devices").status_code == 403
    assert m.post(f"/devices/{a_id}/revoke", data={"confirmed": "1", "csrf_token": token_of(m, "/reports")}).status_code == 403


def test_locking_an_account_signs_it_out_everywhere_and_refuses_sign_in(app, world):
    c = sign_in(app.test_client(), "admin")
    r = c.post("/accounts/volunteer/active", data={"confirmed": "1", "active": "0", "csrf_token": token_of(c, "/devices")})
    assert r.status_code == 302
    assert not api_ok(app, world["a"]) and not api_ok(app, world["b"])
    again = app.test_client().post("/api/v1/auth/token", json={"username": "volunteer", "password": "demo"})
    assert again.status_code == 403 and again.get_json()["error"]["code"] == "account_disabled"
    assert "Đã khoá" in c.get("/devices").get_data(as_text=True)
    c.post("/accounts/volunteer/active", data={"confirmed": "1", "active": "1", "csrf_token": token_of(c, "/devices")})
    assert app.test_client().post("/api/v1/auth/token",
                                  json={"username": "volunteer", "password": "demo"}).status_code in (200, 201)
    # an admin cannot lock themselves out
    assert c.post("/accounts/admin/active", data={"confirmed": "1", "active": "0", "csrf_token": token_of(c, "/devices")}).status_code == 403


def test_revoke_and_lock_ask_first_one_click_changes_nothing(app, world):
    """The devices page's buttons lead to a confirmation page; a POST without ``confirm=1`` (the old
    one-click form) only shows that question."""
    c = sign_in(app.test_client(), "admin")
    token_id = db.session.query(DeviceToken.id).filter_by(device_id="phone-A").scalar()
    devices_page = c.get("/devices").get_data(as_text=True)
    assert f'href="/devices/{token_id}/revoke"' in devices_page and 'href="/accounts/volunteer/active?active=0"' in devices_page
    question = c.get(f"/devices/{token_id}/revoke").get_data(as_text=True)
    assert "Thu hồi đăng nhập của volunteer trên máy phone-A?" in question and 'name="confirmed" value="1"' in question
    r = c.post(f"/devices/{token_id}/revoke", data={"csrf_token": token_of(c, "/devices")})
    assert r.status_code == 200 and "Thu hồi đăng nhập của volunteer" in r.get_data(as_text=True)
    assert api_ok(app, world["a"])  # nothing happened
    r = c.post("/accounts/volunteer/active", data={"active": "0", "csrf_token": token_of(c, "/devices")})
    assert r.status_code == 200 and "Khoá tài khoản volunteer?" in r.get_data(as_text=True)
    assert api_ok(app, world["a"]) and api_ok(app, world["b"])
    r = c.post("/accounts/volunteer/revoke", data={"csrf_token": token_of(c, "/devices")})
    assert r.status_code == 200 and api_ok(app, world["b"])
    r = c.post(f"/devices/{token_id}/revoke", data={"confirmed": "1", "csrf_token": token_of(c, "/devices")})
    assert r.status_code == 302 and not api_ok(app, world["a"]) and api_ok(app, world["b"])
