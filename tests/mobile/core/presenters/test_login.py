"""First run: the checks, the language switch, and that the password is never stored."""

import json

from mobile.core.presenters.login import DEFAULT_SERVER, LoginPresenter, LoginRefused, ServerUnreachable
from mobile.core.store import LANGUAGE, SERVER_URL, TOKEN, USERNAME


def keep_token(store):
    """What the real sign-in does with the store on success (SyncClient.login)."""

    def authenticate(server, username, password):
        if password != "demo":
            raise LoginRefused("bad_credentials")
        if "unreachable" in server:
            raise ServerUnreachable("network")
        store.set_setting(SERVER_URL, server)
        store.set_setting(USERNAME, username)
        store.set_setting(TOKEN, "tok-123")

    return authenticate


def test_defaults_are_vietnamese_and_the_local_server(store):
    view = LoginPresenter(store, keep_token(store)).view()
    assert view.lang == "vi"
    assert view.server == DEFAULT_SERVER == "http://127.0.0.1:5000"
    assert view.title == "Đăng nhập"
    assert [label for _, label in view.languages] == ["Tiếng Việt", "English"]


def test_missing_fields_and_bad_address_get_clear_messages(store):
    p = LoginPresenter(store, keep_token(store))
    assert not p.submit("http://x", "volunteer", "")
    assert "mật khẩu" in p.error
    assert not p.submit("127.0.0.1:5000", "volunteer", "demo")
    assert "http://" in p.error
    assert store.get_setting(TOKEN) is None


def test_wrong_password_and_offline_server(store):
    p = LoginPresenter(store, keep_token(store))
    assert not p.submit("http://127.0.0.1:5000", "volunteer", "nope")
    assert p.error == "Sai tên đăng nhập hoặc mật khẩu."
    p.set_language("en")
    assert not p.submit("http://unreachable:1", "volunteer", "demo")
    assert p.error.startswith("Cannot reach the server")
    assert store.get_setting(LANGUAGE) == "en"


def test_success_keeps_the_token_never_the_password(store):
    p = LoginPresenter(store, keep_token(store))
    assert p.submit("http://127.0.0.1:5000/", " volunteer ", "demo")
    assert p.logged_in()
    assert store.get_setting(TOKEN) == "tok-123"
    assert store.get_setting(SERVER_URL) == "http://127.0.0.1:5000"
    rows = store.query("SELECT key, value FROM settings")
    assert all("demo" not in json.loads(r["value"]) for r in rows if isinstance(json.loads(r["value"]), str))
    assert "password" not in {r["key"] for r in rows}
